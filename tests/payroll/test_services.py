"""Salary drafts and approvals: nothing changes a salary without approval."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from pghistory.models import Events

from payroll import services
from payroll.models import SalaryRecord
from payroll.selectors import current_records
from payroll.selectors.due_lists import due_list, scoped_staff
from personnel.models import Rank, Staff
from tests.factories import StaffFactory

D = datetime.date


def values(**changes):
    data = {
        "kind": SalaryRecord.Kind.REGULAR_RAISE,
        "rank": Rank.objects.get(code="01.003"),
        "step": 4,
        "effective_date": D(2026, 10, 1),
        "decision_number": "",
        "decision_date": None,
        "beyond_scale_percent": Decimal(0),
        "leadership_coefficient": Decimal(0),
        "reserved_coefficient": Decimal(0),
    }
    data.update(changes)
    return data


def test_a_draft_gets_its_coefficient_from_rank_and_step_and_changes_nothing(world, salaries):
    draft = services.salary_draft_create(staff=world.staff_in_a, values=values(), actor=world.clerk)
    assert (draft.status, draft.coefficient, draft.step_since) == (
        "draft",
        Decimal("3.33"),
        D(2026, 10, 1),
    )
    assert current_records([world.staff_in_a.pk])[world.staff_in_a.pk] == salaries["a"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"step": 10}, "step", "từ 1 đến 9"),
        ({"beyond_scale_percent": Decimal(5)}, "beyond_scale_percent", "bậc cuối"),
        ({"effective_date": D(2023, 9, 1)}, "effective_date", "phải sau ngày đó"),
        ({"step_since": D(2026, 12, 1)}, "step_since", "không được sau ngày hưởng"),
        ({"decision_date": D(2099, 1, 1)}, "decision_date", "tương lai"),
    ],
)
def test_values_that_break_the_rules_are_refused_by_field(world, salaries, changes, field, message):
    with pytest.raises(ValidationError) as error:
        services.salary_draft_create(
            staff=world.staff_in_a, values=values(**changes), actor=world.clerk
        )
    assert message in " ".join(error.value.message_dict[field])
    assert not SalaryRecord.objects.filter(status="draft").exists()


def test_approval_adds_the_row_and_moves_the_current_rank(world, salaries):
    new_rank = Rank.objects.get(code="01.002")
    draft = services.salary_draft_create(
        staff=world.staff_in_a,
        values=values(
            kind=SalaryRecord.Kind.PROMOTION, rank=new_rank, step=1, effective_date=D(2026, 1, 1)
        ),
        actor=world.clerk,
    )
    services.salary_records_approve(
        records=[draft], actor=world.head, decision_number="12/QĐ-SGDĐT"
    )
    draft.refresh_from_db()
    assert (draft.status, draft.decided_by, draft.decision_number) == (
        "approved",
        world.head,
        "12/QĐ-SGDĐT",
    )
    world.staff_in_a.refresh_from_db()
    assert world.staff_in_a.rank == new_rank
    event = Events.objects.tracks(draft).filter(pgh_label="update").get()
    assert event.pgh_diff["status"] == ["draft", "approved"]
    assert event.pgh_context["user"] == world.head.pk


def test_nobody_approves_their_own_draft(world, salaries):
    draft = services.salary_draft_create(staff=world.staff_in_a, values=values(), actor=world.admin)
    with pytest.raises(ValidationError, match="người có thẩm quyền khác phải duyệt"):
        services.salary_records_approve(records=[draft], actor=world.admin)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_future_decision_moves_the_rank_on_its_day(world, salaries):
    draft = services.salary_draft_create(
        staff=world.staff_in_a,
        values=values(
            rank=Rank.objects.get(code="01.002"),
            step=1,
            effective_date=D(2026, 12, 1),
            kind=SalaryRecord.Kind.PROMOTION,
        ),
        actor=world.clerk,
    )
    services.salary_records_approve(records=[draft], actor=world.head)
    world.staff_in_a.refresh_from_db()
    assert world.staff_in_a.rank.code == "01.003"  # not yet (today is before 01/12/2026)
    assert services.staff_current_rank_refresh(on=D(2026, 12, 1)) == 1
    world.staff_in_a.refresh_from_db()
    assert world.staff_in_a.rank.code == "01.002"


def test_rejected_drafts_stay_out_of_the_history(world, salaries):
    draft = services.salary_draft_create(staff=world.staff_in_a, values=values(), actor=world.clerk)
    services.salary_records_reject(records=[draft], actor=world.head, reason="Chưa đủ điều kiện")
    draft.refresh_from_db()
    assert (draft.status, draft.rejection_reason) == ("rejected", "Chưa đủ điều kiện")
    assert current_records([world.staff_in_a.pk])[world.staff_in_a.pk] == salaries["a"]
    with pytest.raises(ValidationError):
        services.salary_records_approve(records=[draft], actor=world.head)


def test_drafts_from_a_due_list_keep_the_reasons_and_are_not_doubled(world, salaries):
    rows = due_list(
        staff=scoped_staff(user=world.clerk, unit=None),
        kind="regular",
        start=D(2026, 7, 1),
        end=D(2026, 12, 31),
    )
    created, skipped = services.salary_drafts_from_due_list(rows=rows, actor=world.clerk)
    assert len(created) == 2 and skipped == []
    first = SalaryRecord.objects.get(staff=world.staff_in_a, status="draft")
    assert (first.step, first.coefficient, first.effective_date) == (
        4,
        Decimal("3.33"),
        D(2026, 10, 1),
    )
    assert first.reasons["why"].startswith("đang hưởng bậc 3")
    again, skipped = services.salary_drafts_from_due_list(rows=rows, actor=world.clerk)
    assert again == [] and len(skipped) == 2 and "đang chờ duyệt" in skipped[0][1]


def test_beyond_scale_drafts_keep_the_last_step_date(world, salaries):
    rows = due_list(
        staff=scoped_staff(user=world.clerk, unit=None),
        kind="beyond",
        start=D(2025, 7, 1),
        end=D(2026, 6, 30),
    )
    (draft,), _skipped = services.salary_drafts_from_due_list(rows=rows, actor=world.clerk)
    assert (
        draft.kind,
        draft.step,
        draft.beyond_scale_percent,
        draft.step_since,
        draft.effective_date,
    ) == (
        "beyond",
        9,
        Decimal(5),
        D(2022, 12, 1),
        D(2025, 12, 1),
    )


def test_staff_rank_is_untouched_until_approval(world, salaries):
    before = Staff.objects.get(pk=world.staff_in_a.pk).rank_id
    services.salary_draft_create(
        staff=world.staff_in_a,
        values=values(rank=Rank.objects.get(code="01.002"), step=1, effective_date=D(2026, 1, 1)),
        actor=world.clerk,
    )
    assert Staff.objects.get(pk=world.staff_in_a.pk).rank_id == before


def test_a_promotion_without_a_step_is_placed_by_the_rule(world, salaries):
    # A1 step 3 (3.00) since 01/10/2023 → chuyên viên chính (A2.1): 4.40 at step 1, gain 1.40
    draft = services.salary_draft_create(
        staff=world.staff_in_a,
        values=values(
            kind=SalaryRecord.Kind.PROMOTION,
            rank=Rank.objects.get(code="01.002"),
            step=None,
            effective_date=D(2026, 1, 1),
        ),
        actor=world.clerk,
    )
    assert (draft.step, draft.coefficient, draft.step_since) == (1, Decimal("4.40"), D(2026, 1, 1))


def test_a_small_gain_on_promotion_keeps_the_time_served(world, salaries):
    # VC.A1 last step (4.98) since 01/12/2022 → hạng II (A2.2): 5.02 at step 4, gain 0.04 < 0.33
    draft = services.salary_draft_create(
        staff=world.staff_in_a1,
        values=values(
            kind=SalaryRecord.Kind.PROMOTION,
            rank=Rank.objects.get(code="V.07.05.14"),
            step=None,
            effective_date=D(2026, 1, 1),
        ),
        actor=world.clerk,
    )
    assert (draft.step, draft.coefficient, draft.step_since) == (4, Decimal("5.02"), D(2022, 12, 1))


# --- 29 February ------------------------------------------------------------------------------


def test_someone_born_on_29_february_gets_salary_decisions(world, salaries):
    staff = StaffFactory(unit=world.unit_a, birth_date="1988-02-29")
    staff.refresh_from_db()
    first = values(kind=SalaryRecord.Kind.INITIAL, effective_date=D(2003, 2, 28))
    draft = services.salary_draft_create(staff=staff, values=first, actor=world.clerk)
    assert draft.effective_date == D(2003, 2, 28)  # 15 years old that day
    with pytest.raises(ValidationError) as error:
        services.salary_draft_create(
            staff=staff, values={**first, "effective_date": D(2003, 2, 27)}, actor=world.clerk
        )
    assert "tuổi lao động" in " ".join(error.value.message_dict["effective_date"])


def test_a_29_february_birthday_does_not_break_the_due_list_batch(world, salaries):
    born_29 = world.staff_in_a
    born_29.birth_date = "1992-02-29"
    born_29.save()
    rows = due_list(
        staff=scoped_staff(user=world.clerk, unit=None),
        kind="regular",
        start=D(2026, 7, 1),
        end=D(2026, 12, 31),
    )
    created, skipped = services.salary_drafts_from_due_list(rows=rows, actor=world.clerk)
    assert len(created) == 2 and skipped == []
