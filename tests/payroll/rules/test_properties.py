"""Properties of the date arithmetic, searched by Hypothesis rather than guessed (29 February,
month ends, the ends of the calendar). No database."""

import calendar
import datetime
from decimal import Decimal

from django import forms
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hrms.lib.partial_dates import PartialDate, PartialDateFormField
from payroll.rules.progression import (
    Period,
    RetirementAge,
    add_months,
    beyond_scale_next,
    months_between,
    regular_raise_due,
    retirement_date,
)

D = datetime.date
FAST = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])  # fmt: skip

# The dates the application accepts (1900 to a few years ahead) and then some.
days = st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31))
leap_days = st.sampled_from([D(year, 2, 29) for year in range(1904, 2200, 4) if year != 2100])
any_day = st.one_of(days, leap_days)
months = st.integers(min_value=-12 * 150, max_value=12 * 150)


def month_length(day: datetime.date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


# --- add_months and months_between ----------------------------------------------------------


@FAST
@given(any_day, months)
@example(D(2024, 2, 29), 12)
@example(D(2023, 1, 31), 1)
def test_add_months_lands_in_the_right_month_on_the_same_day_or_the_months_last(day, count):
    moved = add_months(day, count)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == count
    assert moved.day == min(day.day, month_length(moved))


@FAST
@given(any_day, months)
def test_add_months_back_and_forth_returns_or_stops_at_a_month_end(day, count):
    there_and_back = add_months(add_months(day, count), -count)
    assert there_and_back == day or (there_and_back < day and there_and_back.day >= 28)


@FAST
@given(any_day, any_day, months)
def test_add_months_keeps_the_order_of_days(first, second, count):
    early, late = sorted((first, second))
    assert add_months(early, count) <= add_months(late, count)


@FAST
@given(st.dates(), st.integers(min_value=-12 * 10_000, max_value=12 * 10_000))
def test_add_months_fails_only_past_the_ends_of_the_calendar(day, count):
    try:
        moved = add_months(day, count)
    except ValueError:
        index = day.year * 12 + day.month - 1 + count
        assert not 12 <= index < 12 * 10_000  # year 1 to 9999
    else:
        assert D.min <= moved <= D.max


@FAST
@given(any_day, months)
def test_months_between_undoes_add_months(day, count):
    assert months_between(day, add_months(day, count)) == count


@FAST
@given(any_day, any_day)
def test_months_between_counts_the_whole_months_that_fit(start, end):
    count = months_between(start, end)
    assert add_months(start, count) <= end < add_months(start, count + 1)
    assert (count >= 0) == (end >= start)


# --- Raises, beyond-scale seniority, retirement -----------------------------------------------

delays = st.lists(
    st.tuples(days, st.integers(min_value=0, max_value=24), st.just("kỷ luật")), max_size=4
)
periods = st.lists(
    st.builds(
        lambda start, length: Period(start, start + datetime.timedelta(days=length), "nghỉ"),
        days,
        st.integers(min_value=-30, max_value=2000),  # a negative length: bad data, no crash
    ),
    max_size=3,
)
intervals = st.sampled_from([12, 24, 36, 60])


@FAST
@given(any_day, intervals, delays, st.lists(st.integers(1900, 2200), max_size=3), periods)
def test_a_raise_falls_due_after_the_interval_and_delays_only_postpone_it(
    since, interval, disciplines, failed_years, non_counting
):
    plain = regular_raise_due(since=since, interval_months=interval)
    assert plain.date == add_months(since, interval) and plain.delays == []
    due = regular_raise_due(
        since=since,
        interval_months=interval,
        discipline_delays=disciplines,
        failed_rating_years=failed_years,
        non_counting=non_counting,
    )
    assert due.date >= plain.date
    assert all(delay.months >= 0 and delay.days >= 0 for delay in due.delays)
    if not due.delays:
        assert due.date == plain.date


@FAST
@given(any_day, intervals, delays)
def test_one_more_discipline_never_brings_a_raise_forward(since, interval, disciplines):
    fewer = regular_raise_due(
        since=since, interval_months=interval, discipline_delays=disciplines[:-1]
    )
    more = regular_raise_due(since=since, interval_months=interval, discipline_delays=disciplines)
    assert more.date >= fewer.date


@FAST
@given(
    any_day,
    st.decimals(min_value=0, max_value=100, places=0),
    st.one_of(st.none(), any_day),
    st.sampled_from([24, 36]),
    delays,
)
def test_beyond_scale_seniority_starts_at_5_then_adds_1_percent(
    on_last_step_since, percent, percent_since, wait, disciplines
):
    proposed, due = beyond_scale_next(
        on_last_step_since=on_last_step_since,
        current_percent=percent,
        percent_since=percent_since,
        wait_months=wait,
        discipline_delays=disciplines,
    )
    assert proposed == (Decimal(5) if percent == 0 else percent + 1)
    assert due.date > due.base_date


schedules = st.lists(
    st.builds(RetirementAge, st.integers(1990, 2060), st.integers(45, 70), st.integers(0, 11)),
    min_size=1,
    max_size=20,
    unique_by=lambda row: row.year,
).map(lambda rows: sorted(rows, key=lambda row: row.year))

MEN = [RetirementAge(2020, 60, 0)] + [
    RetirementAge(2021 + i, 60 + (3 * (i + 1)) // 12, (3 * (i + 1)) % 12) for i in range(8)
]  # NĐ 135/2020: +3 months a year to 62


@FAST
@given(any_day, schedules)
@example(D(1964, 2, 29), MEN)
def test_everyone_retires_at_a_month_end_at_an_age_of_the_schedule(born, schedule):
    retires = retirement_date(born=born, schedule=schedule)
    assert retires.day == month_length(retires)
    ages = [row.years * 12 + row.months for row in schedule]
    assert min(ages) <= months_between(born, retires) <= max(ages) + 11


@FAST
@given(any_day, any_day)
def test_under_a_rising_age_the_younger_never_retire_first(first, second):
    older, younger = sorted((first, second))
    assert retirement_date(born=older, schedule=MEN) <= retirement_date(born=younger, schedule=MEN)


# --- Partial dates ------------------------------------------------------------------------

partial_dates = st.one_of(
    st.builds(PartialDate, st.integers(1000, 9999)),
    st.builds(PartialDate, st.integers(1000, 9999), st.integers(1, 12)),
    st.dates(min_value=D(1000, 1, 1)).map(PartialDate.from_date),
)


@FAST
@given(partial_dates)
def test_a_partial_date_reads_back_what_it_shows_and_stores(value):
    assert PartialDate.parse(str(value)) == value
    assert PartialDate.parse(value.iso()) == value
    assert value.first_day <= value.last_day
    assert PartialDate.from_date(value.first_day).first_day == value.first_day


@FAST
@given(partial_dates, partial_dates)
def test_stored_order_is_the_order_of_first_days(first, second):
    if first.iso() < second.iso():
        assert first.first_day <= second.first_day
    if first.first_day < second.first_day:
        assert first.iso() < second.iso()


@FAST
@given(
    st.one_of(
        st.text(max_size=30),
        st.from_regex(r"\A[0-9]{1,3}[/.-][0-9]{1,3}[/.-][0-9]{1,6}\Z"),
        st.from_regex(r"\A[0-9]{1,6}(-[0-9]{1,3}){0,2}\Z"),
    )
)
@example("29/02/2023")
@example("00/00/0000")
@example("31/04/2024")
def test_typed_partial_dates_are_read_or_refused_never_crash(text):
    field = PartialDateFormField(required=False)
    try:
        value = field.clean(text)
    except forms.ValidationError:
        return
    if value is not None:
        assert 1000 <= value.year <= 9999
        assert PartialDate.parse(value.iso()) == value
