"""Legal parameters for the pay-rule tests, written out as the reference tables will hold them
(docs/rules.md §1.2, §3, §5.1, §6.2–§6.3). Plain data: no database."""

from decimal import Decimal

from payroll.rules.contributions import ContributionRates, Fund, Payer, RateRow
from payroll.rules.pay import AllowanceRule, Computation
from payroll.rules.payslip import PayParameters
from payroll.rules.tax import FamilyDeduction, TaxSchedule

D = Decimal

CADRE, CIVIL_SERVANT, PUBLIC_EMPLOYEE, CONTRACT = (
    "cadre",
    "civil_servant",
    "public_employee",
    "contract",
)
CB_CC = frozenset({CADRE, CIVIL_SERVANT})

BASE_2024 = D(2_340_000)  # NĐ 73/2024, from 2024-07-01
BASE_2026 = D(2_530_000)  # NĐ 161/2026, from 2026-07-01

# Fund × payer × category, in percent (docs/rules.md §5.1). No unemployment insurance for cán bộ
# and công chức.
_SHARES = [
    (Fund.RETIREMENT, "8", "14"),
    (Fund.SICKNESS, "0", "3"),
    (Fund.WORK_ACCIDENT, "0", "0.5"),
    (Fund.HEALTH, "1.5", "3"),
    (Fund.UNION_FEE, "0", "2"),
]
RATE_ROWS = [
    RateRow(fund, payer, category, D(percent))
    for category in (CADRE, CIVIL_SERVANT, PUBLIC_EMPLOYEE, CONTRACT)
    for fund, employee, employer in _SHARES
    for payer, percent in ((Payer.EMPLOYEE, employee), (Payer.EMPLOYER, employer))
] + [
    RateRow(Fund.UNEMPLOYMENT, payer, category, D(1))
    for category in (PUBLIC_EMPLOYEE, CONTRACT)
    for payer in Payer
]
RATES = ContributionRates(RATE_ROWS)

SCHEDULE_2026 = TaxSchedule.from_pairs(
    [(10_000_000, 5), (30_000_000, 10), (60_000_000, 20), (100_000_000, 30), (None, 35)]
)
SCHEDULE_2025 = TaxSchedule.from_pairs(
    [
        (5_000_000, 5),
        (10_000_000, 10),
        (18_000_000, 15),
        (32_000_000, 20),
        (52_000_000, 25),
        (80_000_000, 30),
        (None, 35),
    ]
)
DEDUCTION_2026 = FamilyDeduction(D(15_500_000), D(6_200_000))
DEDUCTION_2025 = FamilyDeduction(D(11_000_000), D(4_400_000))

# Line kinds (docs/rules.md §3): computation, in the insurance base, taxable, who receives it.
SALARY = AllowanceRule("LUONG", Computation.COEFFICIENT, True, True, label="salary")
PCCV = AllowanceRule("PCCV", Computation.COEFFICIENT, True, True, label="leadership")
TNVK = AllowanceRule("TNVK", Computation.PERCENT_OF_LAST_STEP, True, True, label="beyond scale")
BAOLUU = AllowanceRule("BAOLUU", Computation.COEFFICIENT, True, True, label="reserved")
TNN = AllowanceRule("TNN", Computation.PERCENT_OF_TOTAL, True, True)
CONGVU = AllowanceRule("CONGVU", Computation.PERCENT_OF_TOTAL, False, True, categories=CB_CC)
UUDAI = AllowanceRule("UUDAI", Computation.PERCENT_OF_TOTAL, False, True)
KHUVUC = AllowanceRule("KHUVUC", Computation.COEFFICIENT, False, False)
TRACHNHIEM = AllowanceRule("TRACHNHIEM", Computation.COEFFICIENT, False, True)
DOCHAI = AllowanceRule("DOCHAI", Computation.COEFFICIENT, False, False)
THUHUT = AllowanceRule("THUHUT", Computation.PERCENT_OF_SALARY, False, False)
KIEMNHIEM = AllowanceRule("KIEMNHIEM", Computation.PERCENT_OF_TOTAL, False, True)
AGREED = AllowanceRule("THOATHUAN", Computation.AMOUNT, True, True)  # a contract's agreed pay

UNION_DUES_PERCENT = D("0.5")
SUSPENDED_BY_ABSENCE = frozenset(
    {Fund.RETIREMENT, Fund.SICKNESS, Fund.WORK_ACCIDENT, Fund.UNEMPLOYMENT, Fund.UNION_FEE}
)


def parameters(
    *,
    base_salary: Decimal = BASE_2026,
    tax_year: int = 2026,
    union_dues_percent: Decimal = UNION_DUES_PERCENT,
    beyond_scale_includes_leadership: bool = False,
) -> PayParameters:
    """The month's parameters for a base salary and a tax year."""
    return PayParameters(
        base_salary=base_salary,
        salary_rule=SALARY,
        leadership_rule=PCCV,
        beyond_scale_rule=TNVK,
        reserved_rule=BAOLUU,
        beyond_scale_includes_leadership=beyond_scale_includes_leadership,
        rates=RATES,
        insurance_cap_multiple=D(20),
        absence_threshold_days=14,
        absence_suspended_funds=SUSPENDED_BY_ABSENCE,
        union_dues_percent=union_dues_percent,
        union_dues_cap_percent_of_base_salary=D(10),
        tax_schedule=SCHEDULE_2026 if tax_year >= 2026 else SCHEDULE_2025,
        family_deduction=DEDUCTION_2026 if tax_year >= 2026 else DEDUCTION_2025,
    )


JULY_2026 = parameters()
JUNE_2026 = parameters(base_salary=BASE_2024)
DECEMBER_2025 = parameters(base_salary=BASE_2024, tax_year=2025)
