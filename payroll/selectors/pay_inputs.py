"""Reads of one person's pay inputs for their pay page: allowances of their own (current and
past), registered dependants, union membership and the bank account (docs/rules.md §3, §6.2,
§10.4)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from payroll.models import AllowanceAssignment, Dependant, PayProfile, PayrollRun, Payslip
from payroll.rules.pay import professional_seniority_percent
from payroll.selectors.month import SENIORITY_CODE

MASK = "••••"


def locked_periods(staff_id: int) -> set[int]:
    """The months (year × 100 + month) some locked payslip of the person paid: their own
    months and the months they paid arrears for."""
    periods: set[int] = set()
    for year, month, arrears in Payslip.objects.filter(
        staff_id=staff_id, run__status=PayrollRun.Status.LOCKED
    ).values_list("year", "month", "arrears_periods"):
        periods.add(year * 100 + month)
        periods.update(arrears or ())
    return periods


def covers_locked_month(
    valid_from: datetime.date, valid_to: datetime.date | None, periods: set[int]
) -> bool:
    """Whether the period from ``valid_from`` to ``valid_to`` meets one of ``periods``."""
    first = valid_from.year * 100 + valid_from.month
    last = valid_to.year * 100 + valid_to.month if valid_to else None
    return any(first <= key and (last is None or key <= last) for key in periods)


def mask_account(account: str) -> str:
    """A bank account as shown before a reveal: its last four digits only."""
    return f"{MASK}{account[-4:]}" if account else ""


@dataclass(frozen=True)
class AllowanceRow:
    """One allowance of the person as the pay page lists it."""

    assignment: AllowanceAssignment
    current: bool  # paid on the day the page is for
    upcoming: bool  # starts later
    seniority_percent: Decimal | None  # professional seniority: the percentage on that day
    paid: bool  # a locked payslip month falls in its period: it can be ended, not removed

    @property
    def value(self) -> Decimal | int:
        """The coefficient or percentage without trailing zeros (0.200 → 0.2, 10.000 → 10)."""
        value = self.assignment.value
        return int(value) if value == value.to_integral() else value.normalize()


@dataclass(frozen=True)
class DependantRow:
    dependant: Dependant
    current: bool


@dataclass(frozen=True)
class PayInputs:
    """Everything the pay page shows of one person on a day."""

    allowances: list[AllowanceRow]
    dependants: list[DependantRow]
    profile: PayProfile | None

    @property
    def current_dependants(self) -> int:
        return sum(1 for row in self.dependants if row.current)


def _active(valid_from, valid_to, day: datetime.date) -> bool:
    return valid_from <= day and (valid_to is None or valid_to >= day)


def pay_inputs_of(*, staff, on: datetime.date) -> PayInputs:
    """The person's allowances (current first, then upcoming, then past), dependants and pay
    profile as on ``on`` (four queries)."""
    periods = locked_periods(staff.pk)
    rows = []
    for assignment in AllowanceAssignment.objects.filter(staff=staff).select_related(
        "allowance_type", "recorded_by__staff"
    ):
        seniority = None
        if assignment.allowance_type.code == SENIORITY_CODE and assignment.since:
            seniority = professional_seniority_percent(since=assignment.since, on=on)
        rows.append(
            AllowanceRow(
                assignment=assignment,
                current=_active(assignment.valid_from, assignment.valid_to, on),
                upcoming=assignment.valid_from > on,
                seniority_percent=seniority,
                paid=covers_locked_month(assignment.valid_from, assignment.valid_to, periods),
            )
        )
    rows.sort(
        key=lambda row: (
            0 if row.current else 1 if row.upcoming else 2,
            row.assignment.allowance_type.name,
            -row.assignment.valid_from.toordinal(),
        )
    )
    month = on.replace(day=1)
    dependants = [
        DependantRow(dependant, _active(dependant.from_month, dependant.to_month, month))
        for dependant in Dependant.objects.filter(staff=staff).order_by("from_month", "id")
    ]
    dependants.sort(key=lambda row: not row.current)
    return PayInputs(
        allowances=rows,
        dependants=dependants,
        profile=PayProfile.objects.filter(staff=staff).first(),
    )
