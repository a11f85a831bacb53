"""Step raises, beyond-scale seniority, promotion placement, early raises and retirement dates.

Pure functions: no database, ``Decimal`` and ``datetime.date`` in and out, every legal parameter
passed in. Legal basis: TT 08/2013/TT-BNV and TT 04/2005/TT-BNV, both amended by
TT 03/2021/TT-BNV (raises, delays, beyond-scale seniority, early raises); NĐ 204/2004/NĐ-CP
(scales); NĐ 135/2020/NĐ-CP (retirement age). docs/rules.md §4.
"""

from __future__ import annotations

import calendar
import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0")


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    # calendar.monthrange also works out the weekday: too slow for a province's due lists
    return 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month - 1]


@functools.lru_cache(maxsize=1 << 16)  # a province's lists ask for the same dates again and again
def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole months, kept to the month's last day when it is shorter
    (docs/rules.md §4.8)."""
    year, month = divmod(day.year * 12 + (day.month - 1) + months, 12)
    month += 1
    if day.day <= 28:
        return datetime.date(year, month, day.day)
    return datetime.date(year, month, min(day.day, _days_in_month(year, month)))


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day and not _is_month_end(end):
        months -= 1
    return months


def _is_month_end(day: datetime.date) -> bool:
    return day.day == _days_in_month(day.year, day.month)


@dataclass(frozen=True)
class Delay:
    """Something that postpones a raise: a discipline, a failed year, a period not counted."""

    reason: str
    months: int = 0
    days: int = 0


@dataclass(frozen=True)
class Period:
    """A period that does not count toward the raise interval (unpaid leave, suspension,
    detention). ``end`` is inclusive; None while the period lasts."""

    start: datetime.date
    end: datetime.date | None
    reason: str


@dataclass
class RaiseDue:
    """When the next raise falls due and why. ``date`` is None while a period that does not
    count has begun before the raise and has not ended (``open_period``): the clock is stopped."""

    date: datetime.date | None
    base_date: datetime.date
    interval_months: int
    delays: list[Delay] = field(default_factory=list)
    open_period: Period | None = None

    @property
    def delay_months(self) -> int:
        return sum(delay.months for delay in self.delays)

    @property
    def delay_days(self) -> int:
        return sum(delay.days for delay in self.delays)


def merge_periods(periods) -> list[Period]:
    """Overlapping or touching periods as one (a day is not counted twice), by start date."""
    merged: list[Period] = []
    for period in sorted(periods, key=lambda p: p.start):
        last = merged[-1] if merged else None
        if last is not None and (
            last.end is None or period.start <= last.end + datetime.timedelta(days=1)
        ):
            end = None if last.end is None or period.end is None else max(last.end, period.end)
            merged[-1] = Period(last.start, end, f"{last.reason}; {period.reason}")
        else:
            merged.append(period)
    return merged


def regular_raise_due(
    *,
    since: datetime.date,
    interval_months: int,
    discipline_delays: list[tuple[datetime.date, int, str]] = (),
    failed_rating_years: list[int] = (),
    failed_rating_delay_months: int = 6,
    non_counting: list[Period] = (),
    rating_reason: str = "rating {year}",
) -> RaiseDue:
    """Next regular raise: ``since`` (date of the current step) + the interval, postponed by
    every delay that falls within it. Delays add up (TT 08/2013 Điều 2, amended TT 03/2021):
    each discipline by its type's months, each year rated "did not complete duties" by
    ``failed_rating_delay_months``, and periods that do not count by their length in days.

    ``discipline_delays``: (decision date, months, reason) for disciplines on record; a failed
    year is an event on its 31 December. Events are taken in date order, each against the due
    date as postponed by the events before it, so a discipline falling in an extension caused by
    unpaid leave counts. All the months are added to ``since`` at once (a month-end date stays
    a month-end), then the days. docs/rules.md §4.1–§4.3, §4.8.
    """
    if not (discipline_delays or failed_rating_years or non_counting):
        return RaiseDue(add_months(since, interval_months), since, interval_months)
    events = [(when, 0, months, reason, None) for when, months, reason in discipline_delays]
    events += [
        (datetime.date(year, 12, 31), 0, failed_rating_delay_months,
         rating_reason.format(year=year), None)
        for year in failed_rating_years
    ]  # fmt: skip
    events += [
        (period.start, 1, 0, period.reason, period) for period in merge_periods(non_counting)
    ]
    events.sort(key=lambda event: (event[0], event[1]))
    months = days = 0
    delays: list[Delay] = []

    def due_now() -> datetime.date:
        return add_months(since, interval_months + months) + datetime.timedelta(days=days)

    for when, _order, delay_months, reason, period in events:
        due = due_now()
        if period is None:
            if since <= when < due and delay_months:
                delays.append(Delay(reason=reason, months=delay_months))
                months += delay_months
            continue
        start = max(period.start, since)
        if start >= due or (period.end is not None and period.end < start):
            continue
        if period.end is None:  # the clock stopped and has not restarted
            return RaiseDue(None, since, interval_months, delays, open_period=period)
        length = (period.end - start).days + 1  # counting resumes the day after it ends
        delays.append(Delay(reason=reason, days=length))
        days += length
    return RaiseDue(date=due_now(), base_date=since, interval_months=interval_months, delays=delays)


# --- Beyond-scale seniority (thâm niên vượt khung) ----------------------------------------------

BEYOND_SCALE_FIRST_PERCENT = Decimal("5")
BEYOND_SCALE_STEP_PERCENT = Decimal("1")
BEYOND_SCALE_STEP_MONTHS = 12


def beyond_scale_next(
    *,
    on_last_step_since: datetime.date,
    current_percent: Decimal,
    percent_since: datetime.date | None,
    wait_months: int,
    discipline_delays: list[tuple[datetime.date, int, str]] = (),
    failed_rating_years: list[int] = (),
    failed_rating_delay_months: int = 6,
    non_counting: list[Period] = (),
    rating_reason: str = "rating {year}",
    first_percent: Decimal = BEYOND_SCALE_FIRST_PERCENT,
    step_percent: Decimal = BEYOND_SCALE_STEP_PERCENT,
) -> tuple[Decimal, RaiseDue]:
    """The next beyond-scale percentage and when it falls due: ``first_percent`` after
    ``wait_months`` on the last step (36 for A groups, 24 for B, C and table 4), then
    ``step_percent`` more every 12 months; the same delays as regular raises apply
    (TT 04/2005/TT-BNV, amended TT 03/2021/TT-BNV; docs/rules.md §4.4)."""
    if current_percent <= ZERO:
        due = regular_raise_due(
            since=on_last_step_since,
            interval_months=wait_months,
            discipline_delays=discipline_delays,
            failed_rating_years=failed_rating_years,
            failed_rating_delay_months=failed_rating_delay_months,
            non_counting=non_counting,
            rating_reason=rating_reason,
        )
        return first_percent, due
    due = regular_raise_due(
        since=percent_since or on_last_step_since,
        interval_months=BEYOND_SCALE_STEP_MONTHS,
        discipline_delays=discipline_delays,
        failed_rating_years=failed_rating_years,
        failed_rating_delay_months=failed_rating_delay_months,
        non_counting=non_counting,
        rating_reason=rating_reason,
    )
    return current_percent + step_percent, due


def beyond_scale_amount(
    *,
    base_salary: Decimal,
    last_step_coefficient: Decimal,
    percent: Decimal,
    leadership_coefficient: Decimal = ZERO,
    include_leadership: bool = False,
) -> Decimal:
    """TNVK = base × (last-step coefficient [+ leadership coefficient]) × % (NĐ 204/2004
    Điều 6; whether leadership is included is unconfirmed, so it is a parameter;
    docs/rules.md §3.3)."""
    coefficient = last_step_coefficient + (leadership_coefficient if include_leadership else ZERO)
    return base_salary * coefficient * percent / Decimal(100)


# --- Promotion to a higher rank ------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where a promotion places the person: step, coefficient, the date the step counts from,
    whether the time on the old step carried over, and the reserved difference coefficient
    (hệ số chênh lệch bảo lưu) kept when even the last step pays less than before."""

    step: int
    coefficient: Decimal
    since: datetime.date
    carried_over: bool
    reserved: Decimal = ZERO


def promotion_placement(
    *,
    old_coefficient: Decimal,
    old_beyond_scale_percent: Decimal = ZERO,
    old_step_since: datetime.date,
    old_step_increment: Decimal,
    new_coefficients: list[Decimal],
    promoted_on: datetime.date,
) -> Placement:
    """Step in the new rank on promotion (TT 02/2007/TT-BNV, amended by TT 03/2021/TT-BNV;
    [U], docs/rules.md §4.5):

    - the step whose coefficient is equal to or next above the old one, the beyond-scale
      percentage included (old coefficient × (1 + % / 100));
    - without beyond-scale seniority, if the gain is smaller than one old step's increment,
      the time already served on the old step carries over; otherwise the step counts from the
      promotion;
    - with beyond-scale seniority, the new step counts from the promotion (the date the old last
      step was reached is not carried into a new rank);
    - when no step of the new rank reaches the old total, the last step, with the difference
      kept as a reserved coefficient, counting from the promotion.
    """
    old_total = old_coefficient * (1 + old_beyond_scale_percent / Decimal(100))
    beyond_scale = old_beyond_scale_percent > ZERO
    for index, coefficient in enumerate(new_coefficients, start=1):
        if coefficient >= old_total:
            carried = not beyond_scale and coefficient - old_total < old_step_increment
            return Placement(
                index, coefficient, old_step_since if carried else promoted_on, carried
            )
    last = len(new_coefficients)
    return Placement(
        last, new_coefficients[-1], promoted_on, False, reserved=old_total - new_coefficients[-1]
    )


# --- Early raises ---------------------------------------------------------------------------


def early_raise_excluded(
    *,
    year: int,
    discipline_dates: list[datetime.date] = (),
    failed_rating_years: list[int] = (),
) -> bool:
    """An early raise considered in ``year`` (for achievement, or before retirement) is
    excluded by a discipline decided in that year or a rating of "did not complete duties" for
    the year before (TT 08/2013 Điều 3, amended TT 03/2021; docs/rules.md §4.6)."""
    return any(day.year == year for day in discipline_dates) or (year - 1) in failed_rating_years


def early_raise_eligible(
    *,
    due: datetime.date,
    year: int,
    previous_raise_was_early_in_same_rank: bool,
    max_months_short: int = 12,
    discipline_dates: list[datetime.date] = (),
    failed_rating_years: list[int] = (),
) -> bool:
    """Outstanding achievement: lacking at most ``max_months_short`` months of the interval at
    31 December of ``year``, not raised early the last time the step was raised in the same
    rank, and not excluded by a discipline or a failed rating (TT 08/2013 Điều 3, amended
    TT 03/2021; docs/rules.md §4.6)."""
    if previous_raise_was_early_in_same_rank or early_raise_excluded(
        year=year, discipline_dates=discipline_dates, failed_rating_years=failed_rating_years
    ):
        return False
    year_end = datetime.date(year, 12, 31)
    return year_end < due <= add_months(year_end, max_months_short)


def early_raise_quota(headcount: int, percent: int = 10) -> int:
    """At most ``percent`` % of the staff on the payroll list of the unit, in a year, rounded
    down (TT 08/2013 Điều 3, amended TT 03/2021; docs/rules.md §4.6)."""
    return headcount * percent // 100


def retirement_early_raise_eligible(
    *,
    due: datetime.date,
    retires_on: datetime.date,
    max_months_short: int = 12,
    discipline_dates: list[datetime.date] = (),
    failed_rating_years: list[int] = (),
) -> bool:
    """On retirement notice, staff lacking at most 12 months for their next raise get it 12
    months early, outside the quota, under the same conditions as an early raise: no
    discipline in the year of retirement, no failed rating the year before (TT 08/2013 Điều 3
    khoản 2, amended TT 03/2021; docs/rules.md §4.6)."""
    if early_raise_excluded(
        year=retires_on.year,
        discipline_dates=discipline_dates,
        failed_rating_years=failed_rating_years,
    ):
        return False
    return retires_on < due <= add_months(retires_on, max_months_short)


# --- Retirement -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RetirementAge:
    """The retirement age in force for people who reach it in ``year``."""

    year: int
    years: int
    months: int


def retirement_date(*, born: datetime.date, schedule: list[RetirementAge]) -> datetime.date:
    """The day someone retires: the age of the schedule row for the year in which they reach
    it, retiring at the end of that month (NĐ 135/2020/NĐ-CP Điều 4–5; [U], docs/rules.md §4.7).

    ``schedule`` lists one row per year for one sex, ordered; the last row's age applies to
    every later year and the first row's to every earlier one.
    """
    by_year = {row.year: row for row in schedule}
    first, last = schedule[0], schedule[-1]
    for year in range(born.year + 45, born.year + 80):
        row = by_year.get(year) or (first if year < first.year else last)
        reached = add_months(born, row.years * 12 + row.months)
        if reached.year == year:
            end_of_month = calendar.monthrange(reached.year, reached.month)[1]
            return datetime.date(reached.year, reached.month, end_of_month)
        if reached.year < year:
            # The age rose past the birthday within a year boundary: retire on reaching it.
            end_of_month = calendar.monthrange(reached.year, reached.month)[1]
            return datetime.date(reached.year, reached.month, end_of_month)
    raise ValueError("no retirement age found")
