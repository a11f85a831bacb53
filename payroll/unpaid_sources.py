"""Periods a unit pays no salary for that payroll itself does not record.

Leave without pay comes from personnel's movements; maternity leave and long sick leave paid by
the social-insurance fund are recorded by the insurance app, which sits above payroll. Payroll
defines this slot and insurance fills it at start-up (``InsuranceConfig.ready``), so payroll
never imports insurance: those working days are unpaid by the unit, and a month with 14 of them
owes no social insurance (docs/rules.md §5.5, §7.3).
"""

import datetime
from collections.abc import Callable, Iterable

Period = tuple[datetime.date, datetime.date]
Source = Callable[[Iterable[int], datetime.date, datetime.date], dict[int, list[Period]]]
# staff ids → when each person's periods were last recorded or changed (no entry: never)
ChangedAt = Callable[[Iterable[int]], dict[int, datetime.datetime]]

_sources: list[Source] = []
_changed_at: list[ChangedAt] = []


def register_unpaid_periods_source(source: Source, *, changed_at: ChangedAt | None = None) -> None:
    """Called once by an app that records periods without pay (insurance). ``changed_at``
    tells when a person's periods last changed: a locked month computed before that is
    checked again for arrears (docs/rules.md §7.5)."""
    if source not in _sources:
        _sources.append(source)
    if changed_at is not None and changed_at not in _changed_at:
        _changed_at.append(changed_at)


def unpaid_periods_changed_at(staff_ids) -> dict[int, datetime.datetime]:
    """When each person's periods without pay were last recorded or changed, every source
    taken together (the latest)."""
    latest: dict[int, datetime.datetime] = {}
    for changed_at in _changed_at:
        for staff_id, moment in changed_at(staff_ids).items():
            if staff_id not in latest or moment > latest[staff_id]:
                latest[staff_id] = moment
    return latest


def unpaid_periods(staff_ids, start: datetime.date, end: datetime.date) -> dict[int, list[Period]]:
    """Every registered source's periods overlapping ``start``–``end``, by person."""
    found: dict[int, list[Period]] = {}
    for source in _sources:
        for staff_id, periods in source(staff_ids, start, end).items():
            found.setdefault(staff_id, []).extend(periods)
    return found
