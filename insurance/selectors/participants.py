"""Who participates in a month, through which unit, reported by which unit (docs/rules.md §5.11).

A person reports to the insurance office through their paying unit — the unit that keeps the
payroll of the unit they work in (``personnel.selectors.payroll_units``); that unit's
registration (``InsuranceUnit``) gives the code and the office. Reads are set-based: one query
for the periods, two for the paying units, whatever the number of people.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from insurance.models import InsuranceUnit, ParticipationPeriod
from insurance.rules.participation import Month, previous_month
from personnel.models import OrgUnit
from personnel.selectors import payroll_units


@dataclass(frozen=True, slots=True)
class Place:
    """A person's participation in a month: the period covering it and the units."""

    staff_id: int
    unit_id: int  # where they work
    reporting_unit_id: int  # who reports them (the paying unit)
    start: datetime.date | None
    start_reason: str
    stop: datetime.date | None
    stop_reason: str
    first_month: int | None
    last_month: int | None


def _covering(first: Month, last: Month) -> Q:
    return (Q(first_month__isnull=True) | Q(first_month__lte=last)) & (
        Q(last_month__isnull=True) | Q(last_month__gte=first)
    )


def _covers(first_month, last_month, month: Month) -> bool:
    return (first_month is None or first_month <= month) and (
        last_month is None or month <= last_month
    )


@dataclass
class Participation:
    """Who participates in a month and the month before, through which units."""

    month: Month
    now: dict[int, Place]
    before: dict[int, Place]
    units: dict[int, OrgUnit]  # every work and reporting unit met, by id

    def in_scope(self, place: Place | None, unit_ids: set[int] | None) -> bool:
        return place is not None and (unit_ids is None or place.unit_id in unit_ids)


def participation_of(month: Month, unit_ids: list[int] | None) -> Participation:
    """Periods covering ``month`` and the month before of everyone who worked in ``unit_ids``
    (everyone when None) in either month; for them, their periods elsewhere too (a transfer
    out of the units shows where they went)."""
    before_month = previous_month(month)
    covering = _covering(before_month, month)
    periods = ParticipationPeriod.objects.filter(covering)
    if unit_ids is not None:
        periods = periods.filter(
            staff_id__in=ParticipationPeriod.objects.filter(covering, unit_id__any=unit_ids).values(
                "staff_id"
            )
        )
    now: dict[int, tuple] = {}
    before: dict[int, tuple] = {}
    for row in periods.order_by("staff_id", "start", "id").values_list(
        "staff_id", "unit_id", "start", "start_reason", "stop", "stop_reason",
        "first_month", "last_month", "id",
    ):  # fmt: skip
        first, last = row[6], row[7]
        if _covers(first, last, month):
            now[row[0]] = row
        if _covers(first, last, before_month):
            before[row[0]] = row
    work_units = {row[1] for row in now.values()} | {row[1] for row in before.values()}
    paying = payroll_units(work_units)
    units = {unit.pk: unit for unit in paying.values()}
    missing = work_units - set(units)
    if missing:
        units.update({unit.pk: unit for unit in OrgUnit.objects.filter(pk__in=missing)})

    made: dict[int, Place] = {}  # one Place per period, whichever months it covers
    paying_ids = {unit_id: unit.pk for unit_id, unit in paying.items()}

    def place(row) -> Place:
        found = made.get(row[8])
        if found is None:
            staff_id, unit_id, start, start_reason, stop, stop_reason, first, last, pk = row
            found = made[pk] = Place(staff_id, unit_id, paying_ids[unit_id], start,
                                     start_reason, stop, stop_reason, first, last)  # fmt: skip
        return found

    return Participation(
        month=month,
        now={staff_id: place(row) for staff_id, row in now.items()},
        before={staff_id: place(row) for staff_id, row in before.items()},
        units=units,
    )


def registrations(unit_ids) -> dict[int, InsuranceUnit]:
    """The insurance-office registration of these units, by unit id."""
    return {row.unit_id: row for row in InsuranceUnit.objects.filter(unit_id__in=set(unit_ids))}
