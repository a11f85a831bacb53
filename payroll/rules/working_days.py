"""Working days of a payroll month and the proration of a part month.

Pure functions: no database. Working days are Monday to Friday less the public holidays and
days off in lieu, which the caller passes in as a set of dates (reference data). Rules:
docs/rules.md §7.2–§7.3.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from decimal import Decimal

from hrms.lib.money import round_vnd

ZERO = Decimal(0)
_ONE_DAY = datetime.timedelta(days=1)


def month_working_days(
    year: int, month: int, holidays: frozenset[datetime.date] | set[datetime.date] = frozenset()
) -> tuple[datetime.date, ...]:
    """The working days of a month in order: Monday–Friday not in ``holidays`` (QĐ 188/1999/QĐ-TTg;
    Bộ luật Lao động 2019 Điều 112; docs/rules.md §7.2)."""
    last = calendar.monthrange(year, month)[1]
    first_weekday = datetime.date(year, month, 1).weekday()
    return tuple(
        datetime.date(year, month, day)
        for day in range(1, last + 1)
        if (first_weekday + day - 1) % 7 < 5 and datetime.date(year, month, day) not in holidays
    )


def working_days(
    year: int, month: int, holidays: frozenset[datetime.date] | set[datetime.date] = frozenset()
) -> int:
    """How many working days a month has (docs/rules.md §7.2)."""
    return len(month_working_days(year, month, holidays))


def working_days_between(
    start: datetime.date,
    end: datetime.date,
    holidays: frozenset[datetime.date] | set[datetime.date] = frozenset(),
) -> int:
    """Working days from ``start`` to ``end``, both included (docs/rules.md §7.2)."""
    count, day = 0, start
    while day <= end:
        if day.weekday() < 5 and day not in holidays:
            count += 1
        day += _ONE_DAY
    return count


def unpaid_working_days(
    *,
    year: int,
    month: int,
    holidays: frozenset[datetime.date] | set[datetime.date] = frozenset(),
    employed_from: datetime.date | None = None,
    employed_to: datetime.date | None = None,
    unpaid_periods: Iterable[tuple[datetime.date, datetime.date]] = (),
) -> int:
    """Working days of the month without pay: before ``employed_from``, after ``employed_to``
    and inside any unpaid period (inclusive ranges; overlaps count once) (docs/rules.md §7.3)."""
    periods = tuple(unpaid_periods)
    unpaid = 0
    for day in month_working_days(year, month, holidays):
        if (
            (employed_from is not None and day < employed_from)
            or (employed_to is not None and day > employed_to)
            or any(start <= day <= end for start, end in periods)
        ):
            unpaid += 1
    return unpaid


def prorate(*, amount: Decimal, paid_days: int, working_days: int) -> Decimal:
    """A month's line for a part month: amount × paid working days ÷ the month's working days,
    rounded to the đồng (docs/rules.md §7.3)."""
    if paid_days >= working_days:
        return amount
    if paid_days <= 0:
        return ZERO
    return round_vnd(amount * paid_days / working_days)
