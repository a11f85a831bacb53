"""Personal income tax: both schedules worked by hand, deductions, and monotony
(docs/rules.md §6). No database."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payroll.rules.tax import (
    FamilyDeduction,
    TaxSchedule,
    family_deduction,
    personal_income_tax,
    progressive_tax,
    taxable_income,
)
from tests.payroll.rules.legal import (
    DEDUCTION_2025,
    DEDUCTION_2026,
    SCHEDULE_2025,
    SCHEDULE_2026,
)

D = Decimal


@pytest.mark.parametrize(
    ("income", "tax"),
    [
        (0, 0),
        (-1_000_000, 0),
        (8_000_000, 400_000),  # 5% × 8M
        (10_000_000, 500_000),  # top of the first bracket
        (25_000_000, 2_000_000),  # 10% × 25M − 0.5M
        (50_000_000, 6_500_000),  # 20% × 50M − 3.5M
        (80_000_000, 14_500_000),  # 30% × 80M − 9.5M
        (120_000_000, 27_500_000),  # 35% × 120M − 14.5M
        (12_844_855, 784_486),  # 10% × 12,844,855 − 0.5M = 784,485.5 → 784,486
    ],
)
def test_five_bracket_schedule_from_tax_year_2026(income, tax):
    assert progressive_tax(taxable_income=D(income), schedule=SCHEDULE_2026) == D(tax)


@pytest.mark.parametrize(
    ("income", "tax"),
    [
        (4_000_000, 200_000),  # 5%
        (5_000_000, 250_000),
        (8_000_000, 550_000),  # 10% × 8M − 0.25M
        (15_216_190, 1_532_429),  # 15% × 15,216,190 − 0.75M = 1,532,428.5 → 1,532,429
        (25_000_000, 3_350_000),  # 20% × 25M − 1.65M
        (40_000_000, 6_750_000),  # 25% × 40M − 3.25M
        (60_000_000, 12_150_000),  # 30% × 60M − 5.85M
        (90_000_000, 21_650_000),  # 35% × 90M − 9.85M
    ],
)
def test_seven_bracket_schedule_up_to_tax_year_2025(income, tax):
    assert progressive_tax(taxable_income=D(income), schedule=SCHEDULE_2025) == D(tax)


@pytest.mark.parametrize(
    ("deduction", "dependants", "amount"),
    [
        (DEDUCTION_2025, 0, 11_000_000),
        (DEDUCTION_2025, 2, 19_800_000),
        (DEDUCTION_2026, 0, 15_500_000),
        (DEDUCTION_2026, 2, 27_900_000),
    ],
)
def test_family_deductions_by_tax_year(deduction, dependants, amount):
    assert family_deduction(dependants=dependants, deduction=deduction) == D(amount)


def test_taxable_income_subtracts_insurance_and_deductions_and_is_never_negative():
    assert taxable_income(
        taxable_gross=D(30_676_250), employee_insurance=D(2_331_395),
        family_deduction=D(15_500_000),
    ) == D(12_844_855)  # fmt: skip
    assert taxable_income(
        taxable_gross=D(10_278_125), employee_insurance=D(781_138),
        family_deduction=D(15_500_000),
    ) == D(0)  # fmt: skip
    assert taxable_income(
        taxable_gross=D(20_000_000), employee_insurance=D(0), family_deduction=D(15_500_000),
        other_deductions=D(1_000_000),
    ) == D(3_500_000)  # fmt: skip


def test_personal_income_tax_of_a_month_in_each_tax_year():
    # 2026: 30,676,250 − 2,331,395 − 15,500,000 = 12,844,855 → 784,486.
    assert personal_income_tax(
        taxable_gross=D(30_676_250), employee_insurance=D(2_331_395), dependants=0,
        deduction=DEDUCTION_2026, schedule=SCHEDULE_2026,
    ) == D(784_486)  # fmt: skip
    # 2025, one dependant: 28,372,500 − 2,156,310 − 11,000,000 − 4,400,000 = 10,816,190;
    # 15% × 10,816,190 − 750,000 = 872,428.5 → 872,429.
    assert personal_income_tax(
        taxable_gross=D(28_372_500), employee_insurance=D(2_156_310), dependants=1,
        deduction=DEDUCTION_2025, schedule=SCHEDULE_2025,
    ) == D(872_429)  # fmt: skip


def test_a_schedule_must_end_open_and_rise():
    with pytest.raises(ValueError):
        TaxSchedule.from_pairs([(5_000_000, 5), (10_000_000, 10)])
    with pytest.raises(ValueError):
        TaxSchedule.from_pairs([(10_000_000, 5), (5_000_000, 10), (None, 20)])


def test_a_family_deduction_is_data():
    assert FamilyDeduction(D(1), D(2)).amount(3) == D(7)


incomes = st.integers(min_value=-10_000_000, max_value=500_000_000).map(D)


@settings(deadline=None)
@given(low=incomes, rise=st.integers(min_value=0, max_value=200_000_000))
def test_tax_never_decreases_as_taxable_income_rises(low, rise):
    for schedule in (SCHEDULE_2025, SCHEDULE_2026):
        assert schedule.tax(low) <= schedule.tax(low + rise)


@settings(deadline=None)
@given(income=incomes)
def test_tax_never_exceeds_the_top_rate_nor_goes_below_zero(income):
    for schedule in (SCHEDULE_2025, SCHEDULE_2026):
        assert D(0) <= schedule.tax(income) <= max(income, D(0)) * D("0.35") + D(1)
