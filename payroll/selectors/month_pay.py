"""One person's pay for one month as the salary page shows it: the payslip stored by a payroll
run of that month when there is one, otherwise a preview computed now by the same functions a
run uses (``month_context`` → ``people_of_month`` → ``compute_payslip``, arrears of locked
months included), so the page and the run cannot disagree (docs/rules.md §7.4).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from payroll.models import InsuranceRate, PayrollRun, Payslip
from payroll.rules.payslip import compute_payslip
from payroll.selectors.month import MissingParameter, month_context, month_contexts_reused
from payroll.selectors.payroll_inputs import people_of_month

ZERO = Decimal(0)
FUND_LABELS = dict(InsuranceRate.Fund.choices)


@dataclass(frozen=True)
class PayLine:
    code: str
    label: str
    amount: Decimal
    in_insurance_base: bool
    taxable: bool
    period: datetime.date | None = None  # the past month an arrears line pays for


@dataclass(frozen=True)
class FundShare:
    fund: str
    label: str
    employee: Decimal
    employer: Decimal
    period: datetime.date | None = None  # back contributions: the month they belong to


@dataclass(frozen=True)
class MonthPay:
    """A month's pay of one person, stored or previewed; ``missing`` or ``not_paid`` say why
    there is nothing to show."""

    year: int
    month: int
    stored: bool = False
    run: PayrollRun | None = None
    missing: str = ""  # a legal parameter of the month has no row in force
    not_paid: str = ""  # nobody pays the person this month (no salary, not employed…)
    lines: tuple[PayLine, ...] = ()
    contributions: tuple[FundShare, ...] = ()
    back_contributions: tuple[FundShare, ...] = ()
    gross: Decimal = ZERO
    taxable_gross: Decimal = ZERO
    insurance_salary: Decimal = ZERO
    insurance_base: Decimal = ZERO
    employee_insurance: Decimal = ZERO
    employer_insurance: Decimal = ZERO
    employee_back_contributions: Decimal = ZERO
    union_dues: Decimal = ZERO
    taxable_income: Decimal = ZERO
    personal_income_tax: Decimal = ZERO
    net: Decimal = ZERO
    working_days: int = 0
    paid_days: int = 0
    dependants: int = 0
    suspended: bool = False

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def shown(self) -> bool:
        return not (self.missing or self.not_paid)

    @property
    def deductions(self) -> Decimal:
        return (
            self.employee_insurance
            + self.employee_back_contributions
            + self.union_dues
            + self.personal_income_tax
        )


def _month_day(year, month) -> datetime.date | None:
    return datetime.date(int(year), int(month), 1) if year else None


def _share(fund: str, employee, employer, period=None) -> FundShare:
    return FundShare(
        fund=fund,
        label=str(FUND_LABELS.get(fund, fund)),
        employee=Decimal(employee),
        employer=Decimal(employer),
        period=period,
    )


def _from_stored(payslip: Payslip) -> MonthPay:
    return MonthPay(
        year=payslip.year,
        month=payslip.month,
        stored=True,
        run=payslip.run,
        lines=tuple(
            PayLine(code, label, Decimal(amount), in_base, taxable, _month_day(year, month))
            for code, label, amount, in_base, taxable, year, month in payslip.lines
        ),
        contributions=tuple(_share(*item) for item in payslip.contributions),
        back_contributions=tuple(
            _share(fund, employee, employer, _month_day(year, month))
            for fund, employee, employer, year, month in payslip.back_contributions
        ),
        gross=payslip.gross,
        taxable_gross=payslip.taxable_gross,
        insurance_salary=payslip.insurance_salary,
        insurance_base=payslip.insurance_base,
        employee_insurance=payslip.employee_insurance,
        employer_insurance=payslip.employer_insurance,
        employee_back_contributions=payslip.employee_back_contributions,
        union_dues=payslip.union_dues,
        taxable_income=payslip.taxable_income,
        personal_income_tax=payslip.personal_income_tax,
        net=payslip.net,
        working_days=payslip.working_days,
        paid_days=payslip.paid_days,
        dependants=payslip.dependants,
        suspended=payslip.suspended,
    )


def _preview(staff_id: int, year: int, month: int) -> MonthPay:
    # Arrears are worked out by the run service's read-only function, so the preview pays
    # exactly what a run computed now would (imported here: services import this package).
    from payroll.services.runs import month_arrears_due

    try:
        ctx = month_context(year, month)
    except MissingParameter as missing:
        return MonthPay(year=year, month=month, missing=str(missing))
    people = people_of_month(ctx, staff_ids=[staff_id])
    if not people:
        return MonthPay(
            year=year, month=month, not_paid=_("The person is not employed in this month.")
        )
    person = people[0]
    extra_lines, back = month_arrears_due(ctx=ctx, staff_ids=[staff_id]).get(staff_id, ((), ()))
    if person.salary is None and not person.own_allowances and not extra_lines:
        return MonthPay(
            year=year,
            month=month,
            not_paid=_("No approved salary decision and no allowance: nothing is paid."),
        )
    payslip = compute_payslip(
        person.payslip_input(
            ctx,
            owes_union_fee=ctx.union_fee_owed,
            extra_lines=tuple(extra_lines),
            back_contributions=tuple(contribution for contribution, _period in back),
        ),
        ctx.params,
    )
    return MonthPay(
        year=year,
        month=month,
        lines=tuple(
            PayLine(
                line.code,
                line.label,
                line.amount,
                line.in_insurance_base,
                line.taxable,
                _month_day(*line.period) if line.period else None,
            )
            for line in payslip.lines
        ),
        contributions=tuple(
            _share(item.fund.value, item.employee, item.employer) for item in payslip.contributions
        ),
        back_contributions=tuple(
            _share(item.fund.value, item.employee, item.employer, _month_day(*period))
            for item, period in back
        ),
        gross=payslip.gross,
        taxable_gross=payslip.taxable_gross,
        insurance_salary=payslip.insurance_salary,
        insurance_base=payslip.insurance_base,
        employee_insurance=payslip.employee_insurance,
        employer_insurance=payslip.employer_insurance,
        employee_back_contributions=payslip.employee_back_contributions,
        union_dues=payslip.union_dues,
        taxable_income=payslip.taxable_income,
        personal_income_tax=payslip.personal_income_tax,
        net=payslip.net,
        working_days=payslip.working_days,
        paid_days=payslip.paid_days,
        dependants=person.dependants,
        suspended=payslip.suspended,
    )


def month_pay(*, staff_id: int, year: int, month: int) -> MonthPay:
    """The person's pay for (``year``, ``month``): the payslip of a run of that month when one
    exists (the latest computed), otherwise a preview from the rules."""
    stored = (
        Payslip.objects.filter(staff_id=staff_id, year=year, month=month)
        .select_related("run", "run__unit")
        .order_by("-computed_at", "-id")
        .first()
    )
    if stored is not None:
        return _from_stored(stored)
    with month_contexts_reused():
        return _preview(staff_id, year, month)
