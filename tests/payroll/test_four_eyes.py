"""Four eyes on every salary decision: nobody prepares, approves or rejects a decision about
themselves (whatever their role), the preparer never approves, a rejection gives its reason.

Each refusal is checked on the service and through the screens, and nothing is written.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from payroll import services
from payroll.models import SalaryRecord
from payroll.rules.progression import add_months
from personnel import permissions
from personnel.models import Rank
from tests.conftest import approved_record
from tests.factories import StaffFactory

D = datetime.date


def draft_values(**changes):
    data = {
        "kind": SalaryRecord.Kind.ADJUSTMENT,
        "rank": Rank.objects.get(code="01.003"),
        "step": 3,
        "effective_date": D(2026, 10, 1),
        "decision_number": "",
        "decision_date": None,
        "beyond_scale_percent": Decimal(0),
        "leadership_coefficient": Decimal("0.2"),
        "reserved_coefficient": Decimal(0),
    }
    data.update(changes)
    return data


@pytest.fixture
def own_records(world):
    """The clerk and the head work in unit A1 (inside their own scope), the administrator in
    B1; each has an approved salary whose regular raise falls due within days."""
    today = datetime.date.today()
    since = add_months(today, -36) + datetime.timedelta(days=10)
    records = {}
    for role, user, unit in (
        ("clerk", world.clerk, world.unit_a1),
        ("head", world.head, world.unit_a1),
        ("admin", world.admin, world.unit_b1),
    ):
        staff = StaffFactory(unit=unit, user=user, full_name=f"Người {role}")
        approved_record(staff, rank_code="01.003", step=3, effective=since)
        records[role] = staff
    return records


def test_nobody_prepares_a_decision_about_themselves_whatever_their_role(world, own_records):
    for role, user in (("clerk", world.clerk), ("head", world.head), ("admin", world.admin)):
        with pytest.raises(ValidationError, match="về chính mình"):
            services.salary_draft_create(staff=own_records[role], values=draft_values(), actor=user)
    assert not SalaryRecord.objects.filter(status="draft").exists()


def test_a_clerk_cannot_prepare_their_own_raise_from_the_due_list(world, own_records, client_for):
    clerk = client_for(world.clerk)
    page = clerk.get(reverse("payroll:due_list"))
    assert "Người clerk" in page.content.decode()  # listed, but without a box to tick
    assert f'name="staff" value="{own_records["clerk"].pk}"' not in page.content.decode()
    response = clerk.post(
        reverse("payroll:due_list_prepare"), {"staff": [own_records["clerk"].pk]}, follow=True
    )
    assert "về chính mình" in response.content.decode()
    assert not SalaryRecord.objects.filter(staff=own_records["clerk"], status="draft").exists()


def test_the_due_list_batch_prepares_the_others_and_refuses_only_the_own_row(
    world, own_records, client_for
):
    response = client_for(world.clerk).post(
        reverse("payroll:due_list_prepare"),
        {"staff": [own_records["clerk"].pk, own_records["head"].pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Đã lập 1 dự thảo" in page and "về chính mình" in page
    assert list(SalaryRecord.objects.filter(status="draft").values_list("staff", flat=True)) == [
        own_records["head"].pk
    ]


@pytest.mark.parametrize("act", ["approve", "reject"])
def test_a_head_cannot_decide_a_draft_about_themselves(world, own_records, client_for, act):
    draft = services.salary_draft_create(
        staff=own_records["head"], values=draft_values(), actor=world.clerk
    )
    head = client_for(world.head)
    drafts = head.get(reverse("payroll:decisions"), {"status": "draft"}).content.decode()
    assert f'value="{draft.pk}"' not in drafts and "về chính mình" in drafts
    response = head.post(
        reverse(f"payroll:decisions_{act}"),
        {"records": [draft.pk], "reason": "Thử"},
        follow=True,
    )
    assert "về chính mình" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.decided_by) == ("draft", None)


def test_the_administrator_cannot_approve_a_decision_about_themselves(world, own_records):
    draft = services.salary_draft_create(
        staff=own_records["admin"], values=draft_values(), actor=world.outsider
    )
    with pytest.raises(ValidationError, match="về chính mình"):
        services.salary_records_approve(records=[draft], actor=world.admin)
    with pytest.raises(ValidationError, match="về chính mình"):
        services.salary_records_reject(records=[draft], actor=world.admin, reason="Không")
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_preparer_never_approves_even_as_administrator(world, salaries):
    draft = services.salary_draft_create(
        staff=world.staff_in_a1,
        values=draft_values(rank=Rank.objects.get(code="V.07.05.15"), step=9),
        actor=world.admin,
    )
    with pytest.raises(ValidationError, match="Bạn đã lập"):
        services.salary_records_approve(records=[draft], actor=world.admin)
    draft.refresh_from_db()
    assert draft.status == "draft"
    services.salary_records_approve(records=[draft], actor=world.head)
    draft.refresh_from_db()
    assert (draft.status, draft.decided_by) == ("approved", world.head)


def test_a_batch_with_one_own_draft_approves_nothing(world, own_records, salaries):
    others = services.salary_draft_create(
        staff=world.staff_in_a, values=draft_values(step=3), actor=world.clerk
    )
    own = services.salary_draft_create(
        staff=own_records["head"], values=draft_values(), actor=world.clerk
    )
    with pytest.raises(ValidationError):
        services.salary_records_approve(records=[others, own], actor=world.head)
    assert set(
        SalaryRecord.objects.filter(pk__in=[others.pk, own.pk]).values_list("status", flat=True)
    ) == {"draft"}


def test_a_rejection_needs_a_reason(world, salaries, client_for):
    draft = services.salary_draft_create(
        staff=world.staff_in_a, values=draft_values(step=3), actor=world.clerk
    )
    with pytest.raises(ValidationError, match="lý do"):
        services.salary_records_reject(records=[draft], actor=world.head, reason="   ")
    response = client_for(world.head).post(
        reverse("payroll:decisions_reject"), {"records": [draft.pk], "reason": ""}, follow=True
    )
    assert "Lý do không duyệt" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_clerk_reads_the_reason_and_the_approvers_full_name(world, salaries, client_for):
    head_record = StaffFactory(unit=world.unit_b1, user=world.head, full_name="Hoàng Thị Duyệt")
    assert head_record.pk
    draft = services.salary_draft_create(
        staff=world.staff_in_a, values=draft_values(step=3), actor=world.clerk
    )
    client_for(world.head).post(
        reverse("payroll:decisions_reject"),
        {"records": [draft.pk], "reason": "Thiếu quyết định bổ nhiệm"},
    )
    clerk = client_for(world.clerk)
    for page in (
        clerk.get(reverse("payroll:decisions"), {"status": "rejected"}),
        clerk.get(reverse("payroll:staff_salary", args=[world.staff_in_a.pk])),
    ):
        text = page.content.decode()
        assert "Thiếu quyết định bổ nhiệm" in text and "Hoàng Thị Duyệt" in text
        assert world.head.username not in text


def test_four_eyes_refusal_names_each_case(world, own_records):
    head_own = own_records["head"].pk
    refusal = permissions.four_eyes_refusal
    assert refusal(actor=world.head, act="approve", concerns=[head_own]) is not None
    assert refusal(actor=world.head, act="prepare", concerns=[head_own]) is not None
    assert refusal(actor=world.head, act="approve", concerns=[world.staff_in_a.pk]) is None
    assert (
        refusal(
            actor=world.head,
            act="approve",
            concerns=[world.staff_in_a.pk],
            prepared_by_id=world.head.pk,
        )
        is not None
    )
    # Rejecting what one prepared is withdrawing it: allowed (another person approves).
    assert (
        refusal(
            actor=world.head,
            act="reject",
            concerns=[world.staff_in_a.pk],
            prepared_by_id=world.head.pk,
        )
        is None
    )
    # A payroll run or a list concerns many people: one of them is enough to refuse.
    assert refusal(actor=world.clerk, act="approve", concerns=[1, 2, own_records["clerk"].pk])
