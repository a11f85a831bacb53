"""Worked cases for the corrections of issue 10 to the progression rules (docs/rules.md §4).
Each case failed before the correction. No database."""

import datetime
from decimal import Decimal

import pytest

from payroll.rules.progression import (
    Period,
    add_months,
    early_raise_eligible,
    promotion_placement,
    regular_raise_due,
    retirement_early_raise_eligible,
)

D = datetime.date
A0 = [Decimal(x) for x in ("2.10", "2.41", "2.72", "3.03", "3.34", "3.65", "3.96", "4.27", "4.58",
                           "4.89")]  # fmt: skip
A1 = [Decimal(x) for x in ("2.34", "2.67", "3.00", "3.33", "3.66", "3.99", "4.32", "4.65", "4.98")]


# --- Rule 3: periods that do not count and delays, in date order (§4.3) -----------------------


def test_a_discipline_in_the_extension_caused_by_unpaid_leave_counts():
    # B group, step since 01/07/2023: due 01/07/2025. Unpaid leave 01/01–31/03/2024 (91 days)
    # moves it to 30/09/2025; a reprimand on 15/08/2025 falls before that date: +6 months.
    due = regular_raise_due(
        since=D(2023, 7, 1),
        interval_months=24,
        discipline_delays=[(D(2025, 8, 15), 6, "khiển trách")],
        non_counting=[Period(D(2024, 1, 1), D(2024, 3, 31), "nghỉ không lương")],
    )
    assert due.date == add_months(D(2023, 7, 1), 30) + datetime.timedelta(days=91)
    assert due.date == D(2026, 4, 2)
    assert [(d.reason, d.months, d.days) for d in due.delays] == [
        ("nghỉ không lương", 0, 91),
        ("khiển trách", 6, 0),
    ]


def test_a_period_running_past_the_due_date_stops_the_clock_for_all_of_it():
    # Due 01/07/2025; leave from 01/06/2025 to 31/12/2025: the month of June was still owed,
    # so counting resumes on 01/01/2026 and the raise is due 214 days late, on 31/01/2026.
    due = regular_raise_due(
        since=D(2023, 7, 1),
        interval_months=24,
        non_counting=[Period(D(2025, 6, 1), D(2025, 12, 31), "tạm đình chỉ")],
    )
    assert due.date == D(2026, 1, 31)
    assert due.delay_days == 214


def test_a_period_that_has_not_ended_leaves_the_raise_undated():
    due = regular_raise_due(
        since=D(2023, 7, 1),
        interval_months=24,
        non_counting=[Period(D(2025, 3, 1), None, "tạm giam")],
    )
    assert due.date is None
    assert due.open_period.reason == "tạm giam"


def test_overlapping_periods_are_not_counted_twice():
    due = regular_raise_due(
        since=D(2023, 7, 1),
        interval_months=36,
        non_counting=[
            Period(D(2024, 1, 1), D(2024, 1, 31), "nghỉ không lương"),
            Period(D(2024, 1, 15), D(2024, 2, 14), "tạm đình chỉ"),
        ],
    )
    assert due.delay_days == 45  # 01/01–14/02
    assert due.date == D(2026, 8, 15)


# --- Rule 11: month-end dates do not drift when delays chain (§4.8) ---------------------------


def test_chained_month_delays_are_added_to_the_original_date_once():
    # Since 31/08/2021, 36 months + 6 + 6: 31/08/2025, not 28/08/2025 (31/08 → 28/02 → 28/08).
    due = regular_raise_due(
        since=D(2021, 8, 31),
        interval_months=36,
        discipline_delays=[(D(2022, 3, 1), 6, "khiển trách"), (D(2023, 3, 1), 6, "cảnh cáo")],
    )
    assert due.date == D(2025, 8, 31)


def test_a_failed_year_after_a_discipline_keeps_the_month_end():
    due = regular_raise_due(
        since=D(2023, 1, 31),
        interval_months=24,
        discipline_delays=[(D(2023, 6, 1), 1, "một tháng")],
        failed_rating_years=[2024],
    )
    assert due.date == D(2025, 8, 31)  # 31/01/2023 + 31 months, not 28/08 (via 28/02)


# --- Rule 4: early raises excluded by a discipline or a failed rating (§4.6) ------------------


@pytest.mark.parametrize(
    ("case", "disciplines", "failed_years", "eligible"),
    [
        ("nothing against them", [], [], True),
        ("reprimanded this year", [D(2026, 3, 10)], [], False),
        ("rated 'did not complete' last year", [], [2025], False),
        ("a discipline of an earlier year does not exclude", [D(2024, 3, 10)], [], True),
        ("a failed rating two years ago does not exclude", [], [2024], True),
    ],
)
def test_early_raise_for_achievement_is_excluded_by_discipline_or_failed_rating(
    case, disciplines, failed_years, eligible
):
    assert (
        early_raise_eligible(
            due=D(2027, 3, 1),
            year=2026,
            previous_raise_was_early_in_same_rank=False,
            discipline_dates=disciplines,
            failed_rating_years=failed_years,
        )
        is eligible
    ), case


@pytest.mark.parametrize(
    ("disciplines", "failed_years", "eligible"),
    [([], [], True), ([D(2026, 2, 1)], [], False), ([], [2025], False)],
)
def test_the_retirement_early_raise_takes_the_same_conditions(disciplines, failed_years, eligible):
    assert (
        retirement_early_raise_eligible(
            due=D(2027, 5, 1),
            retires_on=D(2026, 9, 30),
            discipline_dates=disciplines,
            failed_rating_years=failed_years,
        )
        is eligible
    )


# --- Rule 8: promotion keeps the reserved difference and restarts the clock (§4.5) ------------


def test_promotion_from_a0_last_step_with_20_percent_keeps_the_reserved_difference():
    # 4.89 × 1.20 = 5.868 > A1's last step 4.98: placed on step 9 with 0.888 reserved, so the
    # total is unchanged; the new step counts from the promotion.
    placement = promotion_placement(
        old_coefficient=Decimal("4.89"),
        old_beyond_scale_percent=Decimal(20),
        old_step_since=D(2012, 1, 1),
        old_step_increment=Decimal("0.31"),
        new_coefficients=A1,
        promoted_on=D(2026, 7, 1),
    )
    assert (placement.step, placement.coefficient, placement.reserved) == (
        9,
        Decimal("4.98"),
        Decimal("0.888"),
    )
    assert placement.coefficient + placement.reserved == Decimal("4.89") * Decimal("1.20")
    assert (placement.since, placement.carried_over) == (D(2026, 7, 1), False)


def test_promotion_from_beyond_scale_does_not_carry_over_the_last_step_date():
    # A0 last step (4.89) with 1% (4.9389) → A2.2 step 4 (5.02), counted from the promotion,
    # not from 2015 when the last step was reached (that made the next raise due at once).
    a2_2 = [Decimal(x) for x in ("4.00", "4.34", "4.68", "5.02", "5.36", "5.70", "6.04", "6.38")]
    placement = promotion_placement(
        old_coefficient=Decimal("4.89"),
        old_beyond_scale_percent=Decimal(1),
        old_step_since=D(2015, 1, 1),
        old_step_increment=Decimal("0.31"),
        new_coefficients=a2_2,
        promoted_on=D(2026, 7, 1),
    )
    assert (placement.step, placement.since, placement.reserved) == (4, D(2026, 7, 1), 0)


def test_promotion_without_beyond_scale_still_carries_a_small_gain_over():
    placement = promotion_placement(
        old_coefficient=Decimal("2.72"),
        old_step_since=D(2024, 1, 1),
        old_step_increment=Decimal("0.31"),
        new_coefficients=A1,
        promoted_on=D(2026, 7, 1),
    )
    assert (placement.step, placement.since, placement.carried_over) == (3, D(2024, 1, 1), True)


def test_add_months_agrees_with_the_calendar_for_every_day_of_two_years():
    import calendar

    def reference(day, months):
        year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
        last = calendar.monthrange(year, month + 1)[1]
        return D(year, month + 1, min(day.day, last))

    day = D(2023, 1, 1)
    while day.year < 2025:
        for months in (-25, -12, -1, 1, 6, 11, 12, 24, 36, 60):
            assert add_months(day, months) == reference(day, months), (day, months)
        day += datetime.timedelta(days=1)
