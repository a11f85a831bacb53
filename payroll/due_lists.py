"""Due lists: who is due a regular raise, beyond-scale seniority, an early raise, or retires,
in a unit subtree and a date range, each row with the reasons (last raise, interval, delays).

Reads only. Loads everything it needs for the whole subtree in a handful of queries, then
applies the pure rules of ``payroll.rules.progression`` in Python.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payroll.models import SalaryRecord
from payroll.rules import progression
from payroll.selectors import GroupScale, current_records, group_scales, retirement_schedules
from personnel import permissions
from personnel.models import AnnualRating, Discipline, Movement, OrgUnit, Staff

LISTS = {
    "regular": gettext_lazy("Regular step raises"),
    "beyond": gettext_lazy("Beyond-scale seniority"),
    "early": gettext_lazy("Early-raise candidates"),
    "retirement": gettext_lazy("Upcoming retirements"),
}
EARLY_RAISE_QUOTA_PERCENT = 10


@dataclass
class DueRow:
    """One person on a due list, with what is proposed and why."""

    list: str
    staff_id: int
    full_name: str
    staff_number: str
    unit_id: int
    unit_name: str
    date_of_birth: datetime.date | None
    rank_id: int | None = None
    rank_code: str = ""
    rank_name: str = ""
    step: int | None = None
    coefficient: Decimal | None = None
    step_since: datetime.date | None = None
    beyond_scale_percent: Decimal = Decimal(0)
    due_date: datetime.date | None = None
    proposed_step: int | None = None
    proposed_coefficient: Decimal | None = None
    proposed_percent: Decimal = Decimal(0)
    retires_on: datetime.date | None = None
    interval_months: int | None = None
    delays: list[tuple[str, int, int]] = field(default_factory=list)  # (reason, months, days)
    notes: list[str] = field(default_factory=list)
    outside_quota: bool = False

    def why(self) -> str:
        """The reasons in one sentence, as the list shows them."""
        parts = []
        if self.step_since:
            parts.append(_("on step %(step)s since %(since)s") % {
                "step": self.step, "since": self.step_since.strftime("%d/%m/%Y"),
            })  # fmt: skip
        if self.interval_months:
            parts.append(_("interval %(months)s months") % {"months": self.interval_months})
        for reason, months, days in self.delays:
            amount = _("%(n)s months") % {"n": months} if months else _("%(n)s days") % {"n": days}
            parts.append(_("delayed %(amount)s: %(reason)s") % {"amount": amount, "reason": reason})
        parts.extend(self.notes)
        return "; ".join(parts)

    def reasons(self) -> dict:
        """The reasons as data, kept on a draft decision prepared from the row."""
        return {
            "list": self.list,
            "step_since": self.step_since.isoformat() if self.step_since else None,
            "interval_months": self.interval_months,
            "delays": [list(delay) for delay in self.delays],
            "notes": self.notes,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "why": self.why(),
        }


@dataclass
class StaffFacts:
    """What the rules need to know about one person besides the current salary."""

    disciplines: list[tuple[datetime.date, int, str]] = field(default_factory=list)
    failed_years: list[tuple[int, int]] = field(default_factory=list)  # (year, delay months)
    non_counting: list[progression.Period] = field(default_factory=list)


def _facts(staff_ids: list[int]) -> dict[int, StaffFacts]:
    facts: dict[int, StaffFacts] = defaultdict(StaffFacts)
    for staff_id, date, months, name in Discipline.objects.filter(
        staff_id__in=staff_ids
    ).values_list("staff_id", "date", "kind__raise_delay_months", "kind__name"):
        facts[staff_id].disciplines.append((date, months, f"{name} {date:%d/%m/%Y}"))
    for staff_id, year, months in AnnualRating.objects.filter(
        staff_id__in=staff_ids, level__counts_as_completed=False
    ).values_list("staff_id", "year", "level__raise_delay_months"):
        facts[staff_id].failed_years.append((year, months))
    leave_start: dict[int, datetime.date] = {}
    for staff_id, kind, day in (
        Movement.objects.filter(
            staff_id__in=staff_ids, kind__in=[Movement.Kind.UNPAID_LEAVE, Movement.Kind.RETURN]
        )
        .order_by("staff_id", "effective_date", "id")
        .values_list("staff_id", "kind", "effective_date")
    ):
        if kind == Movement.Kind.UNPAID_LEAVE:
            leave_start[staff_id] = day
        elif staff_id in leave_start:
            start = leave_start.pop(staff_id)
            reason = _("unpaid leave %(start)s–%(end)s") % {
                "start": start.strftime("%d/%m/%Y"),
                "end": (day - datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
            }
            facts[staff_id].non_counting.append(
                progression.Period(start, day - datetime.timedelta(days=1), reason)
            )
    return facts


def _due(record: SalaryRecord, scale: GroupScale, facts: StaffFacts, failed_months: int):
    """(list, proposed percent, RaiseDue) for the person's next raise."""
    failed_years = [year for year, _months in facts.failed_years]
    months = max((months for _year, months in facts.failed_years), default=failed_months)
    rating_reason = _("rated “did not complete duties” in {year}")
    if record.step < scale.last_step:
        due = progression.regular_raise_due(
            since=record.step_since,
            interval_months=scale.raise_interval_months,
            discipline_delays=facts.disciplines,
            failed_rating_years=failed_years,
            failed_rating_delay_months=months,
            non_counting=facts.non_counting,
            rating_reason=rating_reason,
        )
        return "regular", Decimal(0), due
    percent, due = progression.beyond_scale_next(
        on_last_step_since=record.step_since,
        current_percent=record.beyond_scale_percent,
        percent_since=record.effective_date if record.beyond_scale_percent else None,
        wait_months=scale.beyond_scale_wait_months,
        discipline_delays=facts.disciplines,
        failed_rating_years=failed_years,
        failed_rating_delay_months=months,
        non_counting=facts.non_counting,
        rating_reason=rating_reason,
    )
    return "beyond", percent, due


def scoped_staff(*, user, unit: OrgUnit | None):
    """Working staff in ``unit``'s subtree that ``user`` may see."""
    staff = permissions.visible_staff(user).filter(status=Staff.Status.ACTIVE)
    if unit is not None:
        staff = staff.filter(
            unit__in=OrgUnit.objects.filter(path__startswith=unit.path).values("id")
        )
    return staff


def due_list(
    *,
    staff,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    failed_rating_delay_months: int = 6,
) -> list[DueRow]:
    """The due list ``kind`` for the given staff queryset and date range (inclusive).

    ``early`` uses the year of ``start``: staff lacking at most 12 months of their interval at
    31 December of that year, not raised early last time in the same rank, with the unit's
    quota (10% of its working staff) shown on every row; staff about to retire who lack at
    most 12 months are listed outside the quota.
    """
    if kind not in LISTS:
        raise ValueError(kind)
    people = list(
        staff.values_list(
            "id", "full_name", "staff_number", "unit_id", "unit__name", "date_of_birth", "sex"
        )
    )
    ids = [person[0] for person in people]
    records = current_records(ids)
    facts = _facts(ids) if kind != "retirement" else {}
    scales = group_scales()
    schedules = retirement_schedules() if kind in ("retirement", "early") else {}
    quotas: dict[int, int] = {}
    if kind == "early":
        headcounts = (
            Staff.objects.filter(status=Staff.Status.ACTIVE, unit_id__in={p[3] for p in people})
            .values("unit_id")
            .annotate(n=Count("id"))
        )
        quotas = {
            row["unit_id"]: progression.early_raise_quota(row["n"], EARLY_RAISE_QUOTA_PERCENT)
            for row in headcounts
        }
    rows = []
    for staff_id, name, number, unit_id, unit_name, born, sex in people:
        row = DueRow(kind, staff_id, name, number, unit_id, unit_name, born)
        record = records.get(staff_id)
        retires_on = None
        if born is not None and schedules.get(sex):
            retires_on = progression.retirement_date(born=born, schedule=schedules[sex])
        if kind == "retirement":
            if retires_on and start <= retires_on <= end:
                row.retires_on = retires_on
                _describe_current(row, record)
                rows.append(row)
            continue
        if record is None:
            continue
        scale = scales[record.rank.group_id]
        list_kind, percent, due = _due(
            record, scale, facts.get(staff_id, StaffFacts()), failed_rating_delay_months
        )
        _describe_current(row, record)
        row.due_date, row.interval_months = due.date, due.interval_months
        row.delays = [(delay.reason, delay.months, delay.days) for delay in due.delays]
        if list_kind == "regular":
            row.proposed_step = record.step + 1
            row.proposed_coefficient = scale.coefficient(record.step + 1)
        else:
            row.interval_months = (
                scale.beyond_scale_wait_months if not record.beyond_scale_percent else 12
            )
            row.proposed_step, row.proposed_coefficient = record.step, record.coefficient
            row.proposed_percent = percent
        if kind in ("regular", "beyond"):
            if list_kind == kind and start <= due.date <= end:
                rows.append(row)
            continue
        # Early raises apply to step raises only.
        if list_kind != "regular":
            continue
        previous_early = record.kind == SalaryRecord.Kind.EARLY_RAISE
        if (
            retires_on
            and progression.retirement_early_raise_eligible(due=due.date, retires_on=retires_on)
            and (start <= retires_on <= datetime.date(start.year, 12, 31))
        ):
            row.retires_on = retires_on
            row.outside_quota = True
            row.notes.append(_("retires on %(date)s: raise 12 months early, outside the quota")
                             % {"date": retires_on.strftime("%d/%m/%Y")})  # fmt: skip
            rows.append(row)
        elif progression.early_raise_eligible(
            due=due.date, year=start.year, previous_raise_was_early_in_same_rank=previous_early
        ):
            row.notes.append(_("unit quota: %(quota)s") % {"quota": quotas.get(unit_id, 0)})
            rows.append(row)
    key = (
        (lambda r: (r.retires_on, r.full_name))
        if kind == "retirement"
        else (lambda r: (r.due_date, r.unit_name, r.full_name))
    )
    rows.sort(key=key)
    return rows


def _describe_current(row: DueRow, record: SalaryRecord | None) -> None:
    if record is None:
        return
    row.rank_id = record.rank_id
    row.rank_code, row.rank_name = record.rank.code, record.rank.name
    row.step, row.coefficient = record.step, record.coefficient
    row.step_since = record.step_since
    row.beyond_scale_percent = record.beyond_scale_percent
