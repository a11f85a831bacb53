"""Progression rules with worked cases (TT 08/2013 and TT 04/2005 amended by TT 03/2021;
NĐ 135/2020). No database."""

import datetime
from decimal import Decimal

import pytest

from payroll.rules.progression import (
    Period,
    RetirementAge,
    add_months,
    beyond_scale_amount,
    beyond_scale_next,
    early_raise_eligible,
    early_raise_quota,
    promotion_placement,
    regular_raise_due,
    retirement_date,
    retirement_early_raise_eligible,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 7, 1), 36, D(2026, 7, 1)),
        (D(2023, 7, 1), -6, D(2023, 1, 1)),
        (D(2020, 12, 15), 24, D(2022, 12, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("case", "kwargs", "due", "delay_months", "delay_days"),
    [
        (
            "A group, nothing special: 36 months",
            {"since": D(2023, 7, 1), "interval_months": 36},
            D(2026, 7, 1),
            0,
            0,
        ),
        (
            "B group: 24 months",
            {"since": D(2024, 3, 1), "interval_months": 24},
            D(2026, 3, 1),
            0,
            0,
        ),
        (
            "senior expert: 60 months",
            {"since": D(2021, 1, 1), "interval_months": 60},
            D(2026, 1, 1),
            0,
            0,
        ),
        (
            "reprimand of a civil servant during the interval: +6",
            {
                "since": D(2023, 7, 1),
                "interval_months": 36,
                "discipline_delays": [(D(2024, 5, 10), 6, "khiển trách")],
            },
            D(2027, 1, 1),
            6,
            0,
        ),
        (
            "reprimand of a public employee: +3",
            {
                "since": D(2023, 7, 1),
                "interval_months": 36,
                "discipline_delays": [(D(2024, 5, 10), 3, "khiển trách VC")],
            },
            D(2026, 10, 1),
            3,
            0,
        ),
        (
            "demotion: +12",
            {
                "since": D(2023, 7, 1),
                "interval_months": 36,
                "discipline_delays": [(D(2025, 1, 2), 12, "hạ bậc lương")],
            },
            D(2027, 7, 1),
            12,
            0,
        ),
        (
            "a discipline before the current step does not count",
            {
                "since": D(2023, 7, 1),
                "interval_months": 36,
                "discipline_delays": [(D(2023, 6, 30), 12, "cũ")],
            },
            D(2026, 7, 1),
            0,
            0,
        ),
        (
            "one year rated 'did not complete': +6",
            {"since": D(2023, 7, 1), "interval_months": 36, "failed_rating_years": [2024]},
            D(2027, 1, 1),
            6,
            0,
        ),
        (
            "delays add up: a warning and two failed years",
            {
                "since": D(2022, 1, 1),
                "interval_months": 36,
                "discipline_delays": [(D(2023, 3, 1), 6, "cảnh cáo")],
                "failed_rating_years": [2023, 2024],
            },
            D(2026, 7, 1),
            18,
            0,
        ),
        (
            "a delay that falls in the extended period also counts",
            {
                "since": D(2023, 7, 1),
                "interval_months": 24,
                "discipline_delays": [(D(2024, 1, 1), 6, "a"), (D(2025, 9, 1), 6, "b")],
            },
            D(2026, 7, 1),
            12,
            0,
        ),
        (
            "a delay after the due date does not count",
            {
                "since": D(2023, 7, 1),
                "interval_months": 24,
                "discipline_delays": [(D(2025, 8, 1), 6, "late")],
            },
            D(2025, 7, 1),
            0,
            0,
        ),
        (
            "unpaid leave is not counted: +its length",
            {
                "since": D(2023, 7, 1),
                "interval_months": 36,
                "non_counting": [Period(D(2024, 1, 1), D(2024, 3, 31), "nghỉ không lương")],
            },
            D(2026, 9, 30),
            0,
            91,
        ),
    ],
)
def test_regular_raise_due(case, kwargs, due, delay_months, delay_days):
    result = regular_raise_due(**kwargs)
    assert (result.date, result.delay_months, result.delay_days) == (
        due,
        delay_months,
        delay_days,
    ), case


def test_the_reasons_are_kept_for_the_due_list():
    result = regular_raise_due(
        since=D(2022, 1, 1),
        interval_months=36,
        discipline_delays=[(D(2023, 3, 1), 6, "Cảnh cáo 01/03/2023")],
        failed_rating_years=[2024],
    )
    assert [(d.reason, d.months) for d in result.delays] == [
        ("Cảnh cáo 01/03/2023", 6),
        ("rating 2024", 6),
    ]


@pytest.mark.parametrize(
    ("case", "kwargs", "percent", "due"),
    [
        (
            "A group: 5% after 36 months on the last step",
            {
                "on_last_step_since": D(2022, 7, 1),
                "current_percent": Decimal(0),
                "percent_since": None,
                "wait_months": 36,
            },
            Decimal(5),
            D(2025, 7, 1),
        ),
        (
            "B group: 5% after 24 months",
            {
                "on_last_step_since": D(2023, 1, 1),
                "current_percent": Decimal(0),
                "percent_since": None,
                "wait_months": 24,
            },
            Decimal(5),
            D(2025, 1, 1),
        ),
        (
            "then +1% every 12 months",
            {
                "on_last_step_since": D(2019, 1, 1),
                "current_percent": Decimal(7),
                "percent_since": D(2025, 4, 1),
                "wait_months": 36,
            },
            Decimal(8),
            D(2026, 4, 1),
        ),
        (
            "with the same delays: a reprimand in the year",
            {
                "on_last_step_since": D(2019, 1, 1),
                "current_percent": Decimal(7),
                "percent_since": D(2025, 4, 1),
                "wait_months": 36,
                "discipline_delays": [(D(2025, 10, 1), 6, "khiển trách")],
            },
            Decimal(8),
            D(2026, 10, 1),
        ),
        (
            "first 5% delayed by a failed year",
            {
                "on_last_step_since": D(2022, 7, 1),
                "current_percent": Decimal(0),
                "percent_since": None,
                "wait_months": 36,
                "failed_rating_years": [2023],
            },
            Decimal(5),
            D(2026, 1, 1),
        ),
    ],
)
def test_beyond_scale(case, kwargs, percent, due):
    next_percent, result = beyond_scale_next(**kwargs)
    assert (next_percent, result.date) == (percent, due), case


@pytest.mark.parametrize(
    ("include_leadership", "expected"),
    [(False, Decimal("1259940")), (True, Decimal("1323190"))],
)
def test_beyond_scale_amount(include_leadership, expected):
    # A1 last step 4.98 × 2,530,000 × 10% = 1,259,940 (with leadership 0.25: 5.23 × … = 1,323,190)
    amount = beyond_scale_amount(
        base_salary=Decimal(2530000),
        last_step_coefficient=Decimal("4.98"),
        percent=Decimal(10),
        leadership_coefficient=Decimal("0.25"),
        include_leadership=include_leadership,
    )
    assert amount == expected


A2_1 = [Decimal(x) for x in ("4.40", "4.74", "5.08", "5.42", "5.76", "6.10", "6.44", "6.78")]
A1 = [Decimal(x) for x in ("2.34", "2.67", "3.00", "3.33", "3.66", "3.99", "4.32", "4.65", "4.98")]


@pytest.mark.parametrize(
    ("case", "old", "tnvk", "new", "step", "coefficient", "carried"),
    [
        (
            "A1 step 7 (4.32) → A2.1: 4.40, gain 0.08 < 0.33: time carries over",
            Decimal("4.32"),
            Decimal(0),
            A2_1,
            1,
            Decimal("4.40"),
            True,
        ),
        (
            "A1 step 4 (3.33) → A2.1 step 1 (4.40): gain 1.07 ≥ 0.33: time restarts",
            Decimal("3.33"),
            Decimal(0),
            A2_1,
            1,
            Decimal("4.40"),
            False,
        ),
        (
            "equal coefficient: same step value",
            Decimal("4.40"),
            Decimal(0),
            A2_1,
            1,
            Decimal("4.40"),
            True,
        ),
        (
            # with beyond-scale seniority the new step counts from the promotion (§4.5)
            "A1 last step with 8% beyond scale (5.3784) → A2.1 step 4 (5.42)",
            Decimal("4.98"),
            Decimal(8),
            A2_1,
            4,
            Decimal("5.42"),
            False,
        ),
        (
            "A0 step 3 (2.72) → A1 step 3 (3.00): gain 0.28 < 0.31 carries over",
            Decimal("2.72"),
            Decimal(0),
            A1,
            3,
            Decimal("3.00"),
            True,
        ),
    ],
)
def test_promotion_placement(case, old, tnvk, new, step, coefficient, carried):
    placement = promotion_placement(
        old_coefficient=old,
        old_beyond_scale_percent=tnvk,
        old_step_since=D(2024, 1, 1),
        old_step_increment=Decimal("0.33") if "A0" not in case else Decimal("0.31"),
        new_coefficients=new,
        promoted_on=D(2026, 7, 1),
    )
    assert (placement.step, placement.coefficient, placement.carried_over) == (
        step,
        coefficient,
        carried,
    ), case
    assert placement.since == (D(2024, 1, 1) if carried else D(2026, 7, 1))


@pytest.mark.parametrize(
    ("due", "previous_early", "eligible"),
    [
        (D(2027, 12, 31), False, True),  # exactly 12 months short at 31/12/2026
        (D(2027, 3, 1), False, True),
        (D(2028, 1, 1), False, False),  # more than 12 months short
        (D(2026, 11, 1), False, False),  # due within the year: a regular raise
        (D(2027, 3, 1), True, False),  # not twice in a row in the same rank
    ],
)
def test_early_raise_eligibility(due, previous_early, eligible):
    assert (
        early_raise_eligible(
            due=due, year=2026, previous_raise_was_early_in_same_rank=previous_early
        )
        is eligible
    )


@pytest.mark.parametrize(("headcount", "quota"), [(9, 0), (10, 1), (57, 5), (120, 12)])
def test_early_raise_quota_is_ten_percent_rounded_down(headcount, quota):
    assert early_raise_quota(headcount) == quota


@pytest.mark.parametrize(
    ("due", "retires", "eligible"),
    [
        (D(2027, 5, 1), D(2026, 9, 30), True),
        (D(2027, 9, 30), D(2026, 9, 30), True),  # exactly 12 months short
        (D(2027, 10, 31), D(2026, 9, 30), False),
        (D(2026, 8, 1), D(2026, 9, 30), False),  # the regular raise comes before retirement
    ],
)
def test_retirement_early_raise(due, retires, eligible):
    assert retirement_early_raise_eligible(due=due, retires_on=retires) is eligible


MEN = [RetirementAge(2020, 60, 0)] + [
    RetirementAge(2021 + i, 60 + (3 * (i + 1)) // 12, (3 * (i + 1)) % 12) for i in range(8)
]
WOMEN = [RetirementAge(2020, 55, 0)] + [
    RetirementAge(2021 + i, 55 + (4 * (i + 1)) // 12, (4 * (i + 1)) % 12) for i in range(15)
]


@pytest.mark.parametrize(
    ("born", "schedule", "retires"),
    [
        (D(1961, 1, 15), MEN, D(2021, 4, 30)),  # 60y3m in 2021
        (D(1961, 10, 2), MEN, D(2022, 4, 30)),  # reaches 60y3m only in 2022 → 60y6m
        (D(1965, 6, 1), MEN, D(2026, 12, 31)),  # 61y6m in 2026
        (D(1970, 3, 10), MEN, D(2032, 3, 31)),  # 62 from 2028 on
        (D(1955, 5, 5), MEN, D(2015, 5, 31)),  # before 2021: 60
        (D(1966, 1, 20), WOMEN, D(2021, 5, 31)),  # 55y4m
        (D(1969, 5, 1), WOMEN, D(2026, 5, 31)),  # 57 in 2026
        (D(1980, 1, 1), WOMEN, D(2040, 1, 31)),  # 60 from 2035 on
    ],
)
def test_retirement_date(born, schedule, retires):
    assert retirement_date(born=born, schedule=schedule) == retires
