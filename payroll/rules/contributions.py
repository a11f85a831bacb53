"""Compulsory insurance and union contributions of one person for one month.

Pure functions: no database, ``Decimal`` in and out. The rates (fund × payer × staff category),
the cap, the 14-day threshold and the union rates are passed in as data; build a
``ContributionRates`` once per month and reuse it for everybody. Rules and legal basis:
docs/rules.md §5.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from hrms.lib.money import round_vnd

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class Fund(StrEnum):
    """The funds a month's contributions go to (docs/rules.md §5.1)."""

    RETIREMENT = "retirement"  # hưu trí, tử tuất
    SICKNESS = "sickness"  # ốm đau, thai sản
    WORK_ACCIDENT = "work_accident"  # tai nạn lao động, bệnh nghề nghiệp
    HEALTH = "health"  # BHYT
    UNEMPLOYMENT = "unemployment"  # BHTN
    UNION_FEE = "union_fee"  # kinh phí công đoàn (employer)


FUND_ORDER = tuple(Fund)
SOCIAL_INSURANCE_FUNDS = frozenset({Fund.RETIREMENT, Fund.SICKNESS, Fund.WORK_ACCIDENT})


class Payer(StrEnum):
    EMPLOYEE = "employee"
    EMPLOYER = "employer"


@dataclass(frozen=True, slots=True)
class RateRow:
    """One row of the rate table: ``percent`` paid by ``payer`` to ``fund`` for staff of
    ``category`` (docs/rules.md §5.1)."""

    fund: Fund
    payer: Payer
    category: str
    percent: Decimal


@dataclass(frozen=True, slots=True)
class FundRate:
    """A fund's rates for one category, as fractions (8% is 0.08)."""

    fund: Fund
    employee: Decimal
    employer: Decimal


@dataclass(slots=True)
class Contribution:
    """What the employee and the employer pay to one fund for one month, in đồng."""

    fund: Fund
    employee: Decimal
    employer: Decimal


class ContributionRates:
    """The rate table, indexed once by category so a month of payslips looks rates up without
    scanning rows (docs/rules.md §5.1)."""

    __slots__ = ("_by_category",)

    def __init__(self, rows: Iterable[RateRow]):
        shares: dict[str, dict[Fund, list[Decimal]]] = {}
        for row in rows:
            by_fund = shares.setdefault(row.category, {})
            pair = by_fund.setdefault(Fund(row.fund), [ZERO, ZERO])
            pair[0 if Payer(row.payer) == Payer.EMPLOYEE else 1] += row.percent / HUNDRED
        self._by_category = {
            category: tuple(
                FundRate(fund, by_fund[fund][0], by_fund[fund][1])
                for fund in FUND_ORDER
                if fund in by_fund
            )
            for category, by_fund in shares.items()
        }

    def for_category(self, category: str) -> tuple[FundRate, ...]:
        """The funds staff of ``category`` contribute to, with their rates; a category with no
        rows contributes to nothing."""
        return self._by_category.get(category, ())

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(self._by_category)


def insurance_base(lines: Iterable) -> Decimal:
    """The contribution base: the sum of the month's lines flagged as entering it (salary,
    leadership, beyond-scale, professional seniority, reserved difference; Luật BHXH 41/2024
    Điều 31; docs/rules.md §5.2). ``lines`` have ``amount`` and ``in_insurance_base``."""
    return sum((line.amount for line in lines if line.in_insurance_base), ZERO)


def insurance_cap(*, base_salary: Decimal, multiple: Decimal) -> Decimal:
    """The highest contribution base: ``multiple`` (20) × base salary (Luật BHXH 41/2024;
    docs/rules.md §5.3)."""
    return base_salary * multiple


def capped_base(*, base: Decimal, cap: Decimal) -> Decimal:
    """The contribution base limited to the cap (docs/rules.md §5.3)."""
    return cap if base > cap else base


def absence_suspends(*, unpaid_days: int, threshold_days: int) -> bool:
    """Whether a month with ``unpaid_days`` working days without pay owes no social and
    unemployment insurance: at least ``threshold_days`` (14) (docs/rules.md §5.5)."""
    return unpaid_days >= threshold_days


def contributions(
    *,
    base: Decimal,
    rates: Sequence[FundRate],
    suspended: bool = False,
    suspended_funds: frozenset[Fund] = frozenset(),
    owes_union_fee: bool = False,
) -> tuple[Contribution, ...]:
    """Employee and employer shares per fund on the (already capped) ``base``, each rounded to
    the đồng; ``suspended_funds`` are skipped in a suspended month and the union fee is charged
    only where owed (Luật BHXH 41/2024, Luật BHYT, Luật Việc làm; docs/rules.md §5.1–§5.6)."""
    result = []
    for rate in rates:
        fund = rate.fund
        if (suspended and fund in suspended_funds) or (
            fund == Fund.UNION_FEE and not owes_union_fee
        ):
            continue
        result.append(
            Contribution(
                fund,
                round_vnd(base * rate.employee) if rate.employee else ZERO,
                round_vnd(base * rate.employer) if rate.employer else ZERO,
            )
        )
    return tuple(result)


def union_dues(
    *, base: Decimal, percent: Decimal, base_salary: Decimal, cap_percent_of_base_salary: Decimal
) -> Decimal:
    """A union member's dues: ``percent`` (0.5) of the contribution base, at most
    ``cap_percent_of_base_salary`` (10) % of the base salary (docs/rules.md §5.6)."""
    dues = base * percent / HUNDRED
    cap = base_salary * cap_percent_of_base_salary / HUNDRED
    return round_vnd(cap if dues > cap else dues)


def back_contributions(
    *, paid: Iterable[Contribution], due: Iterable[Contribution]
) -> tuple[Contribution, ...]:
    """Back contributions (truy đóng) for a past month: per fund, what is due now less what was
    paid, for both payers; funds with no difference are left out (Luật BHXH 41/2024;
    docs/rules.md §5.7)."""
    difference: dict[Fund, list[Decimal]] = {}
    for item in due:
        pair = difference.setdefault(item.fund, [ZERO, ZERO])
        pair[0] += item.employee
        pair[1] += item.employer
    for item in paid:
        pair = difference.setdefault(item.fund, [ZERO, ZERO])
        pair[0] -= item.employee
        pair[1] -= item.employer
    return tuple(
        Contribution(fund, employee, employer)
        for fund in FUND_ORDER
        if fund in difference
        for employee, employer in [difference[fund]]
        if employee or employer
    )


def total(items: Iterable[Contribution], payer: Payer) -> Decimal:
    """The sum of ``payer``'s shares over ``items``."""
    if payer == Payer.EMPLOYEE:
        return sum((item.employee for item in items), ZERO)
    return sum((item.employer for item in items), ZERO)
