"""The legal parameters of one payroll month, read once from the effective-dated tables and
turned into the plain values the pay rules take (``payroll.rules.payslip.PayParameters``).

Everything is read as in force on the first day of the month (docs/rules.md §7.1); the tax
schedule and family deductions are those of the tax year the month belongs to (§6).
"""

from __future__ import annotations

import calendar
import contextlib
import contextvars
import datetime
import functools
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from payroll.models import (
    AllowanceType,
    BaseSalary,
    FamilyDeduction,
    Holiday,
    InsuranceRate,
    PayrollSetting,
    SectorIncentiveRate,
    TaxBracket,
    UnitAllowance,
)
from payroll.rules import working_days as days
from payroll.rules.contributions import ContributionRates, Fund, RateRow
from payroll.rules.pay import AllowanceRule, Computation
from payroll.rules.payslip import PayParameters
from payroll.rules.tax import FamilyDeduction as Deduction
from payroll.rules.tax import TaxSchedule

SALARY_CODE = "LUONG"
LEADERSHIP_CODE = "PCCV"
BEYOND_SCALE_CODE = "TNVK"
RESERVED_CODE = "BAOLUU"
SENIORITY_CODE = "TNN"
# Funds that stop in a month of ≥ 14 unpaid working days; health insurance continues
# (docs/rules.md §5.5).
SUSPENDED_BY_ABSENCE = frozenset(
    {Fund.RETIREMENT, Fund.SICKNESS, Fund.WORK_ACCIDENT, Fund.UNEMPLOYMENT, Fund.UNION_FEE}
)


class MissingParameter(LookupError):
    """A legal parameter has no row in force for the month: the payroll cannot be computed."""


def in_force(queryset, day: datetime.date):
    """Rows of an effective-dated table in force on ``day``."""
    return queryset.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a month."""
    return (
        datetime.date(year, month, 1),
        datetime.date(year, month, calendar.monthrange(year, month)[1]),
    )


@dataclass(frozen=True)
class AllowanceKind:
    """An allowance type as the payroll uses it: its rule and how a person's value reads."""

    id: int
    code: str
    rule: AllowanceRule


@dataclass(frozen=True)
class MonthContext:
    """One month's parameters, shared by every payslip of the month."""

    year: int
    month: int
    start: datetime.date
    end: datetime.date
    holidays: frozenset[datetime.date]
    working_days: int
    params: PayParameters
    allowances: dict[int, AllowanceKind]  # allowance type id → kind
    unit_allowances: tuple[tuple[str | None, int, Decimal], ...]  # (unit path, type id, value)
    union_fee_owed: bool  # the paying units owe the 2% union fee (docs/rules.md §5.6)
    fingerprint: str  # changes when any parameter of the month changes

    @property
    def period(self) -> tuple[int, int]:
        return (self.year, self.month)


def _setting(settings: dict[str, Decimal], key: str) -> Decimal:
    if key not in settings:
        raise MissingParameter(_("No payroll setting “%(key)s” is in force.") % {"key": key})
    return settings[key]


def _allowance_rule(row: AllowanceType, configurable_taxable: bool) -> AllowanceRule:
    taxable = row.tax == AllowanceType.Tax.TAXABLE or (
        row.tax == AllowanceType.Tax.CONFIGURABLE and configurable_taxable
    )
    categories = getattr(row, "categories", None) or None
    return AllowanceRule(
        code=row.code,
        computation=Computation(row.computation),
        in_insurance_base=row.in_insurance_base,
        taxable=taxable,
        categories=frozenset(categories) if categories else None,
        label=row.name,
    )


_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("month_contexts", default=None)


@contextlib.contextmanager
def month_contexts_reused():
    """Within this block, each month's parameters are read once (a page or a computation that
    looks at many months — a person's history, arrears of past months — reads them once per
    month, not once per use). The reference data does not change within one request."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def reuses_month_contexts(view):
    """A view decorator: the whole request reads each month's parameters once."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with month_contexts_reused():
            return view(*args, **kwargs)

    return wrapped


def month_context(year: int, month: int) -> MonthContext:
    """Every legal parameter of month (``year``, ``month``), checked to be complete."""
    memo = _memo.get()
    if memo is not None:
        if (year, month) not in memo:
            memo[(year, month)] = _month_context(year, month)
        return memo[(year, month)]
    return _month_context(year, month)


def _month_context(year: int, month: int) -> MonthContext:
    start, end = month_bounds(year, month)
    base = in_force(BaseSalary.objects.all(), start).order_by("-valid_from").first()
    if base is None:
        raise MissingParameter(
            _("No base salary is in force on %(date)s.") % {"date": start.strftime("%d/%m/%Y")}
        )
    settings = {
        row.key: row.value
        for row in in_force(PayrollSetting.objects.all(), start).order_by("key", "valid_from")
    }
    configurable_taxable = bool(settings.get("configurable_allowances_taxable", Decimal(1)))
    types = list(in_force(AllowanceType.objects.all(), start))
    kinds = {row.pk: AllowanceKind(row.pk, row.code, _allowance_rule(row, configurable_taxable))
             for row in types}  # fmt: skip
    by_code = {kind.code: kind.rule for kind in kinds.values()}
    for code in (LEADERSHIP_CODE, BEYOND_SCALE_CODE, RESERVED_CODE):
        if code not in by_code:
            raise MissingParameter(
                _("The allowance type %(code)s is not in force on %(date)s.")
                % {"code": code, "date": start.strftime("%d/%m/%Y")}
            )
    rate_rows = [
        RateRow(Fund(row.fund), row.payer, row.category, row.percent)
        for row in in_force(InsuranceRate.objects.all(), start)
    ]
    if not rate_rows:
        raise MissingParameter(_("No insurance rates are in force for this month."))
    tax_year_start = datetime.date(year, 1, 1)
    brackets = list(
        in_force(TaxBracket.objects.all(), tax_year_start).values_list("upper", "percent")
    )
    if not brackets:
        raise MissingParameter(
            _("No income tax schedule is in force for the tax year %(year)s.") % {"year": year}
        )
    brackets.sort(key=lambda pair: (pair[0] is None, pair[0] or 0))
    deduction = (
        in_force(FamilyDeduction.objects.all(), tax_year_start).order_by("-valid_from").first()
    )
    if deduction is None:
        raise MissingParameter(
            _("No family deduction is in force for the tax year %(year)s.") % {"year": year}
        )
    holidays = frozenset(
        Holiday.objects.filter(date__range=(start, end)).values_list("date", flat=True)
    )
    params = PayParameters(
        base_salary=base.amount,
        salary_rule=AllowanceRule(
            SALARY_CODE, Computation.COEFFICIENT, True, True, label=_("Salary by rank and step")
        ),
        leadership_rule=by_code[LEADERSHIP_CODE],
        beyond_scale_rule=by_code[BEYOND_SCALE_CODE],
        reserved_rule=by_code[RESERVED_CODE],
        beyond_scale_includes_leadership=bool(
            settings.get("beyond_scale_includes_leadership", Decimal(0))
        ),
        rates=ContributionRates(rate_rows),
        insurance_cap_multiple=_setting(settings, "insurance_cap_multiple"),
        absence_threshold_days=int(_setting(settings, "absence_threshold_days")),
        absence_suspended_funds=SUSPENDED_BY_ABSENCE,
        union_dues_percent=_setting(settings, "union_dues_percent"),
        union_dues_cap_percent_of_base_salary=_setting(settings, "union_dues_cap_percent"),
        tax_schedule=TaxSchedule.from_pairs(brackets),
        family_deduction=Deduction(deduction.taxpayer, deduction.per_dependant),
    )
    sector_rates = dict(
        in_force(SectorIncentiveRate.objects.all(), start)
        .order_by("code", "valid_from")
        .values_list("code", "percent")
    )
    unit_allowances = tuple(
        (path, type_id, sector_rates.get(rate, value) if rate else value)
        for path, type_id, value, rate in in_force(UnitAllowance.objects.all(), start)
        .order_by("unit__path")
        .values_list("unit__path", "allowance_type_id", "value", "sector_rate")
        if type_id in kinds
    )
    fingerprint = hashlib.sha256(
        json.dumps(
            [
                str(base.amount),
                sorted((k, str(v)) for k, v in settings.items()),
                sorted(
                    (
                        r.code,
                        r.computation,
                        r.in_insurance_base,
                        r.taxable,
                        sorted(r.categories or ()),
                    )
                    for r in by_code.values()
                ),
                sorted((r.fund, r.payer, r.category, str(r.percent)) for r in rate_rows),
                [(str(u), str(p)) for u, p in brackets],
                [str(deduction.taxpayer), str(deduction.per_dependant)],
                sorted(str(day) for day in holidays),
                [(p, t, str(v)) for p, t, v in unit_allowances],
            ]  # fmt: skip
        ).encode()
    ).hexdigest()
    return MonthContext(
        year=year,
        month=month,
        start=start,
        end=end,
        holidays=holidays,
        working_days=days.working_days(year, month, holidays),
        params=params,
        allowances=kinds,
        unit_allowances=unit_allowances,
        union_fee_owed=bool(settings.get("union_fee_owed", Decimal(0))),
        fingerprint=fingerprint,
    )
