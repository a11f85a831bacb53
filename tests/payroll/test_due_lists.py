"""Due lists against the database: who is due, when, and why."""

import datetime
from decimal import Decimal

from payroll.models import SalaryRecord
from payroll.selectors.due_lists import due_list, scoped_staff
from personnel.models import (
    AnnualRating,
    Discipline,
    DisciplineType,
    Movement,
    NonCountingPeriod,
    RatingLevel,
    Staff,
)
from tests.conftest import approved_record
from tests.factories import StaffFactory

D = datetime.date
SECOND_HALF = (D(2026, 7, 1), D(2026, 12, 31))


def rows_for(user, kind, start, end, unit=None):
    return due_list(staff=scoped_staff(user=user, unit=unit), kind=kind, start=start, end=end)


def test_regular_raises_due_in_the_clerks_units(world, salaries):
    rows = rows_for(world.clerk, "regular", *SECOND_HALF)
    assert [(r.full_name, r.due_date, r.proposed_step, r.proposed_coefficient) for r in rows] == [
        ("Nguyễn Văn An", D(2026, 10, 1), 4, Decimal("3.33")),  # A1, 36 months
        ("Lê Thị Cúc", D(2026, 11, 1), 5, Decimal("2.66")),  # B, 24 months
    ]
    assert "Phạm Văn Dũng" not in [r.full_name for r in rows]  # unit B: out of scope
    assert rows[0].why() == "đang hưởng bậc 3 từ 01/10/2023; thời hạn 36 tháng"


def test_a_discipline_and_a_failed_year_postpone_the_raise_and_say_so(world, salaries):
    Discipline.objects.create(
        staff=world.staff_in_a, date=D(2024, 6, 1), kind=DisciplineType.objects.get(code="CC-KT")
    )
    AnnualRating.objects.create(
        staff=world.own_record, year=2025, level=RatingLevel.objects.get(code="KHTNV")
    )
    rows = rows_for(world.clerk, "regular", D(2026, 7, 1), D(2027, 12, 31))
    due = {r.full_name: r for r in rows}
    assert due["Nguyễn Văn An"].due_date == D(2027, 4, 1)
    assert "kéo dài 6 tháng: Khiển trách 01/06/2024" in due["Nguyễn Văn An"].why()
    assert due["Lê Thị Cúc"].due_date == D(2027, 5, 1)


def test_unpaid_leave_does_not_count(world, salaries):
    Movement.objects.create(
        staff=world.staff_in_a, kind="unpaid_leave", effective_date=D(2025, 1, 1)
    )
    Movement.objects.create(staff=world.staff_in_a, kind="return", effective_date=D(2025, 3, 1))
    row = next(
        r
        for r in rows_for(world.clerk, "regular", *SECOND_HALF)
        if r.staff_id == world.staff_in_a.pk
    )
    assert row.due_date == D(2026, 11, 29)  # 59 days later
    assert "59 ngày" in row.why()


def test_beyond_scale_seniority_on_the_last_step(world, salaries):
    rows = rows_for(world.clerk, "beyond", D(2025, 7, 1), D(2026, 6, 30))
    assert [(r.full_name, r.due_date, r.proposed_percent) for r in rows] == [
        ("Trần Thị Bình", D(2025, 12, 1), Decimal(5))
    ]
    approved_record(
        world.staff_in_a1,
        rank_code="V.07.05.15",
        step=9,
        effective=D(2025, 12, 1),
        since=D(2022, 12, 1),
        kind=SalaryRecord.Kind.BEYOND_SCALE,
        percent=Decimal(5),
    )
    rows = rows_for(world.clerk, "beyond", D(2026, 7, 1), D(2027, 6, 30))
    assert [(r.due_date, r.proposed_percent) for r in rows] == [(D(2026, 12, 1), Decimal(6))]


def test_early_raise_candidates_with_the_quota_and_not_twice_in_a_row(world, salaries):
    for _ in range(11):
        StaffFactory(unit=world.unit_a1)  # 12 working staff in A1 → quota 1
    candidate = StaffFactory(unit=world.unit_a1, full_name="Hà Văn Giỏi")
    approved_record(
        candidate, rank_code="01.003", step=2, effective=D(2024, 6, 1)
    )  # due 01/06/2027
    repeat = StaffFactory(unit=world.unit_a1, full_name="Hà Văn Lặp")
    approved_record(
        repeat,
        rank_code="01.003",
        step=2,
        effective=D(2024, 6, 1),
        kind=SalaryRecord.Kind.EARLY_RAISE,
    )
    rows = rows_for(world.clerk, "early", D(2026, 1, 1), D(2026, 12, 31))
    assert [r.full_name for r in rows] == ["Hà Văn Giỏi"]
    assert "chỉ tiêu theo bảng lương của Trường A1: 1" in rows[0].why()


def test_upcoming_retirements_and_the_early_raise_before_retirement(world, salaries):
    Staff.objects.filter(pk=world.staff_in_a.pk).update(
        birth_date="1965-06-10"
    )  # men: 61y6m in 2026
    rows = rows_for(world.clerk, "retirement", *SECOND_HALF)
    assert [(r.full_name, r.retires_on) for r in rows] == [("Nguyễn Văn An", D(2026, 12, 31))]

    # due 01/10/2026, before retiring: a regular raise, not an early one
    assert rows_for(world.clerk, "early", D(2026, 1, 1), D(2026, 12, 31)) == []
    SalaryRecord.objects.filter(staff=world.staff_in_a).update(
        step_since=D(2024, 8, 1), effective_date=D(2024, 8, 1)
    )
    early = rows_for(world.clerk, "early", D(2026, 1, 1), D(2026, 12, 31))
    assert [(r.full_name, r.outside_quota, r.due_date) for r in early] == [
        ("Nguyễn Văn An", True, D(2027, 8, 1))
    ]
    assert "nghỉ hưu" in early[0].why()


def test_a_unit_filter_narrows_the_list(world, salaries):
    rows = rows_for(world.admin, "regular", *SECOND_HALF, unit=world.unit_b)
    assert [r.full_name for r in rows] == ["Phạm Văn Dũng"]


def test_what_the_database_leaves_out_changes_no_list(world, salaries, monkeypatch):
    """Issue 17: the database leaves out whoever is surely not due (plain date arithmetic);
    every list is the same as when Python looks at every latest decision."""
    from payroll.selectors import due_lists

    dates = [D(2020, 1, 31), D(2022, 3, 1), D(2023, 6, 30), D(2024, 2, 29), D(2025, 1, 1)]
    number = 0
    for rank_code, last_step in (("01.003", 9), ("01.005", 12)):
        for step in (1, 3, last_step - 1, last_step):
            for since in dates:
                for percent in (Decimal(0), Decimal(5)) if step == last_step else (Decimal(0),):
                    number += 1
                    person = StaffFactory(
                        unit=world.unit_a1,
                        full_name=f"Người {number}",
                        # born 1960–1987: some may retire in 2026, some may not (the
                        # early list's window differs for them)
                        birth_date=f"{1960 + number % 10 * 3}-{1 + number % 12:02d}-01",
                    )
                    approved_record(
                        person, rank_code=rank_code, step=step, effective=since, percent=percent
                    )
                    if number % 7 == 0:
                        Discipline.objects.create(
                            staff=person, date=D(2025, 5, 1),
                            kind=DisciplineType.objects.get(code="CC-KT"),
                        )  # fmt: skip
                    if number % 5 == 0:  # each thing that delays a raise keeps people in
                        AnnualRating.objects.create(
                            staff=person, year=2025, level=RatingLevel.objects.get(code="KHTNV")
                        )
                    if number % 6 == 0:
                        Movement.objects.create(
                            staff=person, kind="unpaid_leave", effective_date=D(2024, 1, 1)
                        )
                        Movement.objects.create(
                            staff=person, kind="return", effective_date=D(2025, 1, 1)
                        )
                    if number % 11 == 0:
                        NonCountingPeriod.objects.create(
                            staff=person, kind="suspension", start=D(2024, 6, 1),
                            end=None if number % 2 else D(2025, 5, 31),
                        )  # fmt: skip

    # retires in the second half of 2026 and is due a raise after that, in 2026: raised early
    # before retiring, though the raise falls before the year's end (the early list looks
    # before 31 December only for those who may retire that year)
    retiring = StaffFactory(
        unit=world.unit_a1, full_name="Người về hưu", sex=Staff.Sex.MALE,
        birth_date="1965-02-15",
    )  # fmt: skip
    approved_record(retiring, rank_code="01.003", step=3, effective=D(2023, 10, 1))

    def lists():
        return {
            (kind, start, end): [
                (r.staff_id, r.due_date, r.proposed_step, r.proposed_percent, r.why())
                for r in rows_for(world.admin, kind, start, end)
            ]
            for kind in ("regular", "beyond", "early", "retirement")
            for start, end in (SECOND_HALF, (D(2025, 1, 1), D(2027, 12, 31)))
        }

    narrowed = lists()
    assert sum(len(rows) for rows in narrowed.values()) > 40  # the lists are not empty
    assert (retiring.pk, D(2026, 10, 1)) in [
        (staff_id, due) for staff_id, due, *_rest in narrowed[("early", *SECOND_HALF)]
    ]
    # nothing cut by the database, and the full rules for everyone (not only for those with
    # something that delays a raise): the same lists
    monkeypatch.setattr(due_lists, "_due_filter", lambda *args, **kw: ("", "TRUE", ([], [])))
    assert lists() == narrowed
    monkeypatch.setattr(due_lists, "_RULES_FOR_EVERYONE", True)
    assert lists() == narrowed


def test_a_long_list_is_ordered_by_date_unit_and_name_and_reads_only_the_rows_asked(
    world, salaries, django_assert_max_num_queries
):
    """Issue 17: the order (due date, unit name, name) is decided without the names; a page
    writes out only its own rows, in one query, and reading every row gives the same rows."""
    same_day = D(2023, 9, 1)  # 36 months later: 01/09/2026
    for unit, name in (
        (world.unit_a1, "Vũ Thị Yến"), (world.unit_a, "Đặng Văn Bình"),
        (world.unit_a1, "An Văn Ba"), (world.unit_a, "Âu Thị Chi"),
    ):  # fmt: skip
        approved_record(
            StaffFactory(unit=unit, full_name=name), rank_code="01.003", step=3,
            effective=same_day,
        )  # fmt: skip
    rows = rows_for(world.admin, "regular", *SECOND_HALF)
    everything = list(rows)
    expected = sorted(everything, key=lambda r: (r.due_date, r.unit_name, r.full_name))
    assert [r.full_name for r in everything] == [r.full_name for r in expected]
    assert [r.full_name for r in everything if r.due_date == D(2026, 9, 1)] == [
        "Âu Thị Chi", "Đặng Văn Bình", "An Văn Ba", "Vũ Thị Yến",  # Sở A, then Trường A1
    ]  # fmt: skip
    assert len(rows) == len(everything) and rows.due_dates() == [r.due_date for r in everything]
    assert rows.staff_ids() == [r.staff_id for r in everything]
    with django_assert_max_num_queries(1):
        page = rows[1:3]
    assert [r.why() for r in page] == [r.why() for r in everything[1:3]]
    chosen = {everything[3].staff_id, everything[0].staff_id}
    assert [r.staff_id for r in rows.only(chosen)] == [
        everything[0].staff_id, everything[3].staff_id,
    ]  # fmt: skip
    assert rows == everything and rows[-1] == everything[-1]
