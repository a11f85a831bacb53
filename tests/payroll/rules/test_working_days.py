"""Working days and part-month proration (docs/rules.md §7.2–§7.3). No database."""

import datetime
from decimal import Decimal

import pytest

from payroll.rules.working_days import (
    month_working_days,
    prorate,
    unpaid_working_days,
    working_days,
    working_days_between,
)

D = datetime.date
NATIONAL_DAY_2026 = frozenset({D(2026, 9, 1), D(2026, 9, 2)})


@pytest.mark.parametrize(
    ("year", "month", "holidays", "expected"),
    [
        (2026, 7, frozenset(), 23),  # starts on a Wednesday, 31 days
        (2026, 8, frozenset(), 21),  # starts on a Saturday
        (2026, 2, frozenset(), 20),
        (2026, 9, NATIONAL_DAY_2026, 20),  # 22 weekdays less 1 and 2 September
        # a holiday on a Sunday changes nothing (its day off in lieu is listed as a date)
        (2026, 8, frozenset({D(2026, 8, 2)}), 21),
    ],
)
def test_working_days_are_weekdays_less_holidays(year, month, holidays, expected):
    assert working_days(year, month, holidays) == expected


def test_month_working_days_lists_the_dates():
    days = month_working_days(2026, 7)
    assert days[:4] == (D(2026, 7, 1), D(2026, 7, 2), D(2026, 7, 3), D(2026, 7, 6))
    assert days[-1] == D(2026, 7, 31)


def test_working_days_between_includes_both_ends():
    assert working_days_between(D(2026, 8, 17), D(2026, 8, 21)) == 5
    assert working_days_between(D(2026, 9, 1), D(2026, 9, 4), NATIONAL_DAY_2026) == 2
    assert working_days_between(D(2026, 9, 5), D(2026, 9, 6)) == 0


@pytest.mark.parametrize(
    ("case", "kwargs", "unpaid"),
    [
        ("a full month", {}, 0),
        ("starts Monday 17 August: 3–14 August are 10 days", {"employed_from": D(2026, 8, 17)},
         10),
        ("leaves after Friday 7 August: 16 days after", {"employed_to": D(2026, 8, 7)}, 16),
        ("unpaid leave 3–20 August", {"unpaid_periods": [(D(2026, 8, 3), D(2026, 8, 20))]}, 14),
        (
            "overlapping leave and a late start count once",
            {"employed_from": D(2026, 8, 10),
             "unpaid_periods": [(D(2026, 8, 5), D(2026, 8, 11)), (D(2026, 8, 11), D(2026, 8, 12))]},
            8,
        ),
        ("leave outside the month", {"unpaid_periods": [(D(2026, 7, 1), D(2026, 7, 31))]}, 0),
    ],
)  # fmt: skip
def test_unpaid_working_days_of_a_part_month(case, kwargs, unpaid):
    assert unpaid_working_days(year=2026, month=8, **kwargs) == unpaid


@pytest.mark.parametrize(
    ("amount", "paid", "working", "expected"),
    [
        (8_424_900, 11, 21, 4_413_043),  # 92,673,900 / 21 = 4,413,042.86
        (842_490, 11, 21, 441_304),  # 9,267,390 / 21 = 441,304.29
        (7_590_000, 23, 23, 7_590_000),
        (7_590_000, 0, 23, 0),
        (1_000_001, 1, 2, 500_001),  # 500,000.5 rounds half up
    ],
)
def test_prorate_by_working_days(amount, paid, working, expected):
    assert prorate(amount=Decimal(amount), paid_days=paid, working_days=working) == Decimal(
        expected
    )
