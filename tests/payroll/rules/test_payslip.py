"""A month's payslip and the arrears of past months, worked to the đồng by hand, and the
properties every payslip keeps (docs/rules.md §7, with §1, §3, §5, §6). No database."""

import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from hrms.lib.money import round_vnd
from payroll.rules.contributions import Contribution, Fund
from payroll.rules.pay import Allowance
from payroll.rules.payslip import (
    Line,
    PayslipInput,
    compute_payslip,
    month_arrears,
    payslip_arrears,
)
from payroll.rules.working_days import unpaid_working_days, working_days
from tests.payroll.rules.legal import (
    AGREED,
    CADRE,
    CIVIL_SERVANT,
    CONGVU,
    CONTRACT,
    DECEMBER_2025,
    DOCHAI,
    JULY_2026,
    JUNE_2026,
    KHUVUC,
    KIEMNHIEM,
    PUBLIC_EMPLOYEE,
    RATES,
    THUHUT,
    TNN,
    TRACHNHIEM,
    UUDAI,
    parameters,
)

D = Decimal
SOCIAL = (Fund.RETIREMENT, Fund.SICKNESS, Fund.WORK_ACCIDENT)


def amounts(payslip):
    return {line.code: line.amount for line in payslip.lines if line.period is None}


def employee(payslip, fund):
    return payslip.contribution(fund).employee


def employer(payslip, fund):
    return payslip.contribution(fund).employer


# --- The worked example (docs/rules.md §7.7) ------------------------------------------------

# Công chức, rank 01.003 (A1) step 3 (3.00), head of a specialised office of a commune outside
# Hà Nội and HCMC (leadership 0.25), area 0.2, no beyond-scale, July 2026 (base 2,530,000).
WORKED_EXAMPLE = PayslipInput(
    category=CIVIL_SERVANT,
    salary_coefficient=D("3.00"),
    leadership_coefficient=D("0.25"),
    allowances=(Allowance(CONGVU, D(25)), Allowance(KHUVUC, D("0.2"))),
    working_days=23,
)


def test_the_worked_example_to_the_dong():
    payslip = compute_payslip(WORKED_EXAMPLE, JULY_2026)
    assert amounts(payslip) == {
        "LUONG": D(7_590_000),
        "PCCV": D(632_500),
        "CONGVU": D(2_055_625),
        "KHUVUC": D(506_000),
    }
    assert payslip.insurance_base == D(8_222_500)
    assert employee(payslip, Fund.RETIREMENT) == D(657_800)
    assert employee(payslip, Fund.HEALTH) == D(123_338)  # 123,337.5
    assert employee(payslip, Fund.UNEMPLOYMENT) == D(0)  # công chức
    assert sum(employer(payslip, fund) for fund in SOCIAL) == D(1_438_938)  # 17.5%
    assert employer(payslip, Fund.HEALTH) == D(246_675)
    assert payslip.personal_income_tax == D(0)  # below the 15.5M deduction
    # Our own totals: gross 10,784,125; employee insurance 657,800 + 123,338 = 781,138.
    assert payslip.gross == D(10_784_125)
    assert payslip.employee_insurance == D(781_138)
    assert payslip.net == D(10_002_987)


def test_the_employer_owes_the_union_fee_where_the_unit_does():
    owing = compute_payslip(
        PayslipInput(**{**_fields(WORKED_EXAMPLE), "owes_union_fee": True}), JULY_2026
    )
    assert employer(owing, Fund.UNION_FEE) == D(164_450)  # 2% × 8,222,500
    assert owing.net == compute_payslip(WORKED_EXAMPLE, JULY_2026).net
    assert Fund.UNION_FEE not in {
        item.fund for item in compute_payslip(WORKED_EXAMPLE, JULY_2026).contributions
    }


def _fields(data: PayslipInput) -> dict:
    return {name: getattr(data, name) for name in data.__dataclass_fields__}


# --- Each line type and each fund ------------------------------------------------------------


def test_every_kind_of_line_with_its_flags():
    # A cán bộ, A1 last step 4.98 with 7% beyond-scale, leadership 0.30, reserved 0.10,
    # professional seniority 12%, area 0.5, responsibility 0.2, hazard 0.1, attraction 30%,
    # concurrent post 10%, July 2026.
    # salary 4.98 × 2,530,000 = 12,599,400; leadership 0.30 × = 759,000;
    # beyond-scale 7% × 12,599,400 = 881,958; reserved 0.10 × = 253,000;
    # total for percentages 12,599,400 + 759,000 + 881,958 = 14,240,358:
    # seniority 12% = 1,708,842.96 → 1,708,843; public service 25% = 3,560,089.5 → 3,560,090;
    # concurrent 10% = 1,424,035.8 → 1,424,036; attraction 30% × 12,599,400 = 3,779,820;
    # area 0.5 × = 1,265,000; responsibility 0.2 × = 506,000; hazard 0.1 × = 253,000.
    data = PayslipInput(
        category=CADRE,
        salary_coefficient=D("4.98"),
        leadership_coefficient=D("0.30"),
        beyond_scale_percent=D(7),
        last_step_coefficient=D("4.98"),
        reserved_coefficient=D("0.10"),
        allowances=(
            Allowance(TNN, D(12)),
            Allowance(CONGVU, D(25)),
            Allowance(KIEMNHIEM, D(10)),
            Allowance(THUHUT, D(30)),
            Allowance(KHUVUC, D("0.5")),
            Allowance(TRACHNHIEM, D("0.2")),
            Allowance(DOCHAI, D("0.1")),
        ),
        working_days=23,
    )
    payslip = compute_payslip(data, JULY_2026)
    assert amounts(payslip) == {
        "LUONG": D(12_599_400),
        "PCCV": D(759_000),
        "TNVK": D(881_958),
        "BAOLUU": D(253_000),
        "TNN": D(1_708_843),
        "CONGVU": D(3_560_090),
        "KIEMNHIEM": D(1_424_036),
        "THUHUT": D(3_779_820),
        "KHUVUC": D(1_265_000),
        "TRACHNHIEM": D(506_000),
        "DOCHAI": D(253_000),
    }
    # Insurance base: salary, leadership, beyond-scale, reserved, seniority
    # = 12,599,400 + 759,000 + 881,958 + 253,000 + 1,708,843 = 16,202,201.
    assert payslip.insurance_base == D(16_202_201)
    # Gross: 16,202,201 + 3,560,090 + 1,424,036 + 3,779,820 + 1,265,000 + 506,000 + 253,000
    # = 26,990,147; taxable: all but area, hazard and attraction = 26,990,147 − 1,265,000
    # − 253,000 − 3,779,820 = 21,692,327.
    assert payslip.gross == D(26_990_147)
    assert payslip.taxable_gross == D(21_692_327)
    # Employee: 8% = 1,296,176.08 → 1,296,176; 1.5% = 243,033.015 → 243,033.
    assert payslip.employee_insurance == D(1_539_209)
    # 21,692,327 − 1,539,209 − 15,500,000 = 4,653,118; 5% = 232,655.9 → 232,656.
    assert payslip.taxable_income == D(4_653_118)
    assert payslip.personal_income_tax == D(232_656)
    assert payslip.net == D(25_218_282)


def test_beyond_scale_with_leadership_when_the_parameter_says_so():
    data = PayslipInput(
        category=CIVIL_SERVANT,
        salary_coefficient=D("4.98"),
        leadership_coefficient=D("0.30"),
        beyond_scale_percent=D(7),
        last_step_coefficient=D("4.98"),
        working_days=23,
    )
    # (4.98 + 0.30) × 2,530,000 × 7% = 935,088
    with_leadership = compute_payslip(data, parameters(beyond_scale_includes_leadership=True))
    assert amounts(with_leadership)["TNVK"] == D(935_088)
    assert amounts(compute_payslip(data, JULY_2026))["TNVK"] == D(881_958)


def test_a_public_employee_receives_no_public_service_allowance_and_pays_unemployment():
    data = PayslipInput(**{**_fields(WORKED_EXAMPLE), "category": PUBLIC_EMPLOYEE})
    payslip = compute_payslip(data, JULY_2026)
    assert "CONGVU" not in amounts(payslip)
    assert employee(payslip, Fund.UNEMPLOYMENT) == D(82_225)  # 1% × 8,222,500
    assert employer(payslip, Fund.UNEMPLOYMENT) == D(82_225)
    # 10.5%: 657,800 + 123,338 + 82,225 = 863,363; employer 21.5% by fund:
    # 1,151,150 + 246,675 + 41,113 + 246,675 + 82,225 = 1,767,838.
    assert payslip.employee_insurance == D(863_363)
    assert payslip.employer_insurance == D(1_767_838)


def test_a_civil_servant_pays_9_5_percent_and_the_employer_20_5():
    payslip = compute_payslip(WORKED_EXAMPLE, JULY_2026)
    # 9.5% of 8,222,500 = 781,137.5; by fund 657,800 + 123,338 = 781,138.
    assert payslip.employee_insurance == D(781_138)
    # 20.5% by fund: 1,151,150 + 246,675 + 41,113 + 246,675 = 1,685,613.
    assert payslip.employer_insurance == D(1_685_613)


# --- Tax in both schedules --------------------------------------------------------------------

# Chuyên viên cao cấp (A3.1) last step 8.00 with 10% beyond-scale, director of a provincial
# department (leadership 0.90), public-service 25%, no dependants.
DIRECTOR = PayslipInput(
    category=CIVIL_SERVANT,
    salary_coefficient=D("8.00"),
    leadership_coefficient=D("0.90"),
    beyond_scale_percent=D(10),
    last_step_coefficient=D("8.00"),
    allowances=(Allowance(CONGVU, D(25)),),
    working_days=22,
)


def test_tax_in_the_five_bracket_schedule_of_2026():
    payslip = compute_payslip(DIRECTOR, JULY_2026)
    # 20,240,000 + 2,277,000 + 2,024,000 + 25% × 24,541,000 (6,135,250) = 30,676,250.
    assert amounts(payslip) == {
        "LUONG": D(20_240_000),
        "PCCV": D(2_277_000),
        "TNVK": D(2_024_000),
        "CONGVU": D(6_135_250),
    }
    # Insurance 8% + 1.5% of 24,541,000 = 1,963,280 + 368,115 = 2,331,395.
    assert payslip.employee_insurance == D(2_331_395)
    # 30,676,250 − 2,331,395 − 15,500,000 = 12,844,855; 10% × it − 500,000 = 784,485.5.
    assert payslip.taxable_income == D(12_844_855)
    assert payslip.personal_income_tax == D(784_486)
    assert payslip.net == D(27_560_369)
    # Employer 20.5% by fund: 3,435,740 + 736,230 + 122,705 + 736,230 = 5,030,905.
    assert payslip.employer_insurance == D(5_030_905)


def test_tax_in_the_seven_bracket_schedule_up_to_2025():
    payslip = compute_payslip(DIRECTOR, DECEMBER_2025)
    # Base 2,340,000: 18,720,000 + 2,106,000 + 1,872,000 + 25% × 22,698,000 (5,674,500).
    assert payslip.gross == D(28_372_500)
    # 8% + 1.5% of 22,698,000 = 1,815,840 + 340,470.
    assert payslip.employee_insurance == D(2_156_310)
    # 28,372,500 − 2,156,310 − 11,000,000 = 15,216,190; 15% × it − 750,000 = 1,532,428.5.
    assert payslip.personal_income_tax == D(1_532_429)
    assert payslip.net == D(24_683_761)
    # One dependant (4,400,000): 10,816,190 → 15% × it − 750,000 = 872,428.5.
    with_child = compute_payslip(PayslipInput(**{**_fields(DIRECTOR), "dependants": 1}),
                                 DECEMBER_2025)  # fmt: skip
    assert with_child.personal_income_tax == D(872_429)


def test_arrears_are_taxed_in_the_month_paid_and_exempt_arrears_are_not():
    arrears = (
        Line("LUONG", "", D(1_000_000), True, True, period=(2026, 6)),
        Line("KHUVUC", "", D(200_000), False, False, period=(2026, 6)),
    )
    back = (Contribution(Fund.RETIREMENT, D(100_000), D(175_000)),)
    data = PayslipInput(**{**_fields(DIRECTOR), "extra_lines": arrears, "back_contributions": back})
    payslip = compute_payslip(data, JULY_2026)
    # 12,844,855 + 1,000,000 − 100,000 = 13,744,855; 10% × it − 500,000 = 874,485.5.
    assert payslip.taxable_income == D(13_744_855)
    assert payslip.personal_income_tax == D(874_486)
    assert payslip.gross == D(30_676_250 + 1_200_000)
    assert payslip.insurance_base == D(24_541_000)  # arrears are not this month's base
    assert payslip.employee_back_contributions == D(100_000)
    assert payslip.net == D(31_876_250 - 2_331_395 - 100_000 - 874_486)


# --- The cap, part months, the 14-day rule, union dues ------------------------------------------


def test_a_high_earner_contributes_on_the_cap_only():
    # A contract paid an agreed 60,000,000 a month, in the base; cap 20 × 2,530,000.
    data = PayslipInput(
        category=CONTRACT,
        salary_coefficient=D(0),
        allowances=(Allowance(AGREED, D(60_000_000)),),
        union_member=True,
        working_days=23,
    )
    payslip = compute_payslip(data, JULY_2026)
    assert amounts(payslip) == {"THOATHUAN": D(60_000_000)}
    assert payslip.insurance_salary == D(60_000_000)
    assert payslip.insurance_base == D(50_600_000)
    assert employee(payslip, Fund.RETIREMENT) == D(4_048_000)
    assert employee(payslip, Fund.HEALTH) == D(759_000)
    assert employee(payslip, Fund.UNEMPLOYMENT) == D(506_000)
    assert payslip.employer_insurance == D(10_879_000)  # 21.5% of 50,600,000
    assert payslip.union_dues == D(253_000)  # 0.5% of the capped base = 10% of base salary
    # 60,000,000 − 5,313,000 − 15,500,000 = 39,187,000; 20% × it − 3,500,000 = 4,337,400.
    assert payslip.personal_income_tax == D(4_337_400)
    assert payslip.net == D(60_000_000 - 5_313_000 - 253_000 - 4_337_400)


def test_union_dues_are_capped_at_ten_percent_of_the_base_salary():
    data = PayslipInput(**{**_fields(DIRECTOR), "union_member": True})
    # 1% of 24,541,000 = 245,410, under 10% × 2,530,000 = 253,000: kept.
    assert compute_payslip(data, parameters(union_dues_percent=D(1))).union_dues == D(245_410)
    # 2% of 24,541,000 = 490,820 → capped at 253,000.
    assert compute_payslip(data, parameters(union_dues_percent=D(2))).union_dues == D(253_000)
    # 0.5% of 24,541,000 = 122,705.
    assert compute_payslip(data, JULY_2026).union_dues == D(122_705)


# A lower-secondary teacher grade III (A1) step 4 (3.33), professional seniority 10%, sector
# incentive 40%, union member, one dependant, in August 2026 (21 working days).
TEACHER = PayslipInput(
    category=PUBLIC_EMPLOYEE,
    salary_coefficient=D("3.33"),
    allowances=(Allowance(TNN, D(10)), Allowance(UUDAI, D(40)), Allowance(CONGVU, D(25))),
    union_member=True,
    dependants=1,
    working_days=working_days(2026, 8),
)


def test_a_mid_month_start_is_prorated_by_working_days():
    unpaid = unpaid_working_days(year=2026, month=8, employed_from=datetime.date(2026, 8, 17))
    assert unpaid == 10
    payslip = compute_payslip(PayslipInput(**{**_fields(TEACHER), "unpaid_days": unpaid}),
                              JULY_2026)  # fmt: skip
    # Full month: 8,424,900; seniority 842,490; incentive 3,369,960. Paid 11 of 21 days:
    # 92,673,900/21 = 4,413,042.86; 9,267,390/21 = 441,304.29; 37,069,560/21 = 1,765,217.14.
    assert amounts(payslip) == {
        "LUONG": D(4_413_043),
        "TNN": D(441_304),
        "UUDAI": D(1_765_217),
    }
    assert payslip.paid_days == 11
    assert not payslip.suspended
    # Fewer than 14 unpaid days: insurance on the full month's base 9,267,390.
    assert payslip.insurance_base == D(9_267_390)
    assert employee(payslip, Fund.RETIREMENT) == D(741_391)  # 741,391.2
    assert employee(payslip, Fund.HEALTH) == D(139_011)  # 139,010.85
    assert employee(payslip, Fund.UNEMPLOYMENT) == D(92_674)  # 92,673.9
    assert payslip.union_dues == D(46_337)  # 0.5% = 46,336.95
    assert payslip.personal_income_tax == D(0)
    assert payslip.net == D(6_619_564 - 973_076 - 46_337)
    # The employer's 21.5%, rounded per fund: 1,297,435 + 278,022 + 46,337 + 278,022 + 92,674.
    assert payslip.employer_insurance == D(1_992_490)


def test_thirteen_unpaid_days_still_owe_every_fund():
    leave = [(datetime.date(2026, 8, 3), datetime.date(2026, 8, 19))]
    unpaid = unpaid_working_days(year=2026, month=8, unpaid_periods=leave)
    assert unpaid == 13
    payslip = compute_payslip(PayslipInput(**{**_fields(TEACHER), "unpaid_days": unpaid}),
                              JULY_2026)  # fmt: skip
    assert not payslip.suspended
    assert payslip.employee_insurance == D(973_076)


def test_fourteen_unpaid_days_owe_no_social_or_unemployment_insurance_but_health_continues():
    leave = [(datetime.date(2026, 8, 3), datetime.date(2026, 8, 20))]
    unpaid = unpaid_working_days(year=2026, month=8, unpaid_periods=leave)
    assert unpaid == 14
    payslip = compute_payslip(PayslipInput(**{**_fields(TEACHER), "unpaid_days": unpaid}),
                              JULY_2026)  # fmt: skip
    assert payslip.suspended
    # Paid 7 of 21 days: a third of each line.
    assert amounts(payslip) == {
        "LUONG": D(2_808_300),
        "TNN": D(280_830),
        "UUDAI": D(1_123_320),
    }
    assert [(c.fund, c.employee, c.employer) for c in payslip.contributions] == [
        (Fund.HEALTH, D(139_011), D(278_022))
    ]
    assert payslip.union_dues == D(0)
    assert payslip.net == D(4_212_450 - 139_011)


def test_a_whole_month_unpaid_pays_no_lines():
    payslip = compute_payslip(PayslipInput(**{**_fields(TEACHER), "unpaid_days": 21}), JULY_2026)
    assert payslip.gross == D(0)
    assert payslip.paid_days == 0
    assert payslip.suspended


# --- Arrears across the July 2026 base-salary change -------------------------------------------


def _civil_servant(coefficient: str) -> PayslipInput:
    return PayslipInput(**{**_fields(WORKED_EXAMPLE), "salary_coefficient": D(coefficient)})


def test_a_backdated_raise_pays_arrears_per_month_and_line_with_back_contributions():
    # A1 step 3 (3.00) → step 4 (3.33) from 1 June 2026, approved in August after June and
    # July were locked. June's base is 2,340,000, July's 2,530,000.
    june = payslip_arrears(
        period=(2026, 6),
        paid=compute_payslip(_civil_servant("3.00"), JUNE_2026),
        due=compute_payslip(_civil_servant("3.33"), JUNE_2026),
    )
    # June: salary 7,792,200 − 7,020,000; public service 25% × (8,377,200 − 7,605,000).
    assert [(line.code, line.amount, line.period) for line in june.lines] == [
        ("LUONG", D(772_200), (2026, 6)),
        ("CONGVU", D(193_050), (2026, 6)),
    ]
    # Employee: 8% 670,176 − 608,400; 1.5% 125,658 − 114,075. Employer: 14% 1,172,808 −
    # 1,064,700; 3% 251,316 − 228,150; 0.5% 41,886 − 38,025; health 251,316 − 228,150.
    assert [(c.fund, c.employee, c.employer) for c in june.back_contributions] == [
        (Fund.RETIREMENT, D(61_776), D(108_108)),
        (Fund.SICKNESS, D(0), D(23_166)),
        (Fund.WORK_ACCIDENT, D(0), D(3_861)),
        (Fund.HEALTH, D(11_583), D(23_166)),
    ]
    july = payslip_arrears(
        period=(2026, 7),
        paid=compute_payslip(_civil_servant("3.00"), JULY_2026),
        due=compute_payslip(_civil_servant("3.33"), JULY_2026),
    )
    # July: 8,424,900 − 7,590,000; 25% × 9,057,400 (2,264,350) − 2,055,625.
    assert [(line.code, line.amount) for line in july.lines] == [
        ("LUONG", D(834_900)),
        ("CONGVU", D(208_725)),
    ]
    # 8% 724,592 − 657,800; 1.5% 135,861 − 123,338.
    assert july.employee_back_contributions == D(66_792 + 12_523)

    august = compute_payslip(
        PayslipInput(
            **{
                **_fields(_civil_servant("3.33")),
                "extra_lines": june.lines + july.lines,
                "back_contributions": june.back_contributions + july.back_contributions,
            }
        ),
        JULY_2026,
    )
    # Own month 8,424,900 + 632,500 + 2,264,350 + 506,000 = 11,827,750, arrears 2,008,875.
    assert august.gross == D(13_836_625)
    assert august.employee_insurance == D(724_592 + 135_861)
    assert august.employee_back_contributions == D(152_674)
    assert august.net == D(13_836_625 - 860_453 - 152_674)
    assert [line.period for line in august.lines] == [None] * 4 + [(2026, 6)] * 2 + [(2026, 7)] * 2


def test_arrears_already_paid_for_a_month_count_as_paid():
    paid = compute_payslip(_civil_servant("3.00"), JUNE_2026)
    due = compute_payslip(_civil_servant("3.33"), JUNE_2026)
    first = payslip_arrears(period=(2026, 6), paid=paid, due=due)
    again = month_arrears(
        period=(2026, 6),
        paid_lines=[
            *paid.lines,
            *first.lines,
            Line("LUONG", "", D(999), True, True, period=(2026, 5)),  # another month's: ignored
        ],
        due_lines=due.lines,
        paid_contributions=[*paid.contributions, *first.back_contributions],
        due_contributions=due.contributions,
    )
    assert again.is_empty


def test_a_lowered_line_gives_negative_arrears_and_a_removed_line_is_paid_back():
    paid = compute_payslip(_civil_servant("3.33"), JULY_2026)
    lowered = PayslipInput(**{**_fields(_civil_servant("3.00")), "allowances": ()})
    result = payslip_arrears(period=(2026, 7), paid=paid, due=compute_payslip(lowered, JULY_2026))
    assert {line.code: line.amount for line in result.lines} == {
        "LUONG": D(-834_900),
        "CONGVU": D(-2_264_350),
        "KHUVUC": D(-506_000),
    }
    assert result.employee_back_contributions == D(-(66_792 + 12_523))


# --- Properties ---------------------------------------------------------------------------------

MONTHS = st.sampled_from([JULY_2026, JUNE_2026, DECEMBER_2025])


@st.composite
def inputs(draw):
    working = draw(st.integers(min_value=18, max_value=23))
    allowances = []
    if draw(st.booleans()):
        allowances.append(Allowance(TNN, D(draw(st.integers(0, 40)))))
    if draw(st.booleans()):
        allowances.append(Allowance(CONGVU, D(25)))
    if draw(st.booleans()):
        allowances.append(Allowance(UUDAI, D(draw(st.integers(0, 80)))))
    if draw(st.booleans()):
        allowances.append(Allowance(KHUVUC, D(draw(st.sampled_from([1, 2, 3, 4, 5, 7, 10]))) / 10))
    if draw(st.booleans()):
        allowances.append(Allowance(AGREED, D(draw(st.integers(0, 150_000_000)))))
    last_step = D(draw(st.integers(100, 1000))) / 100
    return PayslipInput(
        category=draw(st.sampled_from([CADRE, CIVIL_SERVANT, PUBLIC_EMPLOYEE, CONTRACT])),
        salary_coefficient=D(draw(st.integers(100, 1000))) / 100,
        leadership_coefficient=D(draw(st.integers(0, 130))) / 100,
        beyond_scale_percent=D(draw(st.sampled_from([0, 0, 5, 6, 9, 15, 30]))),
        last_step_coefficient=last_step,
        reserved_coefficient=D(draw(st.integers(0, 50))) / 100,
        allowances=tuple(allowances),
        dependants=draw(st.integers(0, 4)),
        union_member=draw(st.booleans()),
        owes_union_fee=draw(st.booleans()),
        working_days=working,
        unpaid_days=draw(st.integers(0, working)),
    )


@settings(deadline=None, max_examples=300)
@given(data=inputs(), params=MONTHS)
def test_net_is_gross_less_the_deductions(data, params):
    payslip = compute_payslip(data, params)
    assert payslip.gross == sum((line.amount for line in payslip.lines), D(0))
    assert payslip.deductions == (
        payslip.employee_insurance
        + payslip.employee_back_contributions
        + payslip.union_dues
        + payslip.personal_income_tax
    )
    assert payslip.net == payslip.gross - payslip.deductions


@settings(deadline=None, max_examples=300)
@given(data=inputs(), params=MONTHS)
def test_insurance_is_never_above_the_cap(data, params):
    payslip = compute_payslip(data, params)
    cap = params.base_salary * 20
    assert payslip.insurance_base <= cap
    rates = {rate.fund: rate for rate in RATES.for_category(data.category)}
    for item in payslip.contributions:
        assert item.employee <= round_vnd(cap * rates[item.fund].employee)
        assert item.employer <= round_vnd(cap * rates[item.fund].employer)
    assert payslip.union_dues <= params.base_salary / 10


@settings(deadline=None, max_examples=300)
@given(data=inputs(), params=MONTHS, rise=st.integers(min_value=1, max_value=500))
def test_tax_never_decreases_as_the_salary_rises(data, params, rise):
    higher = PayslipInput(
        **{**_fields(data), "salary_coefficient": data.salary_coefficient + D(rise) / 100}
    )
    assert (
        compute_payslip(data, params).personal_income_tax
        <= compute_payslip(higher, params).personal_income_tax
    )


@settings(deadline=None, max_examples=200)
@given(data=inputs(), params=MONTHS)
def test_arrears_of_an_unchanged_month_are_empty(data, params):
    paid = compute_payslip(data, params)
    assert payslip_arrears(period=(2026, 7), paid=paid, due=compute_payslip(data, params)).is_empty


@settings(deadline=None, max_examples=200)
@given(before=inputs(), after=inputs(), params=MONTHS)
def test_once_arrears_are_paid_a_rerun_owes_nothing_more(before, after, params):
    paid = compute_payslip(before, params)
    due = compute_payslip(after, params)
    first = payslip_arrears(period=(2026, 7), paid=paid, due=due)
    again = month_arrears(
        period=(2026, 7),
        paid_lines=paid.lines + first.lines,
        due_lines=due.lines,
        paid_contributions=paid.contributions + first.back_contributions,
        due_contributions=due.contributions,
    )
    assert again.is_empty
