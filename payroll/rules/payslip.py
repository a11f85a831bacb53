"""One person's pay for one month, and the arrears of a past month.

``compute_payslip(data, params)`` turns a plain ``PayslipInput`` (coefficients, percentages,
allowances, dependants, unpaid days…) and the month's ``PayParameters`` (base salary, rates, tax
schedule…) into a ``Payslip`` with every line, the gross, the insurance base, the contributions
per fund, union dues, personal income tax and the net. ``payslip_arrears`` compares what was paid
for a past month with what is due for it now. Pure: no database, ``Decimal`` in and out; build
the parameters once per month and reuse them for every person. Rules: docs/rules.md §7 (and §1,
§3, §5, §6 for the parts).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from hrms.lib.money import round_vnd
from payroll.rules.contributions import (
    Contribution,
    ContributionRates,
    Fund,
    back_contributions,
)
from payroll.rules.contributions import contributions as fund_contributions
from payroll.rules.contributions import union_dues as member_dues
from payroll.rules.pay import Allowance, AllowanceRule, allowance_amount
from payroll.rules.tax import FamilyDeduction, TaxSchedule

ZERO = Decimal(0)
HUNDRED = Decimal(100)
Period = tuple[int, int]  # (year, month)


@dataclass(slots=True)
class Line:
    """One line of a payslip: ``period`` names the past month an arrears or adjustment line
    pays for (None for the month's own lines)."""

    code: str
    label: str
    amount: Decimal
    in_insurance_base: bool
    taxable: bool
    period: Period | None = None


@dataclass(frozen=True, slots=True)
class PayParameters:
    """The legal parameters of one month, shared by every payslip of that month
    (docs/rules.md §11: each comes from an effective-dated reference row)."""

    base_salary: Decimal
    salary_rule: AllowanceRule  # the salary by rank and step: flags and label
    leadership_rule: AllowanceRule
    beyond_scale_rule: AllowanceRule
    reserved_rule: AllowanceRule
    beyond_scale_includes_leadership: bool
    rates: ContributionRates
    insurance_cap_multiple: Decimal  # 20 × base salary
    absence_threshold_days: int  # 14
    absence_suspended_funds: frozenset[Fund]
    union_dues_percent: Decimal  # 0.5
    union_dues_cap_percent_of_base_salary: Decimal  # 10
    tax_schedule: TaxSchedule
    family_deduction: FamilyDeduction
    insurance_cap: Decimal = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "insurance_cap", self.base_salary * self.insurance_cap_multiple)


@dataclass(frozen=True, slots=True)
class PayslipInput:
    """Everything about one person's month that the rules need, as plain values."""

    category: str  # Staff.Category value: decides the public-service allowance and the funds
    salary_coefficient: Decimal
    working_days: int  # the month's working days (docs/rules.md §7.2)
    unpaid_days: int = 0  # working days without pay: before start, after end, unpaid leave
    leadership_coefficient: Decimal = ZERO
    beyond_scale_percent: Decimal = ZERO
    last_step_coefficient: Decimal = ZERO
    reserved_coefficient: Decimal = ZERO
    allowances: tuple[Allowance, ...] = ()
    dependants: int = 0
    union_member: bool = False
    owes_union_fee: bool = False  # the paying unit owes the 2% union fee (docs/rules.md §5.6)
    # Arrears and adjustments paid this month (docs/rules.md §7.5–§7.6).
    extra_lines: tuple[Line, ...] = ()
    # Back contributions (truy đóng) taken this month (docs/rules.md §5.7).
    back_contributions: tuple[Contribution, ...] = ()


@dataclass(slots=True)
class Payslip:
    """A month's pay: every line, the contributions per fund and what is left to pay out."""

    lines: tuple[Line, ...]
    gross: Decimal
    taxable_gross: Decimal
    insurance_salary: Decimal  # the sum of the lines entering the base, before the cap
    insurance_base: Decimal  # after the cap
    suspended: bool  # the 14-day rule applied (docs/rules.md §5.5)
    contributions: tuple[Contribution, ...]
    back_contributions: tuple[Contribution, ...]
    employee_insurance: Decimal  # this month's employee shares, back contributions excluded
    employer_insurance: Decimal
    union_dues: Decimal
    taxable_income: Decimal
    personal_income_tax: Decimal
    deductions: Decimal
    net: Decimal
    paid_days: int
    working_days: int

    def contribution(self, fund: Fund) -> Contribution:
        """This month's contribution to ``fund`` (zero shares when the person owes none)."""
        for item in self.contributions:
            if item.fund == fund:
                return item
        return Contribution(Fund(fund), ZERO, ZERO)

    def line(self, code: str) -> Decimal:
        """The amount of the month's own line ``code`` (zero when there is none)."""
        return sum(
            (item.amount for item in self.lines if item.code == code and item.period is None),
            ZERO,
        )

    @property
    def employee_back_contributions(self) -> Decimal:
        return sum((item.employee for item in self.back_contributions), ZERO)


def compute_payslip(data: PayslipInput, params: PayParameters) -> Payslip:
    """A person's pay for a month: lines rounded to the đồng and prorated by working days,
    insurance on the capped full-month base (none of the suspended funds under the 14-day
    rule), union dues, tax after insurance and family deductions, net (docs/rules.md §7.4)."""
    base_salary = params.base_salary
    category = data.category

    # Full-month lines (docs/rules.md §1, §3), in register order.
    salary = round_vnd(data.salary_coefficient * base_salary)
    full: list[tuple[AllowanceRule, Decimal]] = []
    if salary:  # a contract paid an agreed amount has it as an allowance line instead
        full.append((params.salary_rule, salary))
    leadership = beyond_scale = ZERO
    if data.leadership_coefficient and params.leadership_rule.applies_to(category):
        leadership = round_vnd(data.leadership_coefficient * base_salary)
        full.append((params.leadership_rule, leadership))
    if data.beyond_scale_percent and params.beyond_scale_rule.applies_to(category):
        coefficient = data.last_step_coefficient
        if params.beyond_scale_includes_leadership:
            coefficient += data.leadership_coefficient
        beyond_scale = round_vnd(coefficient * base_salary * data.beyond_scale_percent / HUNDRED)
        full.append((params.beyond_scale_rule, beyond_scale))
    if data.reserved_coefficient and params.reserved_rule.applies_to(category):
        full.append((params.reserved_rule, round_vnd(data.reserved_coefficient * base_salary)))
    for allowance in data.allowances:
        rule = allowance.rule
        if rule.categories is not None and category not in rule.categories:
            continue
        amount = allowance_amount(
            computation=rule.computation,
            value=allowance.value,
            base_salary=base_salary,
            salary=salary,
            leadership=leadership,
            beyond_scale=beyond_scale,
            last_step_coefficient=data.last_step_coefficient,
        )
        full.append((rule, amount))

    # Insurance on the full month's base, capped (docs/rules.md §5.2–§5.3).
    insurance_salary = ZERO
    for rule, amount in full:
        if rule.in_insurance_base:
            insurance_salary += amount
    cap = params.insurance_cap
    insurance_base = cap if insurance_salary > cap else insurance_salary

    # Part month: each line prorated by paid working days (docs/rules.md §7.3).
    working = data.working_days
    unpaid = data.unpaid_days
    paid_days = working - unpaid if unpaid < working else 0
    if unpaid <= 0:
        paid_days = working
        lines = [
            Line(rule.code, rule.label, amount, rule.in_insurance_base, rule.taxable)
            for rule, amount in full
        ]
    else:
        lines = [
            Line(
                rule.code,
                rule.label,
                round_vnd(amount * paid_days / working) if paid_days else ZERO,
                rule.in_insurance_base,
                rule.taxable,
            )
            for rule, amount in full
        ]
    if data.extra_lines:
        lines.extend(data.extra_lines)

    # Contributions per fund (docs/rules.md §5.1, §5.5, §5.6).
    suspended = unpaid >= params.absence_threshold_days
    contributions = fund_contributions(
        base=insurance_base,
        rates=params.rates.for_category(category),
        suspended=suspended,
        suspended_funds=params.absence_suspended_funds,
        owes_union_fee=data.owes_union_fee,
    )
    employee_insurance = employer_insurance = ZERO
    for item in contributions:
        employee_insurance += item.employee
        employer_insurance += item.employer
    union_dues = ZERO
    if data.union_member and not suspended:
        union_dues = member_dues(
            base=insurance_base,
            percent=params.union_dues_percent,
            base_salary=base_salary,
            cap_percent_of_base_salary=params.union_dues_cap_percent_of_base_salary,
        )
    back_employee = ZERO
    for item in data.back_contributions:
        back_employee += item.employee

    # Tax (docs/rules.md §6): exempt lines left out, arrears taxed in the month paid.
    gross = taxable_gross = ZERO
    for line in lines:
        gross += line.amount
        if line.taxable:
            taxable_gross += line.amount
    income = (
        taxable_gross
        - employee_insurance
        - back_employee
        - params.family_deduction.amount(data.dependants)
    )
    if income < ZERO:
        income = ZERO
    tax = params.tax_schedule.tax(income)

    deductions = employee_insurance + back_employee + union_dues + tax
    return Payslip(
        lines=tuple(lines),
        gross=gross,
        taxable_gross=taxable_gross,
        insurance_salary=insurance_salary,
        insurance_base=insurance_base,
        suspended=suspended,
        contributions=contributions,
        back_contributions=data.back_contributions,
        employee_insurance=employee_insurance,
        employer_insurance=employer_insurance,
        union_dues=union_dues,
        taxable_income=income,
        personal_income_tax=tax,
        deductions=deductions,
        net=gross - deductions,
        paid_days=paid_days,
        working_days=working,
    )


# --- Arrears (truy lĩnh) and back contributions (truy đóng) --------------------------------------


@dataclass(slots=True)
class MonthArrears:
    """What a past month still owes: per line, due now less paid (each line naming the month),
    and the back contributions per fund for both payers (docs/rules.md §7.5, §5.7)."""

    period: Period
    lines: tuple[Line, ...]
    back_contributions: tuple[Contribution, ...]

    @property
    def is_empty(self) -> bool:
        return not self.lines and not self.back_contributions

    @property
    def employee_back_contributions(self) -> Decimal:
        return sum((item.employee for item in self.back_contributions), ZERO)


def month_arrears(
    *,
    period: Period,
    paid_lines: Iterable[Line],
    due_lines: Iterable[Line],
    paid_contributions: Iterable[Contribution] = (),
    due_contributions: Iterable[Contribution] = (),
) -> MonthArrears:
    """Arrears of month ``period``: per line code, what is due now less what was paid (the
    month's own lines plus arrears already paid for it later; lines for other months are
    ignored), and the back contributions; nothing when nothing changed (docs/rules.md §7.5)."""
    totals: dict[str, list] = {}  # code → [difference, label, in base, taxable]
    for sign, lines in ((1, due_lines), (-1, paid_lines)):
        for line in lines:
            if line.period is not None and line.period != period:
                continue
            entry = totals.get(line.code)
            if entry is None:
                totals[line.code] = [
                    line.amount * sign,
                    line.label,
                    line.in_insurance_base,
                    line.taxable,
                ]
            else:
                entry[0] += line.amount * sign
    result = tuple(
        Line(code, label, difference, in_base, taxable, period)
        for code, (difference, label, in_base, taxable) in totals.items()
        if difference
    )
    return MonthArrears(
        period=period,
        lines=result,
        back_contributions=back_contributions(paid=paid_contributions, due=due_contributions),
    )


def payslip_arrears(*, period: Period, paid: Payslip, due: Payslip) -> MonthArrears:
    """Arrears of month ``period`` from the payslip paid for it and the payslip recomputed for
    it with the decisions now in force (docs/rules.md §7.5)."""
    return month_arrears(
        period=period,
        paid_lines=[line for line in paid.lines if line.period is None],
        due_lines=[line for line in due.lines if line.period is None],
        paid_contributions=paid.contributions,
        due_contributions=due.contributions,
    )
