"""Maternity leave recorded by the insurance app reaches the payroll: the unit pays no salary
for those days and, from 14 of them, no social insurance (docs/rules.md §5.5, §7.3)."""

import datetime
from decimal import Decimal

from insurance.models import Absence
from payroll.models import Payslip
from payroll.services import runs
from tests.conftest import approved_record


def test_maternity_leave_is_unpaid_by_the_unit_and_stops_social_insurance(world):
    person = world.staff_in_a1
    approved_record(person, rank_code="01.003", step=3, effective=datetime.date(2025, 1, 1))
    Absence.objects.create(
        staff=person, kind=Absence.Kind.MATERNITY, start=datetime.date(2026, 7, 13),
        end=datetime.date(2027, 1, 12),
    )  # fmt: skip
    run = runs.payroll_run_open(unit=world.unit_a1, year=2026, month=7, actor=world.clerk)
    runs.payroll_run_compute(run=run, actor=world.clerk)
    slip = Payslip.objects.get(run=run, staff=person)
    # July 2026: 23 working days, 8 worked (1–10 July), 15 on maternity leave from the 13th.
    assert (slip.working_days, slip.paid_days, slip.suspended) == (23, 8, True)
    funds = {fund: Decimal(employee) for fund, employee, _employer in slip.contributions}
    assert "retirement" not in funds and funds["health"] > 0
