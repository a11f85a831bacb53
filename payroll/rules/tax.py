"""Personal income tax withheld from a month's salary.

Pure functions: no database, ``Decimal`` in and out. The progressive schedule and the family
deductions of the tax year are passed in (7 brackets up to tax year 2025, 5 from 2026). Build a
``TaxSchedule`` once and reuse it. Rules and legal basis: docs/rules.md §6.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from hrms.lib.money import round_vnd

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class TaxBracket:
    """Monthly taxable income up to ``upper`` (None: no limit) is taxed at ``percent``."""

    upper: Decimal | None
    percent: Decimal


@dataclass(frozen=True, slots=True)
class TaxSchedule:
    """A progressive monthly schedule (Luật Thuế TNCN Điều 22; docs/rules.md §6.3).

    ``brackets`` are ordered, each ``upper`` above the last, and only the last is open-ended.
    The tax owed below each bracket is worked out once, so ``tax()`` is one multiplication.
    """

    brackets: tuple[TaxBracket, ...]
    _steps: tuple[tuple[Decimal, Decimal, Decimal], ...] = field(
        init=False, repr=False, compare=False
    )  # (lower bound, rate, tax owed on income up to the lower bound), highest first

    def __post_init__(self):
        brackets = tuple(self.brackets)
        if not brackets or brackets[-1].upper is not None:
            raise ValueError("a tax schedule ends with an open-ended bracket")
        steps, lower, owed = [], ZERO, ZERO
        for bracket in brackets:
            rate = bracket.percent / HUNDRED
            steps.append((lower, rate, owed))
            if bracket.upper is not None:
                if bracket.upper <= lower:
                    raise ValueError("tax brackets must rise")
                owed += (bracket.upper - lower) * rate
                lower = bracket.upper
        object.__setattr__(self, "brackets", brackets)
        object.__setattr__(self, "_steps", tuple(reversed(steps)))

    @classmethod
    def from_pairs(cls, pairs: Sequence[tuple[Decimal | int | None, Decimal | int | str]]):
        """A schedule from (upper bound or None, percent) pairs, as the law lists them."""
        return cls(
            tuple(
                TaxBracket(None if upper is None else Decimal(upper), Decimal(percent))
                for upper, percent in pairs
            )
        )

    def tax(self, taxable_income: Decimal) -> Decimal:
        """The tax on a month's taxable income, rounded to the đồng; nothing on nothing."""
        if taxable_income <= ZERO:
            return ZERO
        for lower, rate, owed in self._steps:
            if taxable_income > lower:
                return round_vnd(owed + (taxable_income - lower) * rate)
        return ZERO  # pragma: no cover - the first bracket starts at zero


@dataclass(frozen=True, slots=True)
class FamilyDeduction:
    """The monthly family deduction of a tax year: for the taxpayer and per registered
    dependant (Luật Thuế TNCN Điều 19; NQ 954/2020/UBTVQH14; NQ 110/2025/UBTVQH15;
    docs/rules.md §6.2)."""

    taxpayer: Decimal
    per_dependant: Decimal

    def amount(self, dependants: int) -> Decimal:
        """The deduction for a month with ``dependants`` registered dependants."""
        return self.taxpayer + self.per_dependant * dependants


def family_deduction(*, dependants: int, deduction: FamilyDeduction) -> Decimal:
    """Taxpayer's deduction plus one per registered dependant (docs/rules.md §6.2)."""
    return deduction.amount(dependants)


def taxable_income(
    *,
    taxable_gross: Decimal,
    employee_insurance: Decimal,
    family_deduction: Decimal,
    other_deductions: Decimal = ZERO,
) -> Decimal:
    """Taxable income = taxable gross − employee compulsory insurance − family deductions −
    other allowed deductions, never below zero (Luật Thuế TNCN Điều 21; docs/rules.md §6.1)."""
    income = taxable_gross - employee_insurance - family_deduction - other_deductions
    return income if income > ZERO else ZERO


def progressive_tax(*, taxable_income: Decimal, schedule: TaxSchedule) -> Decimal:
    """The tax on a month's taxable income by the progressive schedule, rounded to the đồng
    (Luật Thuế TNCN Điều 22; docs/rules.md §6.3)."""
    return schedule.tax(taxable_income)


def personal_income_tax(
    *,
    taxable_gross: Decimal,
    employee_insurance: Decimal,
    dependants: int,
    deduction: FamilyDeduction,
    schedule: TaxSchedule,
    other_deductions: Decimal = ZERO,
) -> Decimal:
    """The tax withheld from a month's salary: exempt lines already left out of
    ``taxable_gross`` (Luật Thuế TNCN Điều 3, 19, 21, 22; docs/rules.md §6)."""
    income = taxable_income(
        taxable_gross=taxable_gross,
        employee_insurance=employee_insurance,
        family_deduction=deduction.amount(dependants),
        other_deductions=other_deductions,
    )
    return schedule.tax(income)
