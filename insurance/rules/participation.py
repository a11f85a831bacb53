"""Participation in compulsory insurance: the spells a person contributes through a unit, and
the months each spell covers.

Pure functions: no database. The dossier's dates come in as plain events (recruitment, transfers,
leave without pay and return, absences a clerk recorded such as maternity leave, leaving the
service); the months follow the 14-day rule at the edges of a spell and the payroll's rule that
a transfer takes effect the month after it (the unit on a month's first day pays for it).
Rules: docs/rules.md §5.9–§5.10.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from payroll.rules.working_days import month_working_days

_DAY = datetime.timedelta(days=1)
Month = int  # year × 100 + month, e.g. 202607


class Reason(StrEnum):
    """Why a spell starts or stops (docs/rules.md §5.9)."""

    RECRUITMENT = "recruitment"
    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    UNPAID_LEAVE = "unpaid_leave"
    RETURN = "return"
    MATERNITY = "maternity"
    SICK_LEAVE = "sick_leave"
    OTHER_ABSENCE = "other_absence"
    RETIREMENT = "retirement"
    RESIGNATION = "resignation"
    DEATH = "death"


# Stops after which the person comes back to the same unit: a break, not a departure.
BREAKS = frozenset({Reason.UNPAID_LEAVE, Reason.MATERNITY, Reason.SICK_LEAVE, Reason.OTHER_ABSENCE})
LEAVING = {
    "retirement": Reason.RETIREMENT,
    "resignation": Reason.RESIGNATION,
    "death": Reason.DEATH,
}


class Kind(StrEnum):
    """What happened on an event's day."""

    TRANSFER = "transfer"
    UNPAID_LEAVE = "unpaid_leave"
    RETURN = "return"
    ABSENCE_START = "absence_start"
    ABSENCE_END = "absence_end"  # the first day back
    RETIREMENT = "retirement"
    RESIGNATION = "resignation"
    DEATH = "death"


# Same-day order: someone back from a break can be transferred or leave that day.
_ORDER = {
    Kind.ABSENCE_END: 0, Kind.RETURN: 1, Kind.TRANSFER: 2, Kind.UNPAID_LEAVE: 3,
    Kind.ABSENCE_START: 4, Kind.RETIREMENT: 5, Kind.RESIGNATION: 5, Kind.DEATH: 5,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Event:
    """A dated change from the dossier: ``unit_id`` is the new unit of a transfer, ``reason``
    the kind of a recorded absence (maternity, sick leave, other)."""

    day: datetime.date
    kind: Kind
    unit_id: int | None = None
    reason: Reason | None = None


@dataclass(frozen=True, slots=True)
class Spell:
    """Contributing through one unit from ``start`` to ``stop`` (both included; None: not
    known, or still running), and the months covered (None: without limit on that side)."""

    unit_id: int
    start: datetime.date | None
    start_reason: Reason
    stop: datetime.date | None = None
    stop_reason: Reason | None = None
    first_month: Month | None = None
    last_month: Month | None = None

    def covers(self, month: Month) -> bool:
        """Whether the spell covers ``month``."""
        return (self.first_month is None or self.first_month <= month) and (
            self.last_month is None or month <= self.last_month
        )

    @property
    def covers_any_month(self) -> bool:
        return (
            self.first_month is None
            or self.last_month is None
            or (self.first_month <= self.last_month)
        )


def month_of(day: datetime.date) -> Month:
    return day.year * 100 + day.month


def next_month(month: Month) -> Month:
    year, number = divmod(month, 100)
    return (year + 1) * 100 + 1 if number == 12 else month + 1


def previous_month(month: Month) -> Month:
    year, number = divmod(month, 100)
    return (year - 1) * 100 + 12 if number == 1 else month - 1


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last``, both included."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def spells(
    *, first_unit_id: int, recruited: datetime.date | None, events: Iterable[Event]
) -> list[Spell]:
    """The spells of one person from recruitment through every event, in order, before the
    months are worked out: a transfer ends a spell in one unit and starts one in the next; leave
    without pay and recorded absences stop contributing until the return; leaving the service
    ends it (docs/rules.md §5.9)."""
    result: list[Spell] = []
    unit = first_unit_id
    current: Spell | None = Spell(unit, recruited, Reason.RECRUITMENT)
    open_breaks = 0
    for event in sorted(events, key=lambda e: (e.day, _ORDER[e.kind])):
        kind = event.kind
        if kind == Kind.TRANSFER:
            if event.unit_id is None or event.unit_id == unit:
                continue
            unit = event.unit_id
            if current is not None:
                result.append(replace(current, stop=event.day - _DAY,
                                      stop_reason=Reason.TRANSFER_OUT))  # fmt: skip
                current = Spell(unit, event.day, Reason.TRANSFER_IN)
        elif kind in (Kind.UNPAID_LEAVE, Kind.ABSENCE_START):
            reason = Reason.UNPAID_LEAVE if kind == Kind.UNPAID_LEAVE else event.reason
            if current is not None:
                result.append(replace(current, stop=event.day - _DAY, stop_reason=reason))
                current = None
            open_breaks += 1
        elif kind in (Kind.RETURN, Kind.ABSENCE_END):
            open_breaks = max(open_breaks - 1, 0)
            if open_breaks == 0 and current is None:
                current = Spell(unit, event.day, Reason.RETURN)
        else:  # leaving the service: nothing follows
            if current is not None:
                result.append(replace(current, stop=event.day - _DAY,
                                      stop_reason=LEAVING[kind]))  # fmt: skip
            current = None
            break
    if current is not None:
        result.append(current)
    return result


def unpaid_days_before(day: datetime.date, holidays: frozenset[datetime.date]) -> int:
    """Working days of ``day``'s month before ``day``."""
    return sum(1 for d in month_working_days(day.year, day.month, holidays) if d < day)


def unpaid_days_after(day: datetime.date, holidays: frozenset[datetime.date]) -> int:
    """Working days of ``day``'s month after ``day``."""
    return sum(1 for d in month_working_days(day.year, day.month, holidays) if d > day)


def first_month(
    *, start: datetime.date | None, reason: Reason, holidays: frozenset[datetime.date],
    threshold_days: int,
) -> Month | None:  # fmt: skip
    """The first month a spell covers: a transfer counts from the month after it unless it
    takes effect on the 1st; otherwise the month of the start unless the working days before
    it reach the threshold (14) (docs/rules.md §5.10)."""
    if start is None:
        return None
    month = month_of(start)
    if reason == Reason.TRANSFER_IN:
        return month if start.day == 1 else next_month(month)
    if unpaid_days_before(start, holidays) >= threshold_days:
        return next_month(month)
    return month


def last_month(
    *, stop: datetime.date | None, reason: Reason | None, holidays: frozenset[datetime.date],
    threshold_days: int,
) -> Month | None:  # fmt: skip
    """The last month a spell covers: the old unit keeps the month of a transfer; otherwise the
    month of the stop unless the working days after it reach the threshold (docs/rules.md
    §5.10)."""
    if stop is None:
        return None
    month = month_of(stop)
    if reason == Reason.TRANSFER_OUT:
        return month
    if unpaid_days_after(stop, holidays) >= threshold_days:
        return previous_month(month)
    return month


def with_months(
    found: list[Spell], *, holidays: frozenset[datetime.date], threshold_days: int
) -> list[Spell]:
    """The spells with the months they cover; a break that leaves no month uncovered (a few
    days of leave) does not split the spell (docs/rules.md §5.10)."""
    result: list[Spell] = []
    for spell in found:
        spell = replace(
            spell,
            first_month=first_month(start=spell.start, reason=spell.start_reason,
                                    holidays=holidays, threshold_days=threshold_days),
            last_month=last_month(stop=spell.stop, reason=spell.stop_reason,
                                  holidays=holidays, threshold_days=threshold_days),
        )  # fmt: skip
        if result:
            before = result[-1]
            if (
                before.stop_reason in BREAKS
                and before.unit_id == spell.unit_id
                and before.last_month is not None
                and spell.first_month is not None
                and spell.first_month <= next_month(before.last_month)
            ):
                result[-1] = replace(
                    before,
                    stop=spell.stop,
                    stop_reason=spell.stop_reason,
                    last_month=spell.last_month,
                )
                continue
        result.append(spell)
    return result


def participation(
    *,
    first_unit_id: int,
    recruited: datetime.date | None,
    events: Iterable[Event],
    holidays: frozenset[datetime.date],
    threshold_days: int,
) -> list[Spell]:
    """A person's spells with the months they cover (docs/rules.md §5.9–§5.10)."""
    return with_months(
        spells(first_unit_id=first_unit_id, recruited=recruited, events=events),
        holidays=holidays,
        threshold_days=threshold_days,
    )


def spell_in(spells_: Iterable[Spell], month: Month) -> Spell | None:
    """The spell covering ``month`` (the latest one if two do)."""
    found = None
    for spell in spells_:
        if spell.covers(month):
            found = spell
    return found
