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

_sources: list[Source] = []


def register_unpaid_periods_source(source: Source) -> None:
    """Called once by an app that records periods without pay (insurance)."""
    if source not in _sources:
        _sources.append(source)


def unpaid_periods(staff_ids, start: datetime.date, end: datetime.date) -> dict[int, list[Period]]:
    """Every registered source's periods overlapping ``start``–``end``, by person."""
    found: dict[int, list[Period]] = {}
    for source in _sources:
        for staff_id, periods in source(staff_ids, start, end).items():
            found.setdefault(staff_id, []).extend(periods)
    return found
