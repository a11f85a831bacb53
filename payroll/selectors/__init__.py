"""Reads of salary data: parameters in force on a date, current salaries, salary history."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from payroll.models import BaseSalary, RetirementAge, SalaryRecord
from payroll.rules import pay, progression
from personnel import permissions
from personnel.models import Rank, RankPlacement, SalaryGroup, SalaryStep
from personnel.salary_source import SalaryLine, SalarySource


@dataclass(frozen=True)
class Parameters:
    """Legal parameters in force on a day."""

    day: datetime.date
    base_salary: Decimal


def in_force(queryset: QuerySet, day: datetime.date) -> QuerySet:
    """Rows of an effective-dated table in force on ``day``, newest first."""
    return queryset.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day
    ).order_by("-valid_from")


def parameters_at(day: datetime.date) -> Parameters:
    """The legal parameters in force on ``day`` (a new legal rate is a new row)."""
    base = in_force(BaseSalary.objects.all(), day).first()
    if base is None:
        raise LookupError(f"No base salary in force on {day:%d/%m/%Y}: load the reference data.")
    return Parameters(day=day, base_salary=base.amount)


@dataclass(frozen=True)
class GroupScale:
    """A salary group with its steps, as the progression rules need it."""

    id: int
    code: str
    name: str
    coefficients: tuple[Decimal, ...]
    raise_interval_months: int
    beyond_scale_wait_months: int

    @property
    def last_step(self) -> int:
        return len(self.coefficients)

    @property
    def increment(self) -> Decimal:
        if len(self.coefficients) < 2:
            return Decimal(0)
        return self.coefficients[1] - self.coefficients[0]

    def coefficient(self, step: int) -> Decimal | None:
        return self.coefficients[step - 1] if 1 <= step <= len(self.coefficients) else None


def group_scales(on: datetime.date | None = None) -> dict[int, GroupScale]:
    """Every salary group with the coefficients of its steps in force on ``on`` (today by
    default), keyed by group id (two queries)."""
    day = on or timezone.localdate()
    steps_in_force = in_force(SalaryStep.objects.all(), day)
    scales = {}
    for group in SalaryGroup.objects.prefetch_related(
        models.Prefetch("steps", queryset=steps_in_force)
    ):
        by_step = {}
        for step in group.steps.all():  # newest first: the first row of a step wins
            by_step.setdefault(step.step, step)
        steps = [by_step[number] for number in sorted(by_step)]
        scales[group.pk] = GroupScale(
            id=group.pk,
            code=group.code,
            name=group.name,
            coefficients=tuple(step.coefficient for step in steps),
            raise_interval_months=group.raise_interval_months,
            beyond_scale_wait_months=group.beyond_scale_wait_months,
        )
    return scales


class RankGroups:
    """The salary group of each rank on a date: its placement rows (cán sự: B until
    30/06/2021, A0 from 01/07/2021), or its current group where no row covers the date
    (docs/rules.md §2.4). Loaded once (two queries), then asked per decision."""

    def __init__(self):
        self.current = dict(Rank.objects.values_list("pk", "group_id"))
        self.periods: dict[int, list[tuple]] = {}
        for rank_id, start, end, group_id in RankPlacement.objects.order_by(
            "rank_id", "valid_from"
        ).values_list("rank_id", "valid_from", "valid_to", "group_id"):
            self.periods.setdefault(rank_id, []).append((start, end, group_id))
        # Most ranks never moved: their group is the same on every date.
        self.moved = {
            rank_id
            for rank_id, periods in self.periods.items()
            if {group_id for _start, _end, group_id in periods} != {self.current.get(rank_id)}
        }

    def group_id(self, rank_id: int, on: datetime.date) -> int:
        if rank_id in self.moved:
            for start, end, group_id in self.periods[rank_id]:
                if start <= on and (end is None or on <= end):
                    return group_id
        return self.current[rank_id]


def rank_group_on(rank, on: datetime.date) -> int:
    """The id of the salary group ``rank`` was placed in on ``on`` (docs/rules.md §2.4)."""
    placement = (
        in_force(RankPlacement.objects.filter(rank=rank), on).values_list("group_id", flat=True)
    ).first()
    return placement if placement is not None else rank.group_id


def retirement_schedules() -> dict[str, list[progression.RetirementAge]]:
    """The retirement-age schedule by sex, ordered by year."""
    schedules: dict[str, list[progression.RetirementAge]] = {"male": [], "female": []}
    for row in RetirementAge.objects.order_by("sex", "year"):
        schedules[row.sex].append(progression.RetirementAge(row.year, row.years, row.months))
    return schedules


def approved(queryset: QuerySet[SalaryRecord] | None = None) -> QuerySet[SalaryRecord]:
    base = queryset if queryset is not None else SalaryRecord.objects.all()
    return base.filter(status=SalaryRecord.Status.APPROVED)


def current_records(staff_ids) -> dict[int, SalaryRecord]:
    """The latest approved salary record of each staff member (one query, DISTINCT ON)."""
    records = (
        approved()
        .filter(staff_id__in=staff_ids)
        .select_related("rank")
        .order_by("staff_id", "-effective_date", "-id")
        .distinct("staff_id")
    )
    return {record.staff_id: record for record in records}


def salary_history(staff) -> QuerySet[SalaryRecord]:
    """A staff member's approved salary decisions, oldest first (the form's item 31)."""
    return (
        approved(staff.salary_records.all()).select_related("rank").order_by("effective_date", "id")
    )


def _salary_line(record: SalaryRecord) -> SalaryLine:
    return SalaryLine(
        effective_date=record.effective_date,
        rank_code=record.rank.code,
        rank_name=record.rank.name,
        step=record.step,
        coefficient=record.coefficient,
        beyond_scale_percent=record.beyond_scale_percent,
        leadership_coefficient=record.leadership_coefficient,
    )


def dossier_salary_source() -> SalarySource:
    """What personnel's dossier reads of salary decisions (see personnel.salary_source)."""
    return SalarySource(
        history=lambda staff_id: [
            _salary_line(record)
            for record in approved()
            .filter(staff_id=staff_id)
            .select_related("rank")
            .order_by("effective_date", "id")
        ],
        current=lambda staff_ids: {
            staff_id: _salary_line(record)
            for staff_id, record in current_records(list(staff_ids)).items()
        },
    )


def decisions_list(*, user, status: str) -> QuerySet[SalaryRecord]:
    """Salary decisions in ``status`` about staff ``user`` may view: drafts oldest effect first
    (the work to do), decided ones newest decision first (what was just approved on top)."""
    records = SalaryRecord.objects.filter(
        status=status, staff__in=permissions.visible_staff(user).values("pk")
    )
    if status == SalaryRecord.Status.DRAFT:
        return records.order_by("effective_date", "staff__sort_key", "id")
    return records.order_by(models.F("decided_at").desc(nulls_last=True), "-effective_date", "-id")


def approvable_drafts(*, user) -> QuerySet[SalaryRecord]:
    """Drafts about staff of the units where ``user`` approves salary decisions (the four-eyes
    rule is applied per decision by the service)."""
    return SalaryRecord.objects.filter(
        status=SalaryRecord.Status.DRAFT,
        staff__in=permissions.visible_staff(user, permissions.APPROVE_SALARY).values("pk"),
    )


@dataclass(frozen=True)
class SalarySummary:
    """What the salary page shows of one person on a day."""

    history: list[SalaryRecord]
    current: SalaryRecord | None
    scale: GroupScale | None
    base_salary: Decimal
    monthly: Decimal | None  # the rank/step salary with beyond-scale seniority, to the đồng
    next_raise: object | None  # a due-list row (payroll.selectors.due_lists.DueRow)
    retires_on: datetime.date | None
    this_month: object | None = None  # payroll.selectors.month_pay.MonthPay of ``on``'s month


def salary_summary(*, staff, on: datetime.date) -> SalarySummary:
    """History, the decision in force on ``on`` and its monthly amount (from the pay rules),
    the next raise, the retirement date of ``staff``, and the pay of ``on``'s month (the
    payslip of a run of that month, or a preview from the same rules)."""
    from payroll.selectors.due_lists import next_raise, retirement_date_of
    from payroll.selectors.month_pay import month_pay

    history = list(salary_history(staff))
    current = next((r for r in reversed(history) if r.effective_date <= on), None)
    base = parameters_at(on).base_salary
    scale = group_scales()[rank_group_on(current.rank, current.effective_date)] if current else None
    monthly = None
    if current is not None:
        monthly = pay.rank_salary(coefficient=current.coefficient, base_salary=base)
        if current.beyond_scale_percent:
            monthly += pay.beyond_scale_allowance(
                percent=current.beyond_scale_percent,
                last_step_coefficient=current.coefficient,
                base_salary=base,
                include_leadership=False,
            )
    return SalarySummary(
        history=history,
        current=current,
        scale=scale,
        base_salary=base,
        monthly=monthly,
        next_raise=next_raise(staff=staff) if staff.status == "active" else None,
        retires_on=retirement_date_of(staff),
        this_month=month_pay(staff_id=staff.pk, year=on.year, month=on.month),
    )


def pending_decisions(*, staff) -> QuerySet[SalaryRecord]:
    """A person's drafts and rejected decisions (not in the history), with who decided."""
    return staff.salary_records.exclude(status=SalaryRecord.Status.APPROVED).select_related(
        "rank", "created_by__staff", "decided_by__staff"
    )
