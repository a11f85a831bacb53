"""One person's insurance history, as the national insurance app shows it: the card and the
hospital, the participation periods, and month by month the contribution salary and the shares
(docs/rules.md §5.11)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from insurance.models import Absence, InsuranceProfile, ParticipationPeriod
from insurance.rules.participation import Month, month_of, months_between, previous_month
from insurance.selectors.contributions import (
    PAYSLIP_COLUMNS,
    ContributionRow,
    decision_rows,
    row_from_payslip,
)
from insurance.services.participation import participation_refresh
from payroll.models import PayrollRun, Payslip
from payroll.selectors.month import month_contexts_reused
from personnel.models import Staff

# Months without a locked payslip computed from the decisions, counting back from this month.
COMPUTED_MONTHS = 12


@dataclass
class MonthLine:
    month: Month
    unit_name: str
    row: ContributionRow

    @property
    def label(self) -> str:
        return f"{self.month % 100:02d}/{self.month // 100}"

    @property
    def back_employee(self) -> Decimal:
        return sum((c.employee for c, _p in self.row.back), Decimal(0))


@dataclass
class History:
    staff: Staff
    profile: InsuranceProfile | None
    periods: list[ParticipationPeriod]
    absences: list[Absence]
    months: list[MonthLine] = field(default_factory=list)


def _covered(periods: list[ParticipationPeriod], month: Month) -> ParticipationPeriod | None:
    for period in periods:
        if (period.first_month is None or period.first_month <= month) and (
            period.last_month is None or month <= period.last_month
        ):
            return period
    return None


def insurance_history(*, staff: Staff, today: datetime.date) -> History:
    """The person's record, periods and months (locked payslips whatever their age; the last
    ``COMPUTED_MONTHS`` months without one computed from the salary decisions)."""
    participation_refresh(staff_ids=[staff.pk])
    periods = list(
        ParticipationPeriod.objects.filter(staff=staff)
        .select_related("unit")
        .order_by("first_month", "id")
    )
    history = History(
        staff=staff,
        profile=InsuranceProfile.objects.filter(staff=staff).first(),
        periods=periods,
        absences=list(Absence.objects.filter(staff=staff).order_by("start")),
    )
    lines = []
    names = {}
    for year, month, name, *values in (
        Payslip.objects.filter(staff=staff, run__status=PayrollRun.Status.LOCKED)
        .order_by("year", "month")
        .values_list("year", "month", "unit__name", *PAYSLIP_COLUMNS)
    ):
        names[year * 100 + month] = name
        lines.append(MonthLine(year * 100 + month, name, row_from_payslip(values)))
    current = month_of(today)
    first = current
    for _ in range(COMPUTED_MONTHS - 1):
        first = previous_month(first)
    with month_contexts_reused():
        for key in months_between(first, current):
            period = _covered(periods, key)
            if key in names or period is None:
                continue
            row = decision_rows(key, [staff.pk]).get(staff.pk)
            if row is not None:
                lines.append(MonthLine(key, period.unit.name, row))
    history.months = sorted(lines, key=lambda line: line.month, reverse=True)
    return history
