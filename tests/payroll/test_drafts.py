"""Due lists mark people who already have a draft and offer a tick-all box; a draft's
preparer corrects or withdraws it before it is decided."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from payroll import services
from payroll.models import SalaryRecord
from personnel.models import Rank

RANGE = {"list": "regular", "start": "01/07/2026", "end": "31/12/2026"}


def draft_of(staff, preparer, step=4):
    return SalaryRecord.objects.create(
        staff=staff, status="draft", kind="regular", rank=Rank.objects.get(code="01.003"),
        step=step, coefficient=Decimal("3.33"), effective_date=datetime.date(2026, 10, 1),
        step_since=datetime.date(2026, 10, 1), created_by=preparer,
    )  # fmt: skip


def test_the_due_list_marks_people_with_a_draft_and_offers_tick_all(world, salaries, client_for):
    draft_of(world.staff_in_a, world.clerk)
    response = client_for(world.clerk).get(reverse("payroll:due_list"), RANGE)
    page = response.content.decode()
    assert response.context["drafted"] == {world.staff_in_a.pk}
    assert "đã có dự thảo chờ duyệt" in page
    assert f'name="staff" value="{world.staff_in_a.pk}"' not in page  # nothing to tick
    assert 'data-select-all="staff"' in page


def test_the_preparer_corrects_a_draft_and_the_coefficient_follows(world, salaries, client_for):
    draft = draft_of(world.staff_in_a, world.clerk)
    url = reverse("payroll:decision_draft_edit", args=[draft.pk])
    clerk = client_for(world.clerk)
    assert clerk.get(url).status_code == 200
    response = clerk.post(
        url,
        {"kind": "regular", "rank": draft.rank_id, "step": "5", "effective_date": "01/10/2026",
         "beyond_scale_percent": "0", "leadership_coefficient": "0",
         "reserved_coefficient": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.step, draft.coefficient, draft.status) == (5, Decimal("3.66"), "draft")


def test_the_preparer_withdraws_a_draft_which_leaves_the_approvers_list(
    world, salaries, client_for
):
    draft = draft_of(world.staff_in_a, world.clerk)
    response = client_for(world.clerk).post(
        reverse("payroll:decision_draft_withdraw", args=[draft.pk])
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SalaryRecord.Status.WITHDRAWN and draft.decided_by == world.clerk
    drafts = client_for(world.head).get(reverse("payroll:decisions"), {"status": "draft"})
    assert draft not in drafts.context["records"]


def test_nobody_else_changes_a_draft_and_a_decided_one_stays(world, salaries):
    draft = draft_of(world.staff_in_a, world.clerk)
    with pytest.raises(ValidationError, match="Chỉ người lập"):
        services.salary_draft_withdraw(record=draft, actor=world.head)
    services.salary_records_approve(records=[draft], actor=world.head)
    with pytest.raises(ValidationError, match="không còn là dự thảo"):
        services.salary_draft_withdraw(record=draft, actor=world.clerk)
