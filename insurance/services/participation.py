"""Rebuilding participation periods from the dossier (recruitment date, movements, status) and
the absences clerks recorded (docs/rules.md §5.9–§5.10).

The periods are derived data: nobody edits them; a rebuild recomputes them set-based (a handful
of queries whatever the number of people) and rewrites only the people whose periods changed,
so the history (django-pghistory) shows real changes. Personnel cannot call insurance (the layers
point one way), so a person whose dossier or movements changed since their last rebuild is
"stale" and the reports rebuild the stale people they need before reading
(``participation_refresh``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrms.lib.audit import audited
from hrms.lib.db import ids
from insurance.models import Absence, ParticipationPeriod
from insurance.rules import participation as rules
from payroll.models import Holiday, PayrollSetting
from payroll.selectors.month import in_force
from personnel.models import Movement, Staff

DEFAULT_THRESHOLD_DAYS = 14
BATCH = 5000
_STATUS_LEAVING = {
    Staff.Status.RETIRED: rules.Kind.RETIREMENT,
    Staff.Status.RESIGNED: rules.Kind.RESIGNATION,
    Staff.Status.DECEASED: rules.Kind.DEATH,
}
_MOVEMENT_KIND = {
    Movement.Kind.TRANSFER: rules.Kind.TRANSFER,
    Movement.Kind.UNPAID_LEAVE: rules.Kind.UNPAID_LEAVE,
    Movement.Kind.RETURN: rules.Kind.RETURN,
    Movement.Kind.RETIREMENT: rules.Kind.RETIREMENT,
    Movement.Kind.RESIGNATION: rules.Kind.RESIGNATION,
    Movement.Kind.DEATH: rules.Kind.DEATH,
}
_DAY = datetime.timedelta(days=1)


def threshold_days(on: datetime.date | None = None) -> int:
    """The 14-day threshold in force (payroll setting ``absence_threshold_days``)."""
    row = (
        in_force(PayrollSetting.objects.filter(key="absence_threshold_days"),
                 on or timezone.localdate())
        .order_by("-valid_from")
        .first()
    )  # fmt: skip
    return int(row.value) if row is not None else DEFAULT_THRESHOLD_DAYS


def derive_periods(staff_ids: list[int]) -> dict[int, list[rules.Spell]]:
    """Each person's spells with their months, from the dossier and the recorded absences
    (five queries for any number of people)."""
    holidays = frozenset(Holiday.objects.values_list("date", flat=True))
    threshold = threshold_days()
    events: dict[int, list[rules.Event]] = defaultdict(list)
    first_unit: dict[int, int] = {}
    kinds_seen: dict[int, set[str]] = defaultdict(set)
    for staff_id, kind, day, from_unit, to_unit in (
        Movement.objects.filter(staff_id__any=ids(staff_ids))
        .order_by("staff_id", "effective_date", "id")
        .values_list("staff_id", "kind", "effective_date", "from_unit_id", "to_unit_id")
    ):
        if kind not in _MOVEMENT_KIND:
            continue
        kinds_seen[staff_id].add(kind)
        if kind == Movement.Kind.TRANSFER and staff_id not in first_unit and from_unit:
            first_unit[staff_id] = from_unit
        events[staff_id].append(rules.Event(day, _MOVEMENT_KIND[kind], unit_id=to_unit))
    for staff_id, kind, start, end in Absence.objects.filter(
        staff_id__any=ids(staff_ids)
    ).values_list("staff_id", "kind", "start", "end"):
        reason = rules.Reason(kind)
        events[staff_id].append(rules.Event(start, rules.Kind.ABSENCE_START, reason=reason))
        if end is not None:
            events[staff_id].append(rules.Event(end + _DAY, rules.Kind.ABSENCE_END, reason=reason))
    result = {}
    for staff_id, unit_id, status, since, recruited in Staff.objects.filter(
        pk__any=ids(staff_ids)
    ).values_list("pk", "unit_id", "status", "status_since", "recruitment_date"):
        found = events[staff_id]
        # A status set without its movement (an imported record) still ends or pauses it.
        if since and status in _STATUS_LEAVING and not kinds_seen[staff_id] & set(_STATUS_LEAVING):
            found.append(rules.Event(since, _STATUS_LEAVING[status]))
        if (
            since
            and status == Staff.Status.LEAVE_WITHOUT_PAY
            and Movement.Kind.UNPAID_LEAVE not in kinds_seen[staff_id]
        ):
            found.append(rules.Event(since, rules.Kind.UNPAID_LEAVE))
        result[staff_id] = rules.participation(
            first_unit_id=first_unit.get(staff_id, unit_id),
            recruited=recruited,
            events=found,
            holidays=holidays,
            threshold_days=threshold,
        )
    return result


def _as_tuple(spell: rules.Spell) -> tuple:
    return (
        spell.unit_id, spell.start, str(spell.start_reason), spell.stop,
        str(spell.stop_reason or ""), spell.first_month, spell.last_month,
    )  # fmt: skip


def _fields(spell: rules.Spell) -> dict:
    return dict(zip(_PERIOD_COLUMNS, _as_tuple(spell), strict=True))


_PERIOD_COLUMNS = (
    "unit_id", "start", "start_reason", "stop", "stop_reason", "first_month", "last_month",
)  # fmt: skip


@transaction.atomic
def participation_rebuild(*, staff_ids: Iterable[int] | None = None, actor=None) -> int:
    """Rebuild the participation periods of these people (everyone when None) from the dossier
    and the recorded absences; only people whose periods changed are rewritten. Returns how
    many people changed."""
    people = (
        list(Staff.objects.values_list("pk", flat=True)) if staff_ids is None else list(staff_ids)
    )
    if not people:
        return 0
    derived = derive_periods(people)
    stored: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        ParticipationPeriod.objects.filter(staff_id__any=ids(people))
        .order_by("staff_id", "id")
        .values_list("staff_id", *_PERIOD_COLUMNS)
    ):
        stored[row[0]].append(tuple(row[1:]))
    changed = [
        staff_id
        for staff_id, spells in derived.items()
        if [_as_tuple(spell) for spell in spells] != stored.get(staff_id, [])
    ]
    now = timezone.now()
    with audited(actor, _("Participation periods rebuilt from the dossier")):
        for start in range(0, len(changed), BATCH):
            batch = changed[start : start + BATCH]
            ParticipationPeriod.objects.filter(staff_id__any=ids(batch)).delete()
            ParticipationPeriod.objects.bulk_create(
                [
                    ParticipationPeriod(staff_id=staff_id, **_fields(spell))
                    for staff_id in batch
                    for spell in derived[staff_id]
                ],
                batch_size=BATCH,
            )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(_BUILT_SQL, {"ids": ids(people).literal, "now": now})
    return len(changed)


_BUILT_SQL = """
INSERT INTO insurance_periodsbuilt (staff_id, built_at)
SELECT unnest(%(ids)s::bigint[]), %(now)s
ON CONFLICT (staff_id) DO UPDATE SET built_at = EXCLUDED.built_at
"""
_STALE_SQL = """
SELECT s.id FROM personnel_staff s
LEFT JOIN insurance_periodsbuilt b ON b.staff_id = s.id
WHERE {scope}
  AND (b.built_at IS NULL OR s.updated_at > b.built_at
       OR EXISTS (SELECT 1 FROM personnel_movement m
                  WHERE m.staff_id = s.id AND m.recorded_at > b.built_at))
"""
_IN_UNITS = """(s.unit_id = ANY(%(units)s::bigint[])
    OR EXISTS (SELECT 1 FROM insurance_participationperiod q
               WHERE q.staff_id = s.id AND q.unit_id = ANY(%(units)s::bigint[]))
    OR EXISTS (SELECT 1 FROM personnel_movement t
               WHERE t.staff_id = s.id AND t.from_unit_id = ANY(%(units)s::bigint[])))"""


def stale_staff(
    *, unit_ids: Iterable[int] | None = None, staff_ids: Iterable[int] | None = None
) -> list[int]:
    """People whose dossier or movements changed since their periods were last rebuilt, or
    never built: those working in ``unit_ids`` now, before a movement, or in a period there;
    or ``staff_ids``; or everyone."""
    if staff_ids is not None:
        scope, params = "s.id = ANY(%(ids)s::bigint[])", {"ids": ids(staff_ids).literal}
    elif unit_ids is not None:
        scope, params = _IN_UNITS, {"units": ids(unit_ids).literal}
    else:
        scope, params = "TRUE", {}
    with connection.cursor() as cursor:
        cursor.execute(_STALE_SQL.format(scope=scope), params)
        return [row[0] for row in cursor.fetchall()]


def participation_refresh(
    *, unit_ids: Iterable[int] | None = None, staff_ids: Iterable[int] | None = None, actor=None
) -> int:
    """Rebuild the periods of the stale people (see ``stale_staff``) before a report reads
    them; returns how many people's periods changed."""
    stale = stale_staff(unit_ids=unit_ids, staff_ids=staff_ids)
    if not stale:
        return 0
    return participation_rebuild(staff_ids=stale, actor=actor)
