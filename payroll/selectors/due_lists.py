"""Due lists: who is due a regular raise, beyond-scale seniority, an early raise, or retires,
in a unit subtree and a date range, each row with the reasons (last raise, interval, delays).

Reads only. Loads everything it needs for the whole subtree in a handful of queries, then
applies the pure rules of ``payroll.rules.progression`` in Python.

What is done where, for a province of a hundred thousand people (issue 17):

- in SQL: the latest approved decision of each scoped person (one index lookup each, see
  ``_current``), in the order a list shows people due on the same day (unit name, name), and
  a first cut — whoever's next raise, by plain date arithmetic, cannot fall in the list's
  window (``_due_filter``); the database also reads the few facts that delay a raise, for the
  people kept only;
- in Python: for people with nothing on record that delays a raise, the plain date is the
  rules' date and decides at once; the rules themselves (delays, periods not counted,
  early-raise conditions) run for the others. Tests hold every list equal with and without
  the cut in SQL, and with the full rules for everyone;
- no query compiled by PostgreSQL's JIT (``hrms.lib.db.without_jit``): for a province-sized
  query it compiled for longer than the query ran;
- cached: only ``progression.add_months`` (a pure function asked the same dates again and
  again). Not the lists: the reference data (salary scales, rank placements, retirement ages)
  is five small queries, and a cache of people's facts would have to follow every decision,
  rating, discipline and movement;
- paged: who is on the list and in which order is decided for the whole list (its order and
  the count need it), but a row is written out — names, reasons, quota — only when it is
  read (``DueList``): a page of 200 rows of a 20,000-row list writes out 200.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrms.lib.db import without_jit
from payroll.models import SalaryRecord
from payroll.rules import progression
from payroll.selectors import GroupScale, RankGroups, group_scales, retirement_schedules
from personnel import permissions
from personnel.models import (
    AnnualRating,
    Discipline,
    Movement,
    NonCountingPeriod,
    OrgUnit,
    Rank,
    RatingLevel,
    Staff,
)
from personnel.selectors import payroll_headcounts, payroll_units

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
    payroll_unit_id: int | None = None  # early raises: the payroll list the quota is counted on
    payroll_unit_name: str = ""
    quota: int | None = None

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
            "payroll_unit": self.payroll_unit_name or None,
            "quota": self.quota,
            "why": self.why(),
        }


@dataclass
class StaffFacts:
    """What the rules need to know about one person besides the current salary."""

    disciplines: list[tuple[datetime.date, int, str]] = field(default_factory=list)
    failed_years: list[tuple[int, int]] = field(default_factory=list)  # (year, delay months)
    non_counting: list[progression.Period] = field(default_factory=list)

    @property
    def discipline_dates(self) -> list[datetime.date]:
        return [day for day, _months, _reason in self.disciplines]

    @property
    def failed_rating_years(self) -> list[int]:
        return [year for year, _months in self.failed_years]


NO_FACTS = StaffFacts()  # shared by everyone with nothing on record: only ever read


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _array(ids: list[int]) -> str:
    """A PostgreSQL array literal of ``ids`` (much cheaper for the driver than a list of
    tens of thousands of Python integers)."""
    return "{" + ",".join(map(str, ids)) + "}"


def _for_staff(queryset, staff_ids):
    """``queryset`` narrowed to ``staff_ids``: a subquery, or a list sent as one array
    parameter rather than an IN list of thousands of values."""
    if not isinstance(staff_ids, list):
        return queryset.filter(staff_id__in=staff_ids)
    table = queryset.model._meta.db_table
    return queryset.alias(
        wanted=RawSQL(
            f'"{table}"."staff_id" = ANY(%s::bigint[])',
            (_array(staff_ids),),
            output_field=BooleanField(),
        )
    ).filter(wanted=True)


def _facts(staff_ids) -> dict[int, StaffFacts]:
    """Disciplines, failed ratings and periods that do not count, per person (four queries)."""
    facts: dict[int, StaffFacts] = defaultdict(StaffFacts)
    for staff_id, date, months, name in _for_staff(Discipline.objects, staff_ids).values_list(
        "staff_id", "date", "kind__raise_delay_months", "kind__name"
    ):
        facts[staff_id].disciplines.append((date, months, f"{name} {_day(date)}"))
    # the few levels that do not count, by id: the ratings' level index finds their rows
    # rather than a pass over every rating of the province
    failing = dict(
        RatingLevel.objects.filter(counts_as_completed=False).values_list(
            "pk", "raise_delay_months"
        )
    )
    for staff_id, year, level_id in (
        _for_staff(AnnualRating.objects, staff_ids)
        .filter(level_id__in=list(failing))
        .values_list("staff_id", "year", "level_id")
    ):
        facts[staff_id].failed_years.append((year, failing[level_id]))
    leave_start: dict[int, datetime.date] = {}
    for staff_id, kind, day in (
        _for_staff(Movement.objects, staff_ids)
        .filter(kind__in=[Movement.Kind.UNPAID_LEAVE, Movement.Kind.RETURN])
        .order_by("staff_id", "effective_date", "id")
        .values_list("staff_id", "kind", "effective_date")
    ):
        if kind == Movement.Kind.UNPAID_LEAVE:
            leave_start[staff_id] = day
        elif staff_id in leave_start:
            start, end = leave_start.pop(staff_id), day - datetime.timedelta(days=1)
            reason = _("unpaid leave %(start)s–%(end)s") % {"start": _day(start), "end": _day(end)}
            facts[staff_id].non_counting.append(progression.Period(start, end, reason))
    for staff_id, start in leave_start.items():  # on leave still: the clock is stopped
        reason = _("unpaid leave since %(start)s") % {"start": _day(start)}
        facts[staff_id].non_counting.append(progression.Period(start, None, reason))
    kinds = dict(NonCountingPeriod.Kind.choices)
    for staff_id, kind, start, end in _for_staff(NonCountingPeriod.objects, staff_ids).values_list(
        "staff_id", "kind", "start", "end"
    ):
        if end is None:
            reason = _("%(kind)s since %(start)s") % {"kind": kinds[kind], "start": _day(start)}
        else:
            reason = _("%(kind)s %(start)s–%(end)s") % {
                "kind": kinds[kind], "start": _day(start), "end": _day(end),
            }  # fmt: skip
        facts[staff_id].non_counting.append(progression.Period(start, end, reason))
    return facts


@dataclass(slots=True)
class Current:
    """The fields of a current salary decision the due lists use (no model instances: a
    province has a hundred thousand of them; not frozen, which would cost a call per field)."""

    staff_id: int
    unit_id: int
    date_of_birth: datetime.date | None
    sex: str
    kind: str
    rank_id: int
    rank_code: str
    rank_name: str
    group_id: int
    step: int
    coefficient: Decimal
    step_since: datetime.date
    effective_date: datetime.date
    beyond_scale_percent: Decimal
    beyond_scale_since: datetime.date | None


def _current(
    staff_ids,  # a list of ids, or a queryset of Staff (a subquery: no province-sized IN list)
    *,
    window: tuple[datetime.date, datetime.date] | None = None,
    kind: str = "",
    scales=None,
    retiring_year: int | None = None,
) -> dict[int, Current]:
    """The latest approved decision of each person, with the salary group its rank was placed
    in on the decision's effective date (docs/rules.md §2.4).

    One query: per person, one descent of the index ``salary_current`` (a LATERAL lookup that
    reads one decision) rather than a DISTINCT ON that reads every approved decision of the
    province (3.6 per person). The people come in the order a list shows them on one day: by
    unit name, then name (``COLLATE "C"``: the order of Python's strings), then id; the names
    themselves are not sent (see ``DueList``).

    With ``window`` and ``kind`` ("regular" or "beyond"), the database leaves out at once
    whoever is surely not on that list for that window (see ``_due_filter``): a province-wide
    list then reads the few thousand people it may show, not a hundred thousand.
    ``retiring_year`` (the early list): only those who may retire in that year are looked for
    before its 31 December."""
    groups = RankGroups()
    columns = ("id", "unit_id", "date_of_birth", "sex", "full_name")
    if isinstance(staff_ids, list):
        people = (
            f"SELECT {', '.join(columns)} FROM {Staff._meta.db_table} WHERE id = ANY(%s::bigint[])"
        )
        people_params = [_array(staff_ids)]
    else:  # a queryset of staff (its ordering would sort a province for nothing)
        people, people_params = staff_ids.order_by().values(*columns).query.sql_with_params()
    scale_join, due, due_params = "", "TRUE", ([], [])
    if window is not None and kind in ("regular", "beyond") and scales:
        scale_join, due, due_params = _due_filter(
            kind, window, scales, groups.moved, retiring_year=retiring_year
        )
    # The lookups are materialised first: inlined, the planner repeats the joins of ranks and
    # scales inside the loop over a hundred thousand people.
    sql = f"""
        WITH c AS MATERIALIZED (
            SELECT s.id AS staff_id, s.unit_id, s.date_of_birth, s.sex, s.full_name, r.kind,
                   r.rank_id, r.step, r.coefficient, r.step_since, r.effective_date,
                   r.beyond_scale_percent, r.beyond_scale_since
            FROM ({people}) AS s({", ".join(columns)})
            CROSS JOIN LATERAL (
                SELECT * FROM {SalaryRecord._meta.db_table} latest
                WHERE latest.staff_id = s.id AND latest.status = %s
                ORDER BY latest.effective_date DESC, latest.id DESC
                LIMIT 1
            ) r
        )
        SELECT c.staff_id, c.unit_id, c.date_of_birth, c.sex, c.kind, c.rank_id, k.code, k.name,
               k.group_id, c.step, c.coefficient, c.step_since, c.effective_date,
               c.beyond_scale_percent, c.beyond_scale_since
        FROM c
        JOIN {Rank._meta.db_table} k ON k.id = c.rank_id
        JOIN {OrgUnit._meta.db_table} u ON u.id = c.unit_id
        {scale_join}
        WHERE {due}
        ORDER BY u.name COLLATE "C", c.full_name COLLATE "C", c.staff_id
    """
    current = {}
    join_params, where_params = due_params
    params = (*people_params, SalaryRecord.Status.APPROVED, *join_params, *where_params)
    with connection.cursor() as cursor:  # due_list turns JIT compilation off
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for row in rows:
        record = Current(*row)
        if record.rank_id in groups.moved:  # today's group is not the group of every date
            record = replace(
                record, group_id=groups.group_id(record.rank_id, record.effective_date)
            )
        current[record.staff_id] = record
    return current


MARGIN = datetime.timedelta(days=3)  # SQL's month arithmetic may differ from add_months by days


def _due_filter(
    kind: str, window, scales, moved, *, retiring_year: int | None = None
) -> tuple[str, str, tuple[list, list]]:
    """A join of the salary scales (``g``) and the SQL condition (on ``c`` the person's latest
    decision, ``k`` its rank) keeping whoever may be on list ``kind`` for
    ``window``, with their parameters (join, condition): their next raise without any delay
    (plain date arithmetic, as ``_plain_due_outside``, which still decides each row kept)
    falls in the window; or before it, for those with something on record that may delay a
    raise (delays never bring it forward: a raise plainly due after the window stays out).
    Ranks whose group moved, and groups unknown here, are kept for Python to decide.
    With ``retiring_year`` (the early list), the window of whoever cannot retire that year
    (born outside its 50 to 70 years before, or born on no known date) starts on its
    31 December, as in ``_due_list``."""
    first, last = window
    lower, lower_params = "%s", [first - MARGIN]
    if retiring_year is not None:
        lower = (
            "(CASE WHEN EXTRACT(YEAR FROM c.date_of_birth) BETWEEN %s AND %s THEN %s ELSE %s END)"
        )
        year_end = datetime.date(retiring_year, 12, 31)
        lower_params = [retiring_year - 70, retiring_year - 50, first - MARGIN, year_end - MARGIN]
    values = ", ".join(["(%s, %s, %s, %s)"] * len(scales))
    join_params: list = []
    for scale in scales.values():
        join_params += [
            scale.id, scale.last_step, scale.raise_interval_months,
            scale.beyond_scale_wait_months,
        ]  # fmt: skip
    join = f"LEFT JOIN (VALUES {values}) AS g(id, last_step, interval, wait) ON g.id = k.group_id"
    if kind == "regular":
        on_list = "c.step < g.last_step"
        due = "(c.step_since + make_interval(months => g.interval))::date"
    else:
        on_list = "c.step >= g.last_step"
        due = (
            "(CASE WHEN c.beyond_scale_percent > 0"
            " THEN COALESCE(c.beyond_scale_since, c.effective_date) + interval '12 months'"
            " ELSE c.step_since + make_interval(months => g.wait) END)::date"
        )
    may_delay, may_delay_params = _may_delay_sql()
    where = (
        f"g.id IS NULL OR c.rank_id = ANY(%s)"
        f" OR ({on_list} AND {due} <= %s AND ({due} >= {lower} OR {may_delay}))"
    )
    where_params = [list(moved), last + MARGIN, *lower_params, *may_delay_params]
    return join, where, (join_params, where_params)


def _may_delay_sql() -> tuple[str, list]:
    """Whether the person ``c.staff_id`` has anything on record that ``_facts`` reads (a
    discipline, a rating that does not count, unpaid leave, a period that does not count).

    The ratings are named by the levels that do not count (ids, read now): the level's index
    then finds the few such ratings of a province, where a join with the levels read all of
    them (400,000 at 100,000 staff, 60 ms)."""
    failing = list(
        RatingLevel.objects.filter(counts_as_completed=False).values_list("pk", flat=True)
    )
    sql = f"""(
        EXISTS (SELECT 1 FROM {Discipline._meta.db_table} d WHERE d.staff_id = c.staff_id)
        OR c.staff_id IN (SELECT a.staff_id FROM {AnnualRating._meta.db_table} a
                          WHERE a.level_id = ANY(%s::bigint[]))
        OR EXISTS (SELECT 1 FROM {Movement._meta.db_table} m
                   WHERE m.staff_id = c.staff_id AND m.kind = ANY(%s))
        OR EXISTS (SELECT 1 FROM {NonCountingPeriod._meta.db_table} n WHERE n.staff_id = c.staff_id)
    )"""
    return sql, [_array(failing), [Movement.Kind.UNPAID_LEAVE, Movement.Kind.RETURN]]


def _due(record: Current, scale: GroupScale, facts: StaffFacts, failed_months: int):
    """(list, proposed percent, RaiseDue) for the person's next raise."""
    failed_years = [year for year, _months in facts.failed_years]
    months = max((months for _year, months in facts.failed_years), default=failed_months)
    # translated only when needed: most people have no failed year (province-wide lists)
    rating_reason = _("rated “did not complete duties” in {year}") if failed_years else ""
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
        percent_since=_percent_since(record),
        wait_months=scale.beyond_scale_wait_months,
        discipline_delays=facts.disciplines,
        failed_rating_years=failed_years,
        failed_rating_delay_months=months,
        non_counting=facts.non_counting,
        rating_reason=rating_reason,
    )
    return "beyond", percent, due


def _percent_since(record: Current) -> datetime.date | None:
    """When the current beyond-scale percentage was granted (docs/rules.md §4.4); a record
    written before that date was kept falls back to its effective date."""
    if not record.beyond_scale_percent:
        return None
    return record.beyond_scale_since or record.effective_date


def scoped_staff(*, user, unit: OrgUnit | None):
    """Working staff in ``unit``'s subtree that ``user`` may see."""
    staff = permissions.visible_staff(user).filter(status=Staff.Status.ACTIVE)
    if unit is not None:
        staff = staff.in_subtree(unit)
    return staff


def due_list(
    *,
    staff,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    failed_rating_delay_months: int = 6,
) -> DueList:
    """The due list ``kind`` for the given staff queryset and date range (inclusive).

    ``early`` uses the year of ``start``: staff lacking at most 12 months of their interval at
    31 December of that year, whose last step raise in the same rank was not early, with no
    discipline that year and no failed rating the year before; each row shows the payroll
    unit the quota is counted on and the quota (10% of the working staff on that payroll
    list); staff about to retire who lack at most 12 months are listed outside the quota.

    Who is on the list, and in which order, is decided here; each row is written out (names,
    reasons, quota) when it is read (``DueList``).
    """
    if kind not in LISTS:
        raise ValueError(kind)
    # every query of a province's list: see ``without_jit``; the sort of the people by unit
    # and name (``_current``) fits in 64 MB
    with without_jit(sort_memory_mb=64):
        return _due_list(
            staff=staff, kind=kind, start=start, end=end,
            failed_rating_delay_months=failed_rating_delay_months,
        )  # fmt: skip


@dataclass(slots=True)
class _Entry:
    """One person on a list before the row is written out: what orders it and what the row
    will say (a province-wide list holds tens of thousands; a page shows 200)."""

    order: tuple  # (due or retirement date, position in the order of unit and name)
    staff_id: int
    born: datetime.date | None
    record: Current | None
    list_kind: str = ""  # "regular" or "beyond": the raise proposed (none on "retirement")
    percent: Decimal = Decimal(0)
    due: progression.RaiseDue | None = None
    retires_on: datetime.date | None = None

    @property
    def outside_quota(self) -> bool:
        """An early raise before retirement: outside the unit's quota (docs/rules.md §4.6)."""
        return self.list_kind == "regular" and self.retires_on is not None


WRITE_OUT_CHUNK = 1000  # rows written out per names query when a whole list is read
# Tests set it to run the full rules for people with nothing that delays a raise too, and
# compare: the plain date must be the rules' date.
_RULES_FOR_EVERYONE = False


class DueList(Sequence):
    """A due list in its order (due date, unit name, name; retirements by date and name).

    Reading a row writes it out: names and unit from one query per chunk, the reasons in the
    active language, and on the early list the payroll unit and its quota. ``len()`` and
    ``due_dates()`` write nothing out, so a page of 200 rows of a province-wide list costs
    200 rows, not 20,000; reading every row (the export) costs the whole list."""

    def __init__(self, kind: str, entries: list[_Entry], scales: dict[int, GroupScale]):
        self.kind = kind
        self._entries = entries
        self._scales = scales
        self._headcounts: dict[int, int] = {}  # payroll unit id → working staff, read once

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._write_out(self._entries[index])
        return self._write_out([self._entries[index]])[0]

    def __iter__(self):
        for first in range(0, len(self._entries), WRITE_OUT_CHUNK):
            yield from self._write_out(self._entries[first : first + WRITE_OUT_CHUNK])

    def __repr__(self) -> str:
        return f"<DueList {self.kind}: {len(self)} rows>"

    def __eq__(self, other) -> bool:  # as the list of its rows (every row written out)
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None

    def staff_ids(self) -> list[int]:
        """The people on the list, in its order (nothing written out)."""
        return [entry.staff_id for entry in self._entries]

    def due_dates(self) -> list[datetime.date | None]:
        """Each row's due date (retirement date on the retirement list), in the list's order."""
        return [entry.order[0] for entry in self._entries]

    def only(self, staff_ids) -> list[DueRow]:
        """The rows of ``staff_ids`` only, in the list's order."""
        wanted = set(staff_ids)
        return self._write_out([entry for entry in self._entries if entry.staff_id in wanted])

    def _write_out(self, entries: list[_Entry]) -> list[DueRow]:
        if not entries:
            return []
        details = _details([entry.staff_id for entry in entries])
        rows = []
        for entry in entries:
            full_name, staff_number, unit_id, unit_name = details[entry.staff_id]
            row = DueRow(
                self.kind, entry.staff_id, full_name, staff_number, unit_id, unit_name, entry.born
            )
            record = entry.record
            if self.kind == "retirement":
                row.retires_on = entry.retires_on
                _describe_current(row, record)
            else:
                _describe_current(row, record)
                scale = self._scales[record.group_id]
                if entry.due is None:  # nothing delays the raise: the rules' plain date
                    entry.list_kind, entry.percent, entry.due = _due(record, scale, NO_FACTS, 6)
                _describe_due(row, record, scale, entry.list_kind, entry.percent, entry.due)
                if entry.outside_quota:
                    row.retires_on = entry.retires_on
                    row.outside_quota = True
                    row.notes.append(
                        _("retires on %(date)s: raise 12 months early, outside the quota")
                        % {"date": entry.retires_on.strftime("%d/%m/%Y")}
                    )
            rows.append(row)
        if self.kind == "early":
            _add_quotas(rows, self._headcounts)
        return rows


def _due_list(*, staff, kind, start, end, failed_rating_delay_months) -> DueList:
    scales = group_scales()
    if kind == "retirement":
        return DueList(kind, _retirement_entries(staff, start, end), scales)
    window = _window(kind, start, end)
    # nobody without an approved decision can be due a raise
    records = _current(
        staff, window=window, kind="regular" if kind == "early" else kind, scales=scales,
        retiring_year=start.year if kind == "early" else None,
    )  # fmt: skip
    facts = _facts(list(records))
    schedules = retirement_schedules() if kind == "early" else {}
    year_end = datetime.date(start.year, 12, 31)
    entries = []
    list_kind = "regular" if kind == "early" else kind
    for position, record in enumerate(records.values()):
        scale = scales[record.group_id]
        plain = _plain_due(record, scale, list_kind)
        if plain is None:
            continue  # the next raise is of the other list
        person_facts = facts.get(record.staff_id)
        born = record.date_of_birth
        may_retire = kind == "early" and _may_retire_this_year(born, start)
        first, last = (year_end, window[1]) if kind == "early" and not may_retire else window
        if person_facts is None:
            if not first <= plain <= last:
                continue  # nothing on record delays the raise: the plain date decides
            if not _RULES_FOR_EVERYONE and (
                kind != "early" or (not may_retire and plain > year_end)
            ):
                # On the list: without delays the rules give the plain date (and an early
                # raise is open to whoever is due within 12 months after 31 December); the
                # rules write the row out when it is read.
                entries.append(_Entry((plain, position), record.staff_id, born, record, list_kind))
                continue
        elif plain > last:
            continue  # delays never bring a raise forward
        entry = _evaluate(
            kind, record, scale, person_facts or NO_FACTS, failed_rating_delay_months,
            start=start, end=end, schedules=schedules,
        )  # fmt: skip
        if entry is not None:
            entry.order = (entry.due.date, position)
            entries.append(entry)
    if kind == "early":
        entries = _not_twice_in_a_row(entries)
    entries.sort(key=_order)
    return DueList(kind, entries, scales)


def _order(entry: _Entry) -> tuple:
    return entry.order


def _retirement_entries(staff, start, end) -> list[_Entry]:
    """Who reaches the retirement age between ``start`` and ``end``, by date then name."""
    # Nobody retires younger than 50 or older than 70: narrow by date of birth first.
    staff = staff.filter(
        date_of_birth__gt=progression.add_months(start, -70 * 12),
        date_of_birth__lte=progression.add_months(end, -50 * 12),
    )
    schedules = retirement_schedules()
    retiring = []
    for staff_id, born, sex, full_name in staff.values_list(
        "id", "date_of_birth", "sex", "full_name"
    ):
        retires_on = _retires_on(born, sex, schedules)
        if retires_on and start <= retires_on <= end:
            retiring.append((retires_on, full_name, staff_id, born))
    retiring.sort()
    records = _current([staff_id for _date, _name, staff_id, _born in retiring])
    return [
        _Entry((retires_on, position), staff_id, born, records.get(staff_id),
               retires_on=retires_on)
        for position, (retires_on, _name, staff_id, born) in enumerate(retiring)
    ]  # fmt: skip


def next_raise(*, staff: Staff, failed_rating_delay_months: int = 6) -> DueRow | None:
    """The person's next step raise or beyond-scale step, with its reasons, from their latest
    approved decision (None without one). The same rules as the due lists, for one person."""
    record = _current([staff.pk]).get(staff.pk)
    if record is None:
        return None
    scale = group_scales()[record.group_id]
    facts = _facts([staff.pk]).get(staff.pk) or StaffFacts()
    list_kind, percent, due = _due(record, scale, facts, failed_rating_delay_months)
    row = DueRow(list_kind, staff.pk, staff.full_name, staff.staff_number, staff.unit_id, "",
                 staff.date_of_birth)  # fmt: skip
    _describe_current(row, record)
    _describe_due(row, record, scale, list_kind, percent, due)
    return row


def retirement_date_of(staff: Staff) -> datetime.date | None:
    """When the person reaches the retirement age (NĐ 135/2020; docs/rules.md §4)."""
    return _retires_on(staff.date_of_birth, staff.sex, retirement_schedules())


def _retires_on(born, sex, schedules) -> datetime.date | None:
    if born is None or not schedules.get(sex):
        return None
    return progression.retirement_date(born=born, schedule=schedules[sex])


def retirement_date_of_birth(born, sex, schedules) -> datetime.date | None:
    """The retirement date of someone born on ``born`` of ``sex`` (``retirement_schedules()``)."""
    return _retires_on(born, sex, schedules)


def _window(
    kind: str, start: datetime.date, end: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The dates a next raise must fall in for the person to be on the list."""
    if kind == "early":
        # achievement: due in (31/12, 31/12 + 12 months]; retirement: due after retiring
        # this year and at most 12 months later
        return start, progression.add_months(datetime.date(start.year, 12, 31), 12)
    return start, end


def _evaluate(kind, record, scale, facts, failed_months, *, start, end, schedules):
    """The person's entry on list ``kind``, or None when they are not on it (decided before
    any row is written out: a province-wide list looks at tens of thousands of people)."""
    list_kind, percent, due = _due(record, scale, facts, failed_months)
    retires_on = None
    if due.date is None:
        return None  # a period that does not count is still running: not due
    if kind in ("regular", "beyond"):
        if list_kind != kind or not start <= due.date <= end:
            return None
    elif list_kind != "regular":
        return None  # early raises apply to step raises only
    else:
        born = record.date_of_birth
        if _may_retire_this_year(born, start):
            retires_on = _retires_on(born, record.sex, schedules)
        against = {
            "discipline_dates": facts.discipline_dates,
            "failed_rating_years": facts.failed_rating_years,
        }
        retiring = (
            retires_on is not None
            and start <= retires_on <= datetime.date(start.year, 12, 31)
            and progression.retirement_early_raise_eligible(
                due=due.date, retires_on=retires_on, **against
            )
        )
        if not retiring:
            retires_on = None
            # "not twice in a row" needs the last raise, read for the few kept (see
            # _not_twice_in_a_row)
            if not progression.early_raise_eligible(
                due=due.date, year=start.year, previous_raise_was_early_in_same_rank=False,
                **against,
            ):  # fmt: skip
                return None
    return _Entry((), record.staff_id, record.date_of_birth, record, list_kind, percent, due,
                  retires_on)  # fmt: skip


def _describe_due(row: DueRow, record: Current, scale, list_kind: str, percent, due) -> None:
    """The proposal and its reasons: the next step, or the next beyond-scale percentage."""
    row.due_date, row.interval_months = due.date, due.interval_months
    row.delays = [(delay.reason, delay.months, delay.days) for delay in due.delays]
    if due.open_period is not None:
        row.notes.append(
            _("not counting while this lasts: %(reason)s") % {"reason": due.open_period.reason}
        )
    if list_kind == "regular":
        row.proposed_step = record.step + 1
        row.proposed_coefficient = scale.coefficient(record.step + 1)
    else:
        row.interval_months = (
            scale.beyond_scale_wait_months if not record.beyond_scale_percent else 12
        )
        row.proposed_step, row.proposed_coefficient = record.step, record.coefficient
        row.proposed_percent = percent


def _may_retire_this_year(born: datetime.date | None, start: datetime.date) -> bool:
    return born is not None and start.year - 70 <= born.year <= start.year - 50


def _details(staff_ids: list[int]) -> dict[int, tuple]:
    """Name, number, unit id and unit name of each of ``staff_ids`` (one query)."""
    # One array parameter rather than an IN list of thousands of values.
    details = (
        Staff.objects.alias(
            wanted=RawSQL(
                '"personnel_staff"."id" = ANY(%s::bigint[])',
                (_array(staff_ids),),
                output_field=BooleanField(),
            )
        )
        .filter(wanted=True)
        .values_list("pk", "full_name", "staff_number", "unit_id", "unit__name")
    )
    return {pk: tuple(rest) for pk, *rest in details}


RAISE_KINDS = (
    SalaryRecord.Kind.REGULAR_RAISE,
    SalaryRecord.Kind.EARLY_RAISE,
    SalaryRecord.Kind.RETIREMENT_EARLY_RAISE,
)


def _not_twice_in_a_row(entries: list[_Entry]) -> list[_Entry]:
    """Drop achievement candidates whose last step raise, in the rank they hold, was early:
    the last raise, not the last decision (an allowance change in between changes nothing;
    docs/rules.md §4.6). The latest decision answers when it is a raise (or the first
    placement); the others are read in one query."""
    early_in_rank: dict[int, int] = {}
    unknown = []
    for entry in entries:
        record = entry.record
        if entry.outside_quota or record.kind == SalaryRecord.Kind.INITIAL:
            continue
        if record.kind in RAISE_KINDS:
            if record.kind == SalaryRecord.Kind.EARLY_RAISE:
                early_in_rank[entry.staff_id] = record.rank_id
        else:
            unknown.append(entry.staff_id)
    if unknown:
        last_raises = (
            SalaryRecord.objects.filter(
                status=SalaryRecord.Status.APPROVED, kind__in=RAISE_KINDS
            )
            .alias(
                wanted=RawSQL('"payroll_salaryrecord"."staff_id" = ANY(%s::bigint[])',
                              (_array(unknown),), output_field=BooleanField())
            )
            .filter(wanted=True)
            .order_by("staff_id", "-effective_date", "-id")
            .distinct("staff_id")
            .values_list("staff_id", "kind", "rank_id")
        )  # fmt: skip
        for staff_id, kind, rank_id in last_raises:
            if kind == SalaryRecord.Kind.EARLY_RAISE:
                early_in_rank[staff_id] = rank_id
    return [
        entry
        for entry in entries
        if entry.outside_quota or early_in_rank.get(entry.staff_id) != entry.record.rank_id
    ]


def _add_quotas(rows: list[DueRow], headcounts: dict[int, int]) -> None:
    """The payroll unit each candidate's quota is counted on, and its quota: 10% of the
    working staff on that payroll list (docs/rules.md §4.6). Three queries at most; the head
    counts already in ``headcounts`` (payroll unit id → count) are not read again."""
    units = payroll_units({row.unit_id for row in rows})
    missing = {unit.pk: unit for unit in units.values() if unit.pk not in headcounts}
    headcounts.update(payroll_headcounts(missing.values()))
    note = _("quota of the payroll list of %(unit)s: %(quota)s")  # translated once, not per row
    for row in rows:
        unit = units[row.unit_id]
        row.payroll_unit_id, row.payroll_unit_name = unit.pk, unit.name
        if row.outside_quota:
            continue
        row.quota = progression.early_raise_quota(
            headcounts.get(unit.pk, 0), EARLY_RAISE_QUOTA_PERCENT
        )
        row.notes.append(note % {"unit": unit.name, "quota": row.quota})


def _plain_due(record: Current, scale: GroupScale, kind: str) -> datetime.date | None:
    """The next raise of list ``kind`` ("regular" or "beyond") without any delay, by plain
    date arithmetic; None when the person's next raise is of the other list. The rules
    (``progression.regular_raise_due``, ``beyond_scale_next``) give this date when nothing
    delays the raise; with delays they give a later one, never an earlier one."""
    on_last_step = record.step >= scale.last_step
    if (kind == "beyond") != on_last_step:
        return None
    if not on_last_step:
        return progression.add_months(record.step_since, scale.raise_interval_months)
    if record.beyond_scale_percent:
        return progression.add_months(_percent_since(record), 12)
    return progression.add_months(record.step_since, scale.beyond_scale_wait_months)


def _describe_current(row: DueRow, record: Current | None) -> None:
    if record is None:
        return
    row.rank_id = record.rank_id
    row.rank_code, row.rank_name = record.rank_code, record.rank_name
    row.step, row.coefficient = record.step, record.coefficient
    row.step_since = record.step_since
    row.beyond_scale_percent = record.beyond_scale_percent
