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


def test_maternity_leave_recorded_after_the_month_was_locked_is_recovered_as_arrears(world):
    """docs/rules.md §7.3, §7.5: July was paid in full and locked; the maternity leave from
    13 July is recorded in August; August's payroll takes back the 15 unpaid days of July."""
    person = world.staff_in_a1
    approved_record(person, rank_code="01.003", step=3, effective=datetime.date(2025, 1, 1))

    def month(number):
        run = runs.payroll_run_open(unit=world.unit_a1, year=2026, month=number, actor=world.clerk)
        runs.payroll_run_compute(run=run, actor=world.clerk)
        return run

    def salary(slip, period=None):
        return sum(
            Decimal(amount)
            for code, _label, amount, _base, _tax, year, month_ in slip.lines
            if code == "LUONG" and ((year, month_) == period if period else year is None)
        )

    july = month(7)
    assert salary(Payslip.objects.get(run=july, staff=person)) == Decimal(7_590_000)
    runs.payroll_run_approve(run=july, actor=world.head)
    runs.payroll_run_lock(run=july, actor=world.clerk)
    Absence.objects.create(
        staff=person, kind=Absence.Kind.MATERNITY, start=datetime.date(2026, 7, 13),
        end=datetime.date(2027, 1, 12),
    )  # fmt: skip
    august = Payslip.objects.get(run=month(8), staff=person)
    # July: 8 of 23 working days paid, 7,590,000 × 8 / 23 = 2,640,000: 4,950,000 taken back
    assert salary(august, (2026, 7)) == Decimal(-4_950_000)
    assert salary(august) == 0  # on maternity leave all August: the fund pays
