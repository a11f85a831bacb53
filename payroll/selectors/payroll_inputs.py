"""Who is paid in a month and everything the pay rules need about each of them, read set-based
(a handful of queries whatever the number of people: a province is 100,000 staff).

A person belongs to the month of the payroll unit of the unit they work in on the month's first
day (or on the day they start); a transfer during the month takes effect for pay the next month
(docs/rules.md §7.1). The salary decision in force on that day applies to the whole month.
Working days without pay — before recruitment, after leaving, on leave without pay — are
counted from the dossier's dates and movements (docs/rules.md §7.3).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from hrms.lib.db import ids
from payroll.models import AllowanceAssignment, Dependant, PayProfile, SalaryRecord
from payroll.rules import pay
from payroll.rules.pay import Allowance
from payroll.rules.payslip import PayslipInput
from payroll.rules.working_days import unpaid_working_days
from payroll.selectors import group_scales
from payroll.selectors.month import SENIORITY_CODE, MonthContext
from payroll.unpaid_sources import unpaid_periods
from personnel.models import Movement, OrgUnit, Staff
from personnel.selectors import payroll_units

ZERO = Decimal(0)
_DAY = datetime.timedelta(days=1)
WORKING = (Staff.Status.ACTIVE, Staff.Status.LEAVE_WITHOUT_PAY)
LEFT = (Staff.Status.RETIRED, Staff.Status.RESIGNED, Staff.Status.DECEASED)


@dataclass(frozen=True, slots=True)
class SalaryInForce:
    """The parts of the salary decision in force that the month's pay uses."""

    rank_code: str
    step: int
    coefficient: Decimal
    leadership_coefficient: Decimal
    beyond_scale_percent: Decimal
    last_step_coefficient: Decimal
    reserved_coefficient: Decimal


@dataclass(slots=True)
class PersonMonth:
    """One person's month as the rules see it (plain values, no model instances)."""

    staff_id: int
    unit_id: int
    payroll_unit_id: int
    category: str
    employed_from: datetime.date | None = None
    employed_to: datetime.date | None = None
    unpaid_periods: list[tuple[datetime.date, datetime.date]] = field(default_factory=list)
    salary: SalaryInForce | None = None
    allowances: dict[int, Decimal] = field(default_factory=dict)  # type id → value
    dependants: int = 0
    union_member: bool = False
    own_allowances: bool = False  # granted to the person (not only through the unit)

    @property
    def is_paid(self) -> bool:
        """Paid at all: an approved salary decision, or an allowance of their own (a contract
        paid an agreed amount). Unit allowances alone pay nobody (docs/rules.md §7.1)."""
        return self.salary is not None or self.own_allowances

    def unpaid_days(self, ctx: MonthContext) -> int:
        """Working days of the month without pay."""
        if not (self.employed_from or self.employed_to or self.unpaid_periods):
            return 0
        return unpaid_working_days(
            year=ctx.year,
            month=ctx.month,
            holidays=ctx.holidays,
            employed_from=self.employed_from,
            employed_to=self.employed_to,
            unpaid_periods=self.unpaid_periods,
        )

    def payslip_input(self, ctx: MonthContext, *, owes_union_fee: bool = False, **extra):
        """The rules' input for this person's month (``extra``: arrears lines, back
        contributions)."""
        salary = self.salary
        allowances = tuple(
            Allowance(ctx.allowances[type_id].rule, value)
            for type_id, value in self.allowances.items()
            if value
        )
        return PayslipInput(
            category=self.category,
            salary_coefficient=salary.coefficient if salary else ZERO,
            working_days=ctx.working_days,
            unpaid_days=self.unpaid_days(ctx),
            leadership_coefficient=salary.leadership_coefficient if salary else ZERO,
            beyond_scale_percent=salary.beyond_scale_percent if salary else ZERO,
            last_step_coefficient=salary.last_step_coefficient if salary else ZERO,
            reserved_coefficient=salary.reserved_coefficient if salary else ZERO,
            allowances=allowances,
            dependants=self.dependants,
            union_member=self.union_member,
            owes_union_fee=owes_union_fee,
            **extra,
        )


def payroll_area(payroll_unit_ids: Iterable[int]) -> dict[int, int]:
    """Every unit paid by one of ``payroll_unit_ids``: unit id → its payroll unit id (units
    under a payroll unit that keep their own payroll are left out, with their subtrees)."""
    wanted = set(payroll_unit_ids)
    roots = OrgUnit.objects.filter(pk__in=wanted).values_list("path", flat=True)
    units = OrgUnit.objects.under(*roots).values_list("pk", flat=True)
    return {
        unit_id: payroll.pk
        for unit_id, payroll in payroll_units(list(units)).items()
        if payroll.pk in wanted
    }


def people_of_month(
    ctx: MonthContext,
    *,
    payroll_unit_ids: Iterable[int] | None = None,
    staff_ids: Iterable[int] | None = None,
) -> list[PersonMonth]:
    """The people paid in month ``ctx`` by the given payroll units (or, with ``staff_ids``,
    those people wherever they were paid), with every input of their month."""
    employed = Q(status__in=WORKING) | Q(status__in=LEFT, status_since__gt=ctx.start)
    employed &= Q(recruitment_date__isnull=True) | Q(recruitment_date__lte=ctx.end)
    candidates = Staff.objects.filter(employed)
    area: dict[int, int] | None = None
    if staff_ids is not None:
        candidates = candidates.filter(pk__any=ids(staff_ids))
    if payroll_unit_ids is not None:
        area = payroll_area(payroll_unit_ids)
        moved_out = Movement.objects.filter(
            kind=Movement.Kind.TRANSFER, effective_date__gt=ctx.start, from_unit__any=ids(area)
        ).values("staff_id")
        candidates = candidates.filter(Q(unit__any=ids(area)) | Q(pk__in=moved_out))
    rows = list(
        candidates.values_list(
            "pk", "unit_id", "category", "status", "status_since", "recruitment_date"
        )
    )
    unit_at_start = _units_at(ids(row[0] for row in rows), ctx.start)
    people: dict[int, PersonMonth] = {}
    for staff_id, unit_id, category, status, status_since, recruited in rows:
        unit_id = unit_at_start.get(staff_id, unit_id)
        person = PersonMonth(staff_id, unit_id, 0, category)
        if recruited and recruited > ctx.start:
            person.employed_from = recruited
        if status in LEFT and status_since and status_since <= ctx.end:
            person.employed_to = status_since - _DAY
        people[staff_id] = person
    paying = payroll_units({person.unit_id for person in people.values()})
    wanted = set(area.values()) if area is not None else None
    for person in list(people.values()):
        person.payroll_unit_id = paying[person.unit_id].pk
        if wanted is not None and person.payroll_unit_id not in wanted:
            del people[person.staff_id]
    person_ids = ids(people)
    _add_salaries(people, ctx)
    _add_allowances(people, ctx)
    _add_unpaid_leave(people, ctx)
    for staff_id, count in _dependants(person_ids, ctx).items():
        people[staff_id].dependants = count
    for staff_id in PayProfile.objects.filter(
        union_member_in(ctx.start, ctx.end), staff_id__any=person_ids
    ).values_list("staff_id", flat=True):
        people[staff_id].union_member = True
    return sorted(people.values(), key=lambda person: person.staff_id)


def union_member_in(start: datetime.date, end: datetime.date) -> Q:
    """Pay profiles of union members during the month ``start``–``end``: members now whose
    membership began by the month's end, or former members whose membership reached into the
    month (docs/rules.md §5.6)."""
    began = Q(union_since__isnull=True) | Q(union_since__lte=end)
    return began & (Q(union_member=True) | Q(union_until__gte=start))


def _units_at(staff_ids, day: datetime.date) -> dict[int, int]:
    """The unit of people transferred after ``day``: the unit they left by their first
    transfer after it (others are where they are now)."""
    units: dict[int, int] = {}
    for staff_id, from_unit in (
        Movement.objects.filter(
            staff_id__any=ids(staff_ids), kind=Movement.Kind.TRANSFER, effective_date__gt=day
        )
        .order_by("staff_id", "effective_date", "id")
        .values_list("staff_id", "from_unit_id")
    ):
        units.setdefault(staff_id, from_unit)
    return units


def _add_salaries(people: dict[int, PersonMonth], ctx: MonthContext) -> None:
    """The approved decision in force on the first paid day of each person's month."""
    scales = group_scales()
    columns = (
        "staff_id", "effective_date", "rank__code", "rank__group_id", "step", "coefficient",
        "leadership_coefficient", "beyond_scale_percent", "reserved_coefficient",
    )  # fmt: skip
    late = {p.staff_id for p in people.values() if p.employed_from}
    found = {}
    for rows in (
        SalaryRecord.objects.filter(
            status=SalaryRecord.Status.APPROVED,
            effective_date__lte=ctx.start,
            staff_id__any=ids(p for p in people if p not in late),
        ),
        SalaryRecord.objects.filter(
            status=SalaryRecord.Status.APPROVED,
            effective_date__lte=ctx.end,
            staff_id__any=ids(late),
        ),
    ):
        for row in (
            rows.order_by("staff_id", "-effective_date", "-id")
            .distinct("staff_id")
            .values_list(*columns)
        ):
            found[row[0]] = row
    for staff_id, row in found.items():
        (_id, _date, rank_code, group_id, step, coefficient, leadership, percent, reserved) = row
        scale = scales.get(group_id)
        people[staff_id].salary = SalaryInForce(
            rank_code=rank_code,
            step=step,
            coefficient=coefficient,
            leadership_coefficient=leadership,
            beyond_scale_percent=percent,
            last_step_coefficient=scale.coefficients[-1] if scale else coefficient,
            reserved_coefficient=reserved,
        )


def _add_allowances(people: dict[int, PersonMonth], ctx: MonthContext) -> None:
    """Unit allowances (the nearest unit's row wins), then each person's own allowances
    (which replace a unit allowance of the same type)."""
    by_path: dict[str | None, dict[int, Decimal]] = defaultdict(dict)
    for path, type_id, value in ctx.unit_allowances:
        by_path[path][type_id] = value
    province_wide = by_path.pop(None, {})
    unit_paths = dict(
        OrgUnit.objects.filter(pk__any=ids({p.unit_id for p in people.values()})).values_list(
            "pk", "path"
        )
    )
    step = OrgUnit.steplen
    resolved: dict[int, dict[int, Decimal]] = {}
    for unit_id, path in unit_paths.items():
        values = dict(province_wide)
        for end in range(step, len(path) + 1, step):  # from the top down: deeper rows win
            values.update(by_path.get(path[:end], {}))
        resolved[unit_id] = values
    for person in people.values():
        person.allowances = dict(resolved.get(person.unit_id, province_wide))
    seniority = {kind.id for kind in ctx.allowances.values() if kind.code == SENIORITY_CODE}
    for staff_id, type_id, value, since in (
        AllowanceAssignment.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=ctx.start),
            staff_id__any=ids(people),
            valid_from__lte=ctx.end,
            allowance_type_id__any=ids(ctx.allowances),
        )
        .order_by("staff_id", "allowance_type_id", "valid_from", "id")
        .values_list("staff_id", "allowance_type_id", "value", "since")
    ):
        if type_id in seniority and since is not None:
            value = pay.professional_seniority_percent(since=since, on=ctx.start)
        people[staff_id].allowances[type_id] = value  # the latest row of a type wins
        people[staff_id].own_allowances = True


def _add_unpaid_leave(people: dict[int, PersonMonth], ctx: MonthContext) -> None:
    """Periods of leave without pay overlapping the month (a leave still running ends with
    the month)."""
    open_leave: dict[int, datetime.date] = {}
    for staff_id, kind, day in (
        Movement.objects.filter(
            staff_id__any=ids(people),
            kind__in=[Movement.Kind.UNPAID_LEAVE, Movement.Kind.RETURN],
            effective_date__lte=ctx.end,
        )
        .order_by("staff_id", "effective_date", "id")
        .values_list("staff_id", "kind", "effective_date")
    ):
        if kind == Movement.Kind.UNPAID_LEAVE:
            open_leave[staff_id] = day
        elif staff_id in open_leave:
            start = open_leave.pop(staff_id)
            if day > ctx.start:
                people[staff_id].unpaid_periods.append((start, day - _DAY))
    for staff_id, start in open_leave.items():
        people[staff_id].unpaid_periods.append((start, ctx.end))
    # Maternity and sick leave paid by the insurance fund, recorded by the insurance app.
    for staff_id, periods in unpaid_periods(ids(people), ctx.start, ctx.end).items():
        if staff_id in people:
            people[staff_id].unpaid_periods.extend(periods)


def _dependants(staff_ids, ctx: MonthContext) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for staff_id in Dependant.objects.filter(
        Q(to_month__isnull=True) | Q(to_month__gte=ctx.start),
        staff_id__any=ids(staff_ids),
        from_month__lte=ctx.start,
    ).values_list("staff_id", flat=True):
        counts[staff_id] += 1
    return counts
