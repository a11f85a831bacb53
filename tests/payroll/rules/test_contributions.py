"""Insurance and union contributions, worked by hand (docs/rules.md §5). No database."""

from decimal import Decimal

import pytest

from payroll.rules.contributions import (
    Contribution,
    ContributionRates,
    Fund,
    Payer,
    RateRow,
    absence_suspends,
    back_contributions,
    capped_base,
    contributions,
    insurance_base,
    insurance_cap,
    total,
    union_dues,
)
from payroll.rules.payslip import Line
from tests.payroll.rules.legal import (
    BASE_2024,
    BASE_2026,
    CADRE,
    CIVIL_SERVANT,
    CONTRACT,
    PUBLIC_EMPLOYEE,
    RATES,
    SUSPENDED_BY_ABSENCE,
)

D = Decimal
BASE = D(10_000_000)  # a round base makes each share readable


def shares(category, *, base=BASE, **kwargs):
    return {
        item.fund: (item.employee, item.employer)
        for item in contributions(base=base, rates=RATES.for_category(category), **kwargs)
    }


@pytest.mark.parametrize("category", [CIVIL_SERVANT, CADRE])
def test_civil_servants_and_cadres_pay_9_5_percent_and_their_employer_20_5(category):
    funds = shares(category)
    assert funds == {
        Fund.RETIREMENT: (D(800_000), D(1_400_000)),
        Fund.SICKNESS: (D(0), D(300_000)),
        Fund.WORK_ACCIDENT: (D(0), D(50_000)),
        Fund.HEALTH: (D(150_000), D(300_000)),
    }
    assert Fund.UNEMPLOYMENT not in funds  # no unemployment insurance for cán bộ, công chức
    assert sum(employee for employee, _ in funds.values()) == D(950_000)  # 9.5%
    assert sum(employer for _, employer in funds.values()) == D(2_050_000)  # 20.5%


@pytest.mark.parametrize("category", [PUBLIC_EMPLOYEE, CONTRACT])
def test_public_employees_and_contract_staff_pay_10_5_percent_and_their_employer_21_5(category):
    funds = shares(category)
    assert funds[Fund.UNEMPLOYMENT] == (D(100_000), D(100_000))
    assert sum(employee for employee, _ in funds.values()) == D(1_050_000)  # 10.5%
    assert sum(employer for _, employer in funds.values()) == D(2_150_000)  # 21.5%


def test_the_union_fee_is_charged_to_the_employer_only_where_owed():
    assert Fund.UNION_FEE not in shares(CIVIL_SERVANT)
    assert shares(CIVIL_SERVANT, owes_union_fee=True)[Fund.UNION_FEE] == (D(0), D(200_000))


def test_each_share_is_rounded_half_up_per_fund_and_payer():
    # The worked example's base 8,222,500: 8% = 657,800; 1.5% = 123,337.5 → 123,338;
    # employer 14% = 1,151,150, 3% = 246,675, 0.5% = 41,112.5 → 41,113 (17.5%: 1,438,938).
    funds = shares(CIVIL_SERVANT, base=D(8_222_500))
    assert funds[Fund.RETIREMENT] == (D(657_800), D(1_151_150))
    assert funds[Fund.HEALTH] == (D(123_338), D(246_675))
    assert funds[Fund.WORK_ACCIDENT] == (D(0), D(41_113))
    social = [Fund.RETIREMENT, Fund.SICKNESS, Fund.WORK_ACCIDENT]
    assert sum(funds[fund][1] for fund in social) == D(1_438_938)


def test_the_base_is_the_sum_of_the_lines_flagged_for_it():
    lines = [
        Line("LUONG", "", D(7_590_000), True, True),
        Line("PCCV", "", D(632_500), True, True),
        Line("CONGVU", "", D(2_055_625), False, True),
        Line("KHUVUC", "", D(506_000), False, False),
    ]
    assert insurance_base(lines) == D(8_222_500)
    assert insurance_base([]) == D(0)


@pytest.mark.parametrize(
    ("base_salary", "cap"), [(BASE_2024, D(46_800_000)), (BASE_2026, D(50_600_000))]
)
def test_the_cap_is_twenty_times_the_base_salary(base_salary, cap):
    assert insurance_cap(base_salary=base_salary, multiple=D(20)) == cap
    assert capped_base(base=cap + 1, cap=cap) == cap
    assert capped_base(base=cap - 1, cap=cap) == cap - 1


@pytest.mark.parametrize(("unpaid_days", "suspends"), [(13, False), (14, True), (22, True)])
def test_fourteen_unpaid_working_days_suspend_the_month(unpaid_days, suspends):
    assert absence_suspends(unpaid_days=unpaid_days, threshold_days=14) is suspends


def test_a_suspended_month_owes_health_insurance_only():
    funds = shares(
        PUBLIC_EMPLOYEE,
        suspended=True,
        suspended_funds=SUSPENDED_BY_ABSENCE,
        owes_union_fee=True,
    )
    assert funds == {Fund.HEALTH: (D(150_000), D(300_000))}


def test_union_dues_are_half_a_percent_of_the_base():
    # 0.5% of 8,222,500 = 41,112.5 → 41,113.
    dues = union_dues(
        base=D(8_222_500), percent=D("0.5"), base_salary=BASE_2026,
        cap_percent_of_base_salary=D(10),
    )  # fmt: skip
    assert dues == D(41_113)


def test_union_dues_are_capped_at_ten_percent_of_the_base_salary():
    # 1% of 30,000,000 = 300,000 > 10% of 2,530,000 = 253,000.
    dues = union_dues(
        base=D(30_000_000), percent=D(1), base_salary=BASE_2026, cap_percent_of_base_salary=D(10)
    )
    assert dues == D(253_000)


def test_rates_from_several_rows_for_one_fund_add_up():
    rates = ContributionRates(
        [
            RateRow(Fund.RETIREMENT, Payer.EMPLOYER, "x", D(14)),
            RateRow(Fund.RETIREMENT, Payer.EMPLOYER, "x", D(1)),
            RateRow("health", "employee", "x", D("1.5")),
        ]
    )
    assert [(rate.fund, rate.employee, rate.employer) for rate in rates.for_category("x")] == [
        (Fund.RETIREMENT, D(0), D("0.15")),
        (Fund.HEALTH, D("0.015"), D(0)),
    ]
    assert rates.for_category("nobody") == ()
    assert rates.categories == frozenset({"x"})


def test_back_contributions_are_the_difference_per_fund_and_payer():
    paid = [
        Contribution(Fund.RETIREMENT, D(608_400), D(1_064_700)),
        Contribution(Fund.HEALTH, D(114_075), D(228_150)),
        Contribution(Fund.SICKNESS, D(0), D(228_150)),
    ]
    due = [
        Contribution(Fund.RETIREMENT, D(670_176), D(1_172_808)),
        Contribution(Fund.HEALTH, D(125_658), D(251_316)),
        Contribution(Fund.SICKNESS, D(0), D(228_150)),  # unchanged: left out
    ]
    result = back_contributions(paid=paid, due=due)
    assert [(item.fund, item.employee, item.employer) for item in result] == [
        (Fund.RETIREMENT, D(61_776), D(108_108)),
        (Fund.HEALTH, D(11_583), D(23_166)),
    ]
    assert total(result, Payer.EMPLOYEE) == D(73_359)
    assert total(result, Payer.EMPLOYER) == D(131_274)
    assert back_contributions(paid=paid, due=paid) == ()
