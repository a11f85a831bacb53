"""Participation spells and the months they cover (docs/rules.md §5.9–§5.10). No database.

July 2026 has 23 working days (from Wednesday the 1st), August 21 (from Saturday the 1st)."""

import datetime

import pytest

from insurance.rules.participation import (
    Event,
    Kind,
    Reason,
    first_month,
    last_month,
    months_between,
    next_month,
    participation,
    previous_month,
    spell_in,
)

D = datetime.date
NO_HOLIDAYS = frozenset()
A, B = 1, 2


RECRUITED = D(2020, 3, 1)


def spells_of(events, recruited=RECRUITED, unit=A):
    return participation(
        first_unit_id=unit,
        recruited=recruited,
        events=events,
        holidays=NO_HOLIDAYS,
        threshold_days=14,
    )


def months(spell):
    return (spell.first_month, spell.last_month)


def test_someone_recruited_and_still_working_has_one_open_spell():
    (spell,) = spells_of([])
    assert (spell.unit_id, spell.start, spell.start_reason) == (A, D(2020, 3, 1), "recruitment")
    assert months(spell) == (202003, None)
    assert spell.covers(202607) and not spell.covers(202002)


def test_no_recruitment_date_means_participating_since_before_the_records():
    (spell,) = spells_of([], recruited=None)
    assert months(spell) == (None, None) and spell.covers(199001)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (D(2026, 7, 1), 202607),  # no working day before it
        (D(2026, 7, 20), 202607),  # 13 working days before it (1–17 July): July counts
        (D(2026, 7, 21), 202608),  # 14 working days before it: from August
    ],
)
def test_a_start_counts_its_month_unless_14_working_days_came_before(start, expected):
    found = first_month(
        start=start, reason=Reason.RECRUITMENT, holidays=NO_HOLIDAYS, threshold_days=14
    )
    assert found == expected


def test_holidays_count_as_days_off_not_as_working_days():
    # 1–2 September 2026 are holidays: a start on 21 September has 12 working days before it.
    holidays = frozenset({D(2026, 9, 1), D(2026, 9, 2)})
    assert (
        first_month(
            start=D(2026, 9, 21), reason=Reason.RETURN, holidays=holidays, threshold_days=14
        )
        == 202609
    )
    assert (
        first_month(
            start=D(2026, 9, 21), reason=Reason.RETURN, holidays=NO_HOLIDAYS, threshold_days=14
        )
        == 202610
    )


def test_a_stop_keeps_its_month_unless_14_working_days_follow():
    # after 14 August 2026: 17–31 August = 11 working days, the month counts
    assert (
        last_month(
            stop=D(2026, 8, 14), reason=Reason.RETIREMENT, holidays=NO_HOLIDAYS, threshold_days=14
        )
        == 202608
    )
    # after 7 August: 10–31 August = 16 working days, it does not
    assert (
        last_month(
            stop=D(2026, 8, 7), reason=Reason.UNPAID_LEAVE, holidays=NO_HOLIDAYS, threshold_days=14
        )
        == 202607
    )


def test_a_transfer_moves_the_month_after_it_unless_it_takes_effect_on_the_first():
    old, new = spells_of([Event(D(2026, 7, 15), Kind.TRANSFER, unit_id=B)])
    assert (old.unit_id, old.stop, old.stop_reason, old.last_month) == (
        A, D(2026, 7, 14), "transfer_out", 202607,
    )  # fmt: skip
    assert (new.unit_id, new.start, new.start_reason, new.first_month) == (
        B, D(2026, 7, 15), "transfer_in", 202608,
    )  # fmt: skip
    old, new = spells_of([Event(D(2026, 8, 1), Kind.TRANSFER, unit_id=B)])
    assert (old.last_month, new.first_month) == (202607, 202608)


def test_a_few_days_of_unpaid_leave_do_not_break_participation():
    (spell,) = spells_of(
        [Event(D(2026, 7, 20), Kind.UNPAID_LEAVE), Event(D(2026, 7, 27), Kind.RETURN)]
    )
    assert months(spell) == (202003, None) and spell.stop is None


def test_unpaid_leave_of_14_working_days_in_a_month_stops_it_for_that_month():
    # leave 10 August – 2 October: August (16 days) and September are without contributions
    before, after = spells_of(
        [Event(D(2026, 8, 10), Kind.UNPAID_LEAVE), Event(D(2026, 10, 2), Kind.RETURN)]
    )
    assert (before.stop_reason, before.last_month) == ("unpaid_leave", 202607)
    assert (after.start_reason, after.first_month) == ("return", 202610)
    assert spell_in([before, after], 202608) is None
    assert spell_in([before, after], 202610) is after


def test_maternity_leave_recorded_by_a_clerk_is_a_break():
    before, after = spells_of(
        [
            Event(D(2026, 3, 2), Kind.ABSENCE_START, reason=Reason.MATERNITY),
            Event(D(2026, 9, 1), Kind.ABSENCE_END, reason=Reason.MATERNITY),
        ]
    )
    assert (before.stop, before.stop_reason, before.last_month) == (
        D(2026, 3, 1), "maternity", 202602,
    )  # fmt: skip
    assert (after.start, after.first_month) == (D(2026, 9, 1), 202609)


@pytest.mark.parametrize(
    ("kind", "reason"),
    [(Kind.RETIREMENT, "retirement"), (Kind.RESIGNATION, "resignation"), (Kind.DEATH, "death")],
)
def test_leaving_the_service_ends_participation(kind, reason):
    (spell,) = spells_of([Event(D(2026, 8, 1), kind)])
    assert (spell.stop, spell.stop_reason, spell.last_month) == (D(2026, 7, 31), reason, 202607)


def test_nothing_follows_leaving():
    (spell,) = spells_of(
        [Event(D(2026, 8, 1), Kind.RETIREMENT), Event(D(2026, 9, 1), Kind.TRANSFER, unit_id=B)]
    )
    assert spell.unit_id == A and spell.last_month == 202607


def test_a_person_who_worked_a_few_days_covers_no_month():
    (spell,) = spells_of([Event(D(2026, 7, 28), Kind.RESIGNATION)], recruited=D(2026, 7, 22))
    assert not spell.covers_any_month


def test_month_arithmetic():
    assert next_month(202612) == 202701 and previous_month(202701) == 202612
    assert months_between(202611, 202702) == [202611, 202612, 202701, 202702]
