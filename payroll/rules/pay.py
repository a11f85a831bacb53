"""Pay lines: the salary by rank and step and every allowance, each rounded to the đồng.

Pure functions: no database, ``Decimal`` in and out, every legal parameter (base salary,
coefficients, percentages, who receives what) passed in. Rules and legal basis:
docs/rules.md §1 (pay formula, rounding) and §3 (allowances).

Percentage allowances are computed on the rounded amounts of the lines they are a percentage
of (salary, leadership, beyond-scale), the way a payroll register shows them (docs/rules.md §1.6).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from hrms.lib.money import round_vnd

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class Computation(StrEnum):
    """How an allowance is computed (docs/rules.md §3.1). The values are those of
    ``payroll.models.AllowanceType.Computation``, plus ``amount``."""

    COEFFICIENT = "coefficient"  # coefficient × base salary
    PERCENT_OF_TOTAL = "pct_total"  # % × (salary + leadership + beyond-scale)
    PERCENT_OF_LAST_STEP = "pct_last_step"  # % × last-step coefficient × base salary
    PERCENT_OF_SALARY = "pct_salary"  # % × salary by rank and step
    AMOUNT = "amount"  # a fixed amount a month


@dataclass(frozen=True, slots=True)
class AllowanceRule:
    """One kind of pay line as data: how it is computed, whether it enters the insurance base,
    whether it is taxed, and which staff categories receive it (docs/rules.md §3.1).

    ``categories`` is None when every category receives it. A tax treatment that "depends on the
    decree" is resolved to ``taxable`` True or False before the rule is built.
    """

    code: str
    computation: Computation
    in_insurance_base: bool
    taxable: bool
    categories: frozenset[str] | None = None
    label: str = ""

    def __post_init__(self):
        # Accept the stored string ("pct_total") and any collection of categories.
        object.__setattr__(self, "computation", Computation(self.computation))
        if self.categories is not None and not isinstance(self.categories, frozenset):
            object.__setattr__(self, "categories", frozenset(self.categories))

    def applies_to(self, category: str) -> bool:
        """Whether staff of ``category`` receive this line (e.g. public-service 25%: cán bộ
        and công chức only; docs/rules.md §3.6)."""
        return self.categories is None or category in self.categories


@dataclass(frozen=True, slots=True)
class Allowance:
    """An allowance a person receives: its rule and the person's coefficient, percentage or
    monthly amount (by the rule's computation)."""

    rule: AllowanceRule
    value: Decimal


# --- Lines by coefficient (coefficient × base salary) -----------------------------------------


def coefficient_amount(*, coefficient: Decimal, base_salary: Decimal) -> Decimal:
    """Coefficient × base salary, rounded to the đồng (NĐ 204/2004/NĐ-CP; docs/rules.md §1.3)."""
    return round_vnd(coefficient * base_salary)


def rank_salary(*, coefficient: Decimal, base_salary: Decimal) -> Decimal:
    """Salary by rank and step = salary coefficient × base salary (NĐ 204/2004/NĐ-CP Điều 3;
    docs/rules.md §1.3)."""
    return round_vnd(coefficient * base_salary)


def leadership_allowance(*, coefficient: Decimal, base_salary: Decimal) -> Decimal:
    """Leadership allowance (PCCV) = coefficient × base salary (NĐ 204/2004/NĐ-CP Điều 6,
    TT 02/2005/TT-BNV; docs/rules.md §3.2)."""
    return round_vnd(coefficient * base_salary)


def beyond_scale_allowance(
    *,
    percent: Decimal,
    last_step_coefficient: Decimal,
    base_salary: Decimal,
    leadership_coefficient: Decimal = ZERO,
    include_leadership: bool,
) -> Decimal:
    """Beyond-scale seniority (TNVK) = % × (last-step coefficient [+ leadership coefficient])
    × base salary; whether leadership counts is a parameter (TT 04/2005/TT-BNV;
    docs/rules.md §3.3)."""
    coefficient = last_step_coefficient
    if include_leadership:
        coefficient += leadership_coefficient
    return round_vnd(coefficient * base_salary * percent / HUNDRED)


def area_allowance(*, coefficient: Decimal, base_salary: Decimal) -> Decimal:
    """Area allowance = the commune's coefficient (0.1–1.0) × base salary
    (TTLT 11/2005/TTLT-BNV-BLĐTBXH-BTC-UBDT; docs/rules.md §3.8)."""
    return round_vnd(coefficient * base_salary)


def responsibility_allowance(*, coefficient: Decimal, base_salary: Decimal) -> Decimal:
    """Job-responsibility allowance = coefficient (0.1/0.2/0.3/0.5) × base salary
    (TT 05/2005/TT-BNV; docs/rules.md §3.9)."""
    return round_vnd(coefficient * base_salary)


def hazard_allowance(*, coefficient: Decimal, base_salary: Decimal) -> Decimal:
    """Hazard allowance = coefficient (0.1–0.4) × base salary (NĐ 204/2004/NĐ-CP Điều 6;
    docs/rules.md §3.10)."""
    return round_vnd(coefficient * base_salary)


def reserved_difference(*, coefficient: Decimal, base_salary: Decimal) -> Decimal:
    """Reserved difference (hệ số chênh lệch bảo lưu) = coefficient × base salary
    (NĐ 204/2004/NĐ-CP; docs/rules.md §3.5)."""
    return round_vnd(coefficient * base_salary)


# --- Lines by percentage -------------------------------------------------------------------------


def percent_amount(*, percent: Decimal, amount: Decimal) -> Decimal:
    """``percent`` % of ``amount``, rounded to the đồng (docs/rules.md §1.4)."""
    return round_vnd(amount * percent / HUNDRED)


def professional_seniority_allowance(
    *, percent: Decimal, salary: Decimal, leadership: Decimal, beyond_scale: Decimal
) -> Decimal:
    """Professional seniority = % × (salary + leadership + beyond-scale) (NĐ 77/2021/NĐ-CP for
    teachers; docs/rules.md §3.4)."""
    return round_vnd((salary + leadership + beyond_scale) * percent / HUNDRED)


def public_service_allowance(
    *, percent: Decimal, salary: Decimal, leadership: Decimal, beyond_scale: Decimal
) -> Decimal:
    """Public-service allowance = 25% × (salary + leadership + beyond-scale), for cán bộ and
    công chức only (NĐ 34/2012/NĐ-CP; docs/rules.md §3.6)."""
    return round_vnd((salary + leadership + beyond_scale) * percent / HUNDRED)


def sector_incentive_allowance(
    *, percent: Decimal, salary: Decimal, leadership: Decimal, beyond_scale: Decimal
) -> Decimal:
    """Sector incentive = the unit's % × (salary + leadership + beyond-scale) (NĐ 182/2026/NĐ-CP
    for teachers; docs/rules.md §3.7)."""
    return round_vnd((salary + leadership + beyond_scale) * percent / HUNDRED)


def professional_seniority_percent(
    *, since: datetime.date, on: datetime.date, first_years: int = 5, first_percent: int = 5
) -> Decimal:
    """The professional seniority percentage on ``on`` for years in the profession counted
    from ``since``: nothing before ``first_years`` (5) full years, then ``first_percent`` (5)
    plus 1 for each further full year (NĐ 77/2021/NĐ-CP for teachers; docs/rules.md §3.7)."""
    years = on.year - since.year - ((on.month, on.day) < (since.month, since.day))
    if years < first_years:
        return ZERO
    return Decimal(first_percent + years - first_years)


def concurrent_post_allowance(
    *, percent: Decimal, salary: Decimal, leadership: Decimal, beyond_scale: Decimal
) -> Decimal:
    """Concurrent-post allowance = 10% × (salary + leadership + beyond-scale)
    (TT 78/2005/TT-BNV; docs/rules.md §3.12)."""
    return round_vnd((salary + leadership + beyond_scale) * percent / HUNDRED)


def attraction_allowance(*, percent: Decimal, salary: Decimal) -> Decimal:
    """Attraction allowance = % (20–70) of the salary by rank and step, for a limited time
    (NĐ 76/2019/NĐ-CP; docs/rules.md §3.11)."""
    return round_vnd(salary * percent / HUNDRED)


# --- Any allowance described as data ------------------------------------------------------------


def allowance_amount(
    *,
    computation: Computation,
    value: Decimal,
    base_salary: Decimal,
    salary: Decimal,
    leadership: Decimal = ZERO,
    beyond_scale: Decimal = ZERO,
    last_step_coefficient: Decimal = ZERO,
) -> Decimal:
    """The monthly amount of an allowance of kind ``computation`` for a person's ``value``
    (coefficient, percentage or amount), rounded to the đồng (docs/rules.md §3.1)."""
    if computation == Computation.COEFFICIENT:
        return round_vnd(value * base_salary)
    if computation == Computation.PERCENT_OF_TOTAL:
        return round_vnd((salary + leadership + beyond_scale) * value / HUNDRED)
    if computation == Computation.PERCENT_OF_SALARY:
        return round_vnd(salary * value / HUNDRED)
    if computation == Computation.PERCENT_OF_LAST_STEP:
        return round_vnd(last_step_coefficient * base_salary * value / HUNDRED)
    if computation == Computation.AMOUNT:
        return round_vnd(value)
    raise ValueError(f"unknown computation {computation!r}")
