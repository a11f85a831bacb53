"""Payroll months through the real services, for the tests of the payroll outputs.

Unit A1 keeps its payroll and pays for an office under it (which does not keep its own):

- the worked example (docs/rules.md §7.7) — a công chức in A1, 01.003 step 3, leadership 0.25, area
  allowance 0.2 — who gets a raise to step 4 backdated to June 2026 once June and July are
  locked, so that August pays arrears for June and July, with back contributions; no bank
  account;
- the staff persona's own record in A1, a union member paid into a bank account;
- a person in the office whose name starts with a formula trigger, with a bank account.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from payroll import services
from payroll.models import AllowanceType, PayProfile, PayrollRun, SalaryRecord, UnitAllowance
from payroll.services import runs
from personnel.models import OrgUnit, Rank, Staff
from tests.conftest import approved_record
from tests.factories import OrgUnitFactory, StaffFactory

D = Decimal
FORMULA_NAME = '=HYPERLINK("http://example.invalid","Vũ Văn Em")'


@dataclass
class PayrollWorld:
    example: Staff
    own: Staff
    clerk_of_office: Staff
    office: OrgUnit
    june: PayrollRun
    july: PayrollRun
    august: PayrollRun


def compute(world, year: int, month: int) -> PayrollRun:
    run = runs.payroll_run_open(unit=world.unit_a1, year=year, month=month, actor=world.clerk)
    runs.payroll_run_compute(run=run, actor=world.clerk)
    return PayrollRun.objects.select_related("unit").get(pk=run.pk)


def close(run: PayrollRun, world) -> PayrollRun:
    runs.payroll_run_approve(run=run, actor=world.head)
    runs.payroll_run_lock(run=run, actor=world.clerk)
    return PayrollRun.objects.select_related("unit").get(pk=run.pk)


def build(world, *, lock_august: bool = True) -> PayrollWorld:
    example = world.staff_in_a1
    approved_record(example, rank_code="01.003", step=3, effective=datetime.date(2025, 1, 1))
    SalaryRecord.objects.filter(staff=example).update(leadership_coefficient=D("0.25"))
    UnitAllowance.objects.create(
        unit=world.unit_a1,
        allowance_type=AllowanceType.objects.get(code="KHUVUC"),
        value=D("0.2"),
        valid_from=datetime.date(2020, 1, 1),
    )
    own = world.own_record
    approved_record(own, rank_code="01.003", step=2, effective=datetime.date(2024, 11, 1))
    PayProfile.objects.create(
        staff=own, union_member=True, bank_account="0123456789",
        bank_name="Ngân hàng TMCP Ngoại thương Việt Nam",
    )  # fmt: skip
    office = OrgUnitFactory(
        parent=world.unit_a1, code="A1VP", name="Tổ văn phòng A1", keeps_payroll=False
    )
    office.refresh_from_db()
    clerk_of_office = StaffFactory(
        unit=office, full_name=FORMULA_NAME, category=Staff.Category.PUBLIC_EMPLOYEE
    )
    approved_record(
        clerk_of_office, rank_code="V.07.05.15", step=5, effective=datetime.date(2023, 1, 1)
    )
    PayProfile.objects.create(
        staff=clerk_of_office, bank_account="9704000011112222", bank_name="Agribank"
    )

    june = close(compute(world, 2026, 6), world)
    july = close(compute(world, 2026, 7), world)
    draft = services.salary_draft_create(
        staff=example,
        values={
            "kind": SalaryRecord.Kind.REGULAR_RAISE, "rank": Rank.objects.get(code="01.003"),
            "step": 4, "effective_date": datetime.date(2026, 6, 1),
            "leadership_coefficient": D("0.25"), "beyond_scale_percent": D(0),
            "reserved_coefficient": D(0),
        },
        actor=world.clerk,
    )  # fmt: skip
    services.salary_records_approve(records=[draft], actor=world.head)
    august = compute(world, 2026, 8)
    if lock_august:
        august = close(august, world)
    return PayrollWorld(
        example=example, own=own, clerk_of_office=clerk_of_office, office=office,
        june=june, july=july, august=august,
    )  # fmt: skip
