"""Each person's contributions for a month, per fund, employee and employer (docs/rules.md §5.11).

Where the person's paying unit has locked the month's payroll here, the figures are the locked
payslip's (contribution salary, capped base, shares per fund, and the back contributions taken
that month). Where it has not — a unit whose payroll is kept elsewhere, or a month not locked
yet — they are computed from the salary decisions with the same pure rules the payroll uses
(``payroll.rules.payslip``), as the unit would have declared them: with the decisions approved
by the end of that month. Back contributions of those units come from decisions approved in the
month with an earlier effective date, month by month (§5.12).
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Q

from hrms.lib.db import ids
from insurance.rules.participation import Month, month_of, months_between, previous_month
from payroll.models import PayrollRun, Payslip, SalaryRecord
from payroll.rules.contributions import Contribution, Fund, back_contributions
from payroll.rules.payslip import compute_payslip
from payroll.selectors import group_scales
from payroll.selectors.month import MissingParameter, MonthContext, month_context
from payroll.selectors.payroll_inputs import PersonMonth, SalaryInForce, people_of_month

ZERO = Decimal(0)
PAYROLL, DECISIONS = "payroll", "decisions"
# The insurance office collects these; the union fee goes to the union (docs/rules.md §5.6).
OFFICE_FUNDS = (
    Fund.RETIREMENT, Fund.SICKNESS, Fund.WORK_ACCIDENT, Fund.HEALTH, Fund.UNEMPLOYMENT,
)  # fmt: skip
Period = tuple[int, int]


@dataclass(slots=True)
class ContributionRow:
    """One person's month as reported to the insurance office. ``employee`` and ``employer``
    are the shares going to the insurance office (union fee excluded); ``contributions`` holds
    every fund's shares when read in full (``FUNDS``), and is empty for the lighter reads."""

    staff_id: int
    unit_id: int  # the work unit on the month's first day
    category: str
    insurance_salary: Decimal  # before the cap
    insurance_base: Decimal  # after the cap
    suspended: bool  # the 14-day rule applied
    source: str  # PAYROLL or DECISIONS
    contributions: tuple[Contribution, ...] = ()
    back: tuple[tuple[Contribution, Period], ...] = ()
    employee: Decimal = ZERO
    employer: Decimal = ZERO

    def __post_init__(self):
        if self.contributions:
            self.employee, self.employer = office_totals(self.contributions)

    def share(self, fund: Fund) -> tuple[Decimal, Decimal]:
        for item in self.contributions:
            if item.fund == fund:
                return item.employee, item.employer
        return ZERO, ZERO


def office_totals(contributions) -> tuple[Decimal, Decimal]:
    """The employee's and the employer's shares to the insurance office (union fee excluded)."""
    employee = employer = ZERO
    for item in contributions:
        if item.fund in OFFICE_FUNDS:
            employee += item.employee
            employer += item.employer
    return employee, employer


def month_start(month: Month) -> datetime.datetime:
    """The first instant of ``month`` in the project's time zone."""
    year, number = divmod(month, 100)
    return datetime.datetime(year, number, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _next(month: Month) -> Month:
    year, number = divmod(month, 100)
    return (year + 1) * 100 + 1 if number == 12 else month + 1


def locked_paying_units(month: Month) -> set[int]:
    """Paying units whose payroll of ``month`` is locked here."""
    year, number = divmod(month, 100)
    return set(
        PayrollRun.objects.filter(
            year=year, month=number, status=PayrollRun.Status.LOCKED
        ).values_list("unit_id", flat=True)
    )


def _contributions(items) -> tuple[Contribution, ...]:
    return tuple(Contribution(Fund(f), Decimal(e), Decimal(r)) for f, e, r in items)


SALARY, TOTALS, FUNDS = "salary", "totals", "funds"

# The locked payslips of a month with the office's totals summed in SQL, and the back
# contributions only where there are some: a province's month is 100,000 payslips, and parsing
# every fund of every one in Python takes seconds.
_TOTALS_SQL = """
SELECT p.staff_id, p.unit_id, p.category, p.insurance_salary, p.insurance_base, p.suspended,
       COALESCE(t.employee, 0), COALESCE(t.employer, 0),
       CASE WHEN jsonb_array_length(p.back_contributions) > 0
            THEN p.back_contributions::text END
FROM payroll_payslip p
JOIN payroll_payrollrun r ON r.id = p.run_id
LEFT JOIN LATERAL (
    SELECT sum((c->>1)::numeric) AS employee, sum((c->>2)::numeric) AS employer
    FROM jsonb_array_elements(p.contributions) c WHERE c->>0 = ANY(%(funds)s)
) t ON TRUE
WHERE r.status = 'locked' AND p.year = %(year)s AND p.month = %(month)s {staff}
"""


# Every fund's shares as three arrays (fund, employee, employer): numeric arrays load in C,
# far faster than parsing each payslip's JSON and building a Decimal per amount in Python.
_FUNDS_SQL = """
SELECT p.staff_id, p.unit_id, p.category, p.insurance_salary, p.insurance_base, p.suspended,
       ARRAY(SELECT c->>0 FROM jsonb_array_elements(p.contributions) c),
       ARRAY(SELECT (c->>1)::numeric FROM jsonb_array_elements(p.contributions) c),
       ARRAY(SELECT (c->>2)::numeric FROM jsonb_array_elements(p.contributions) c),
       CASE WHEN jsonb_array_length(p.back_contributions) > 0
            THEN p.back_contributions::text END
FROM payroll_payslip p
JOIN payroll_payrollrun r ON r.id = p.run_id
WHERE r.status = 'locked' AND p.year = %(year)s AND p.month = %(month)s {staff}
"""
_FUND = {str(fund): fund for fund in Fund}


def _back(items) -> tuple[tuple[Contribution, Period], ...]:
    return tuple((Contribution(Fund(f), Decimal(e), Decimal(r)), (y, m)) for f, e, r, y, m in items)


def payslip_rows(
    month: Month, staff_ids: Iterable[int] | None, *, detail: str = FUNDS
) -> dict[int, ContributionRow]:
    """Rows from the locked payslips of ``month`` (every locked payslip when ``staff_ids`` is
    None): ``SALARY`` reads the salaries only, ``TOTALS`` the office's totals and any back
    contributions, ``FUNDS`` every fund's shares too."""
    year, number = divmod(month, 100)
    if detail in (TOTALS, FUNDS):
        params = {"funds": [str(f) for f in OFFICE_FUNDS], "year": year, "month": number}
        staff = ""
        if staff_ids is not None:
            staff = "AND p.staff_id = ANY(%(ids)s::bigint[])"
            params["ids"] = ids(staff_ids).literal
        rows = {}
        with connection.cursor() as cursor:
            if detail == TOTALS:
                cursor.execute(_TOTALS_SQL.format(staff=staff), params)
                for sid, unit, category, salary, base, suspended, emp, er, back in cursor:
                    rows[sid] = ContributionRow(
                        sid, unit, category, salary, base, suspended, PAYROLL,
                        back=_back(json.loads(back)) if back else (), employee=emp, employer=er,
                    )  # fmt: skip
                return rows
            cursor.execute(_FUNDS_SQL.format(staff=staff), params)
            for sid, unit, category, salary, base, suspended, funds, emp, er, back in cursor:
                rows[sid] = ContributionRow(
                    sid, unit, category, salary, base, suspended, PAYROLL,
                    tuple(map(Contribution, map(_FUND.__getitem__, funds), emp, er)),
                    _back(json.loads(back)) if back else (),
                )  # fmt: skip
        return rows
    payslips = Payslip.objects.filter(year=year, month=number, run__status=PayrollRun.Status.LOCKED)
    if staff_ids is not None:
        payslips = payslips.filter(staff_id__any=ids(staff_ids))
    rows = {}
    for staff_id, unit_id, category, salary, base, suspended in payslips.values_list(
        *PAYSLIP_COLUMNS[:6]
    ):
        rows[staff_id] = ContributionRow(staff_id, unit_id, category, salary, base, suspended,
                                         PAYROLL)  # fmt: skip
    return rows


_FUND_TOTALS_SQL = """
SELECT m.reporting_unit_id, c->>0, sum((c->>1)::numeric), sum((c->>2)::numeric)
FROM unnest(%(ids)s::bigint[], %(units)s::bigint[]) AS m(staff_id, reporting_unit_id)
JOIN payroll_payslip p ON p.staff_id = m.staff_id AND p.year = %(year)s AND p.month = %(month)s
JOIN payroll_payrollrun r ON r.id = p.run_id AND r.status = 'locked'
CROSS JOIN LATERAL jsonb_array_elements(p.contributions) c
GROUP BY 1, 2
"""


def payslip_fund_totals(
    month: Month, reporting_units: dict[int, int]
) -> dict[int, dict[Fund, list[Decimal]]]:
    """Per reporting unit and fund, the employee's and employer's shares in the locked
    payslips of ``month`` of these people (staff id → reporting unit id), summed in SQL."""
    year, number = divmod(month, 100)
    totals: dict[int, dict[Fund, list[Decimal]]] = defaultdict(dict)
    if not reporting_units:
        return totals
    with connection.cursor() as cursor:
        cursor.execute(
            _FUND_TOTALS_SQL,
            {"ids": ids(reporting_units).literal,
             "units": ids(reporting_units.values()).literal,
             "year": year, "month": number},
        )  # fmt: skip
        for unit_id, fund, employee, employer in cursor.fetchall():
            totals[unit_id][Fund(fund)] = [employee, employer]
    return totals


PAYSLIP_COLUMNS = (
    "staff_id", "unit_id", "category", "insurance_salary", "insurance_base", "suspended",
    "contributions", "back_contributions",
)  # fmt: skip


def row_from_payslip(values) -> ContributionRow:
    """A row from a locked payslip's ``PAYSLIP_COLUMNS``."""
    staff_id, unit_id, category, salary, base, suspended, stored, back = values
    return ContributionRow(
        staff_id, unit_id, category, salary, base, suspended, PAYROLL,
        _contributions(stored), _back(back),
    )  # fmt: skip


def salaries_known(
    people: dict[int, PersonMonth], ctx: MonthContext, *, known_before: datetime.datetime | None
) -> None:
    """Replace each person's salary by the approved decision in force in ``ctx``'s month among
    those decided before ``known_before`` (decisions without a decision time count as always
    known), as ``payroll.selectors.payroll_inputs`` picks it."""
    if known_before is None or not people:
        return
    scales = group_scales()
    columns = (
        "staff_id", "rank__code", "rank__group_id", "step", "coefficient",
        "leadership_coefficient", "beyond_scale_percent", "reserved_coefficient",
    )  # fmt: skip
    known = Q(decided_at__isnull=True) | Q(decided_at__lt=known_before)
    late = [p.staff_id for p in people.values() if p.employed_from]
    late_set = set(late)
    on_time = [staff_id for staff_id in people if staff_id not in late_set]
    found = {}
    for group, last_day in ((on_time, ctx.start), (late, ctx.end)):
        if not group:
            continue
        for row in (
            SalaryRecord.objects.filter(
                known, status=SalaryRecord.Status.APPROVED, effective_date__lte=last_day,
                staff_id__any=ids(group),
            )
            .order_by("staff_id", "-effective_date", "-id")
            .distinct("staff_id")
            .values_list(*columns)
        ):  # fmt: skip
            found[row[0]] = row
    for staff_id, person in people.items():
        row = found.get(staff_id)
        if row is None:
            person.salary = None
            continue
        _id, rank_code, group_id, step, coefficient, leadership, percent, reserved = row
        scale = scales.get(group_id)
        person.salary = SalaryInForce(
            rank_code=rank_code, step=step, coefficient=coefficient,
            leadership_coefficient=leadership, beyond_scale_percent=percent,
            last_step_coefficient=scale.coefficients[-1] if scale else coefficient,
            reserved_coefficient=reserved,
        )  # fmt: skip


def _row_from(person: PersonMonth, ctx: MonthContext) -> ContributionRow | None:
    if person.salary is None and not person.own_allowances:
        return None
    slip = compute_payslip(person.payslip_input(ctx, owes_union_fee=ctx.union_fee_owed), ctx.params)
    return ContributionRow(
        person.staff_id, person.unit_id, person.category, slip.insurance_salary,
        slip.insurance_base, slip.suspended, DECISIONS, slip.contributions,
    )  # fmt: skip


def decision_people(
    month: Month, staff_ids: Iterable[int], *, known_before: datetime.datetime | None
) -> tuple[MonthContext, dict[int, PersonMonth]] | None:
    """The payroll's inputs of ``month`` for these people, with the salary decisions known
    before ``known_before``; None when the month's parameters are incomplete."""
    try:
        ctx = month_context(*divmod(month, 100))
    except MissingParameter:
        return None
    people = {p.staff_id: p for p in people_of_month(ctx, staff_ids=list(staff_ids))}
    salaries_known(people, ctx, known_before=known_before)
    return ctx, people


def decision_rows(
    month: Month, staff_ids: Iterable[int], *, back: bool = True
) -> dict[int, ContributionRow]:
    """Rows computed from the salary decisions as declared for ``month`` (those approved by the
    month's end), with (``back``) the back contributions of decisions approved during it."""
    wanted = list(staff_ids)
    if not wanted:
        return {}
    loaded = decision_people(month, wanted, known_before=month_start(_next(month)))
    if loaded is None:
        return {}
    ctx, people = loaded
    rows = {}
    for staff_id, person in people.items():
        row = _row_from(person, ctx)
        if row is not None:
            rows[staff_id] = row
    if back:
        for staff_id, owed in decision_back_contributions(month, list(rows)).items():
            rows[staff_id].back = tuple(owed)
    return rows


def decision_back_contributions(
    month: Month, staff_ids: list[int]
) -> dict[int, list[tuple[Contribution, Period]]]:
    """Back contributions owed in ``month`` for decisions approved during it whose effect
    starts earlier: for each earlier month, what is due with the decisions now known less what
    was declared before them, per fund (docs/rules.md §5.7, §5.12)."""
    if not staff_ids:
        return {}
    start, end = month_start(month), month_start(_next(month))
    first_day = start.date()
    earliest: dict[int, Month] = {}
    for staff_id, effective in SalaryRecord.objects.filter(
        status=SalaryRecord.Status.APPROVED, decided_at__gte=start, decided_at__lt=end,
        effective_date__lt=first_day, staff_id__any=staff_ids,
    ).values_list("staff_id", "effective_date"):  # fmt: skip
        key = month_of(effective)
        earliest[staff_id] = min(key, earliest.get(staff_id, key))
    by_month: dict[Month, list[int]] = defaultdict(list)
    for staff_id, first in earliest.items():
        for past in months_between(first, previous_month(month)):
            by_month[past].append(staff_id)
    owed: dict[int, list[tuple[Contribution, Period]]] = defaultdict(list)
    for past in sorted(by_month):
        wanted = by_month[past]
        now = decision_people(past, wanted, known_before=end)
        if now is None:
            continue
        ctx, due_people = now
        declared = {
            staff_id: replace(person, unpaid_periods=list(person.unpaid_periods))
            for staff_id, person in due_people.items()
        }
        salaries_known(declared, ctx, known_before=start)
        for staff_id in wanted:
            due = _row_from(due_people[staff_id], ctx) if staff_id in due_people else None
            paid = _row_from(declared[staff_id], ctx) if staff_id in declared else None
            for item in back_contributions(
                paid=paid.contributions if paid else (), due=due.contributions if due else ()
            ):
                owed[staff_id].append((item, divmod(past, 100)))
    return owed


@dataclass
class MonthRows:
    """The month's rows and what could not be had."""

    rows: dict[int, ContributionRow]
    # People whose paying unit locked the month but who have no payslip in it.
    not_in_payroll: set[int]
    locked_units: set[int]
    detail: str = TOTALS


def month_rows(
    month: Month,
    staff_paying_units: dict[int, int],
    *,
    detail: str = TOTALS,
    all_locked: bool = False,
) -> MonthRows:
    """Rows of ``month`` for people (staff id → paying unit id): from the locked payroll where
    the paying unit locked it, otherwise from the decisions (always in full). ``detail`` is how
    much of the payslips to read (``SALARY``, ``TOTALS``, ``FUNDS``); ``all_locked`` reads every
    locked payslip of the month at once (province-wide) instead of filtering by person."""
    locked = locked_paying_units(month)
    wanted = staff_paying_units
    from_payroll = [sid for sid, unit in wanted.items() if unit in locked]
    rows = payslip_rows(month, None if all_locked else from_payroll, detail=detail)
    if all_locked:
        rows = {sid: row for sid, row in rows.items() if sid in wanted}
    missing = {sid for sid in from_payroll if sid not in rows}
    computed = [sid for sid, unit in wanted.items() if unit not in locked]
    rows.update(decision_rows(month, computed, back=detail != SALARY))
    return MonthRows(rows=rows, not_in_payroll=missing, locked_units=locked, detail=detail)
