"""Pay lines, one worked case each, computed by hand (docs/rules.md §1, §3). No database."""

from decimal import Decimal

import pytest

from payroll.rules import pay
from payroll.rules.pay import AllowanceRule, Computation
from tests.payroll.rules.legal import BASE_2024, BASE_2026, CB_CC, CONGVU

D = Decimal


@pytest.mark.parametrize(
    ("case", "function", "kwargs", "expected"),
    [
        (
            "A1 step 3 in July 2026: 3.00 × 2,530,000",
            pay.rank_salary,
            {"coefficient": D("3.00"), "base_salary": BASE_2026},
            D(7_590_000),
        ),
        (
            "B step 1 in 2025: 1.86 × 2,340,000 = 4,352,400",
            pay.rank_salary,
            {"coefficient": D("1.86"), "base_salary": BASE_2024},
            D(4_352_400),
        ),
        (
            "head of a commune office outside HN/HCM: 0.25 × 2,530,000",
            pay.leadership_allowance,
            {"coefficient": D("0.25"), "base_salary": BASE_2026},
            D(632_500),
        ),
        (
            "leadership 0.15 × 2,340,000 = 351,000",
            pay.leadership_allowance,
            {"coefficient": D("0.15"), "base_salary": BASE_2024},
            D(351_000),
        ),
        (
            "area 0.7 × 2,530,000 = 1,771,000",
            pay.area_allowance,
            {"coefficient": D("0.7"), "base_salary": BASE_2026},
            D(1_771_000),
        ),
        (
            "responsibility 0.3 × 2,340,000 = 702,000",
            pay.responsibility_allowance,
            {"coefficient": D("0.3"), "base_salary": BASE_2024},
            D(702_000),
        ),
        (
            "hazard 0.1 × 2,530,000 = 253,000",
            pay.hazard_allowance,
            {"coefficient": D("0.1"), "base_salary": BASE_2026},
            D(253_000),
        ),
        (
            "reserved difference 0.13 × 2,530,000 = 328,900",
            pay.reserved_difference,
            {"coefficient": D("0.13"), "base_salary": BASE_2026},
            D(328_900),
        ),
        (
            "a coefficient with more decimals rounds half up: 0.00005 × 2,530,000 = 126.5",
            pay.coefficient_amount,
            {"coefficient": D("0.00005"), "base_salary": BASE_2026},
            D(127),
        ),
    ],
)
def test_lines_by_coefficient(case, function, kwargs, expected):
    assert function(**kwargs) == expected


def test_beyond_scale_is_a_percentage_of_the_last_steps_salary():
    # A1 last step 4.98, 7%: 4.98 × 2,530,000 = 12,599,400; × 7% = 881,958.
    assert pay.beyond_scale_allowance(
        percent=D(7),
        last_step_coefficient=D("4.98"),
        base_salary=BASE_2026,
        include_leadership=False,
    ) == D(881_958)


def test_beyond_scale_includes_leadership_only_when_the_parameter_says_so():
    # (4.98 + 0.30) × 2,530,000 = 13,358,400; × 7% = 935,088.
    kwargs = {
        "percent": D(7),
        "last_step_coefficient": D("4.98"),
        "leadership_coefficient": D("0.30"),
        "base_salary": BASE_2026,
    }
    assert pay.beyond_scale_allowance(**kwargs, include_leadership=True) == D(935_088)
    assert pay.beyond_scale_allowance(**kwargs, include_leadership=False) == D(881_958)


def test_beyond_scale_rounds_half_up_per_line():
    # B last step 4.06, 5%, base 2,340,000: 4.06 × 2,340,000 = 9,500,400; × 5% = 475,020.
    assert pay.beyond_scale_allowance(
        percent=D(5), last_step_coefficient=D("4.06"), base_salary=BASE_2024,
        include_leadership=False,
    ) == D(475_020)  # fmt: skip
    # C1 last step 3.63, 13%, 2,340,000: 3.63 × 2,340,000 = 8,494,200; × 13% = 1,104,246.
    assert pay.beyond_scale_allowance(
        percent=D(13), last_step_coefficient=D("3.63"), base_salary=BASE_2024,
        include_leadership=False,
    ) == D(1_104_246)  # fmt: skip
    # 3.63 × 2,530,000 = 9,183,900; × 11% = 1,010,229.
    assert pay.beyond_scale_allowance(
        percent=D(11), last_step_coefficient=D("3.63"), base_salary=BASE_2026,
        include_leadership=False,
    ) == D(1_010_229)  # fmt: skip


# Salary 7,590,000 + leadership 632,500 + beyond-scale 0 = 8,222,500 (the worked example).
TOTAL = {"salary": D(7_590_000), "leadership": D(632_500), "beyond_scale": D(0)}


@pytest.mark.parametrize(
    ("case", "function", "percent", "expected"),
    [
        ("public service 25% of 8,222,500", pay.public_service_allowance, 25, D(2_055_625)),
        ("professional seniority 12% of 8,222,500", pay.professional_seniority_allowance, 12,
         D(986_700)),
        ("sector incentive 35% of 8,222,500 = 2,877,875", pay.sector_incentive_allowance, 35,
         D(2_877_875)),
        ("concurrent post 10% of 8,222,500 = 822,250", pay.concurrent_post_allowance, 10,
         D(822_250)),
    ],
)  # fmt: skip
def test_percentages_of_salary_leadership_and_beyond_scale(case, function, percent, expected):
    assert function(percent=D(percent), **TOTAL) == expected


def test_percentage_lines_include_beyond_scale_and_round_half_up():
    # 12,599,400 + 0 + 881,958 = 13,481,358; 25% = 3,370,339.5 → 3,370,340.
    assert pay.public_service_allowance(
        percent=D(25), salary=D(12_599_400), leadership=D(0), beyond_scale=D(881_958)
    ) == D(3_370_340)
    # 13% of 13,481,358 = 1,752,576.54 → 1,752,577.
    assert pay.professional_seniority_allowance(
        percent=D(13), salary=D(12_599_400), leadership=D(0), beyond_scale=D(881_958)
    ) == D(1_752_577)


def test_attraction_is_a_percentage_of_the_salary_only():
    # 70% of 4,352,400 = 3,046,680 (leadership is not part of its base).
    assert pay.attraction_allowance(percent=D(70), salary=D(4_352_400)) == D(3_046_680)


@pytest.mark.parametrize(
    ("computation", "value", "expected"),
    [
        # 0.2 × 2,530,000
        (Computation.COEFFICIENT, D("0.2"), D(506_000)),
        # 25% × (7,590,000 + 632,500 + 400,000) = 25% × 8,622,500 = 2,155,625
        (Computation.PERCENT_OF_TOTAL, D(25), D(2_155_625)),
        # 30% × 7,590,000
        (Computation.PERCENT_OF_SALARY, D(30), D(2_277_000)),
        # 6% × 4.98 × 2,530,000 = 6% × 12,599,400 = 755,964
        (Computation.PERCENT_OF_LAST_STEP, D(6), D(755_964)),
        # a fixed amount, rounded to the đồng
        (Computation.AMOUNT, D("1500000.4"), D(1_500_000)),
    ],
)
def test_allowance_amount_by_kind_of_computation(computation, value, expected):
    assert (
        pay.allowance_amount(
            computation=computation,
            value=value,
            base_salary=BASE_2026,
            salary=D(7_590_000),
            leadership=D(632_500),
            beyond_scale=D(400_000),
            last_step_coefficient=D("4.98"),
        )
        == expected
    )


def test_allowance_rule_accepts_the_stored_computation_code():
    rule = AllowanceRule("X", "pct_salary", False, True)
    assert rule.computation is Computation.PERCENT_OF_SALARY


def test_an_unknown_computation_is_refused():
    with pytest.raises(ValueError):
        AllowanceRule("X", "per_hour", False, True)


@pytest.mark.parametrize(
    ("category", "receives"),
    [("cadre", True), ("civil_servant", True), ("public_employee", False), ("contract", False)],
)
def test_public_service_allowance_goes_to_cadres_and_civil_servants_only(category, receives):
    assert CONGVU.categories == CB_CC
    assert CONGVU.applies_to(category) is receives


def test_categories_may_be_given_as_any_collection():
    rule = AllowanceRule("CONGVU", "pct_total", False, True, categories=["cadre"])
    assert rule.categories == frozenset({"cadre"})
    assert rule.applies_to("cadre") and not rule.applies_to("contract")


def test_an_allowance_without_categories_goes_to_everybody():
    assert AllowanceRule("KHUVUC", "coefficient", False, False).applies_to("contract")
