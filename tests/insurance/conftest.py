"""Helpers for the insurance tests: salaries, locked payroll months, the month's reports."""

import datetime
from decimal import Decimal

import pytest

from insurance.selectors.changes import change_list
from insurance.selectors.register import register
from insurance.services.participation import participation_refresh
from payroll.models import SalaryRecord
from payroll.services import runs
from tests.conftest import approved_record

D = Decimal


def month_key(year: int, month: int) -> int:
    return year * 100 + month


def salary(staff, *, rank="01.003", step=3, effective=datetime.date(2025, 1, 1), **extra):
    """An approved decision for ``staff`` (coefficient from the rank's scale), with extra
    columns (leadership, reserved coefficient…) set as given."""
    record = approved_record(staff, rank_code=rank, step=step, effective=effective)
    if extra:
        SalaryRecord.objects.filter(pk=record.pk).update(**extra)
    return record


def lock_month(unit, year, month, *, clerk, approver):
    """Open, compute, approve and lock ``unit``'s payroll of a month (four eyes)."""
    run = runs.payroll_run_open(unit=unit, year=year, month=month, actor=clerk)
    runs.payroll_runs_compute(runs=[run], actor=clerk)
    run.refresh_from_db()
    runs.payroll_run_approve(run=run, actor=approver)
    runs.payroll_run_lock(run=run, actor=clerk)
    run.refresh_from_db()
    return run


def register_of(year, month, units=None):
    participation_refresh(unit_ids=None)
    return register(month=month_key(year, month), unit_ids=units)


def changes_of(year, month, units=None):
    participation_refresh(unit_ids=None)
    return change_list(month=month_key(year, month), unit_ids=units)


def row_of(found, staff):
    return next(item for item in found.rows if item.staff_id == staff.pk)


@pytest.fixture
def recruited(world):
    """Every persona's record recruited in 2015, so that 2026 is plain participation."""
    from personnel.models import Staff

    Staff.objects.filter(pk__in=[world.staff_in_a.pk, world.staff_in_a1.pk, world.own_record.pk,
                                 world.staff_in_b.pk]).update(
        recruitment_date=datetime.date(2015, 9, 1)
    )  # fmt: skip
    return world
