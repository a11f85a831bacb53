"""The monthly change list (D02-LT): increases, decreases, salary changes and back contributions,
each with why, and the XLSX laid out by the template (docs/rules.md §5.12)."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from insurance.exporters.d02lt import ChangeListExport
from insurance.exporters.layout import DEFAULT_LAYOUT
from insurance.models import InsuranceUnit
from payroll import services as payroll_services
from payroll.models import SalaryRecord
from personnel import services as personnel_services
from personnel.models import Movement, Rank, Staff
from tests.insurance.conftest import changes_of, lock_month, salary

D = Decimal


def kinds(found, staff, unit=None):
    return sorted(
        (change.kind, change.reporting_unit_id)
        for change in found.changes
        if change.staff_id == staff.pk and (unit is None or change.reporting_unit_id == unit.pk)
    )


def change(found, staff, kind):
    return next(c for c in found.changes if c.staff_id == staff.pk and c.kind == kind)


def transfer(world, person, to_unit, day):
    return personnel_services.staff_transfer(
        staff_id=person.pk, expected_version=None, to_unit=to_unit, effective_date=day,
        actor=world.admin,
    )  # fmt: skip


def test_a_transfer_between_two_units_is_a_decrease_in_one_and_an_increase_in_the_other(
    recruited,
):
    world = recruited
    person = world.staff_in_a1
    salary(person)
    transfer(world, person, world.unit_b1, datetime.date(2026, 7, 15))
    july = changes_of(2026, 7)
    assert kinds(july, person) == []  # A1 still pays July (the unit on the 1st)
    august = changes_of(2026, 8)
    assert kinds(august, person) == sorted([("join", world.unit_b1.pk), ("stop", world.unit_a1.pk)])
    stop, join = change(august, person, "stop"), change(august, person, "join")
    assert stop.reason == "Chuyển công tác đến Trường B1 từ 15/07/2026"
    assert join.reason == "Chuyển đến từ Trường A1, từ 15/07/2026"
    assert stop.salary == join.salary == D(7_590_000)
    assert (stop.from_month, join.from_month) == (202608, 202608)
    # each unit's clerk sees their side only
    a_side = changes_of(2026, 8, units=[world.unit_a.pk, world.unit_a1.pk])
    assert kinds(a_side, person) == [("stop", world.unit_a1.pk)]
    b_side = changes_of(2026, 8, units=[world.unit_b.pk, world.unit_b1.pk])
    assert kinds(b_side, person) == [("join", world.unit_b1.pk)]


def test_a_transfer_within_one_reporting_unit_is_no_change(recruited):
    world = recruited
    world.unit_a1.keeps_payroll = False  # A1 is on A's payroll: A reports both
    world.unit_a1.save(update_fields=["keeps_payroll"])
    person = world.staff_in_a
    salary(person)
    transfer(world, person, world.unit_a1, datetime.date(2026, 8, 1))
    assert kinds(changes_of(2026, 8), person) == []


def test_recruitment_retirement_and_unpaid_leave_with_why(recruited):
    world = recruited
    newcomer, retiring, on_leave = world.staff_in_a1, world.staff_in_a, world.own_record
    for person in (newcomer, retiring, on_leave):
        salary(person)
    Staff.objects.filter(pk=newcomer.pk).update(recruitment_date=datetime.date(2026, 8, 3))
    for person, kind, day in (
        (retiring, Movement.Kind.RETIREMENT, datetime.date(2026, 8, 1)),
        (on_leave, Movement.Kind.UNPAID_LEAVE, datetime.date(2026, 8, 10)),
    ):
        personnel_services.staff_status_change(
            staff_id=person.pk, expected_version=None, kind=kind, effective_date=day,
            actor=world.clerk,
        )  # fmt: skip
    august = changes_of(2026, 8)
    assert change(august, newcomer, "join").reason == "Tuyển dụng ngày 03/08/2026"
    assert change(august, retiring, "stop").reason == "Nghỉ hưu từ 01/08/2026"
    assert change(august, on_leave, "stop").reason.startswith("Nghỉ không lương từ 10/08/2026")
    # back from leave on 5 October (3 working days before it): an increase in October
    personnel_services.staff_status_change(
        staff_id=on_leave.pk, expected_version=None, kind=Movement.Kind.RETURN,
        effective_date=datetime.date(2026, 10, 5), actor=world.clerk,
    )  # fmt: skip
    assert kinds(changes_of(2026, 9), on_leave) == []
    assert (
        change(changes_of(2026, 10), on_leave, "join").reason == "Trở lại làm việc ngày 05/10/2026"
    )


def test_a_backdated_raise_gives_back_contributions_month_by_month_from_the_payroll(recruited):
    world = recruited
    person = world.staff_in_a1
    salary(person)
    for month in (6, 7):
        lock_month(world.unit_a1, 2026, month, clerk=world.clerk, approver=world.head)
    draft = payroll_services.salary_draft_create(
        staff=person,
        values={
            "kind": SalaryRecord.Kind.REGULAR_RAISE, "rank": Rank.objects.get(code="01.003"),
            "step": 4, "effective_date": datetime.date(2026, 6, 1),
            "leadership_coefficient": D(0), "beyond_scale_percent": D(0),
            "reserved_coefficient": D(0),
        },
        actor=world.clerk,
    )  # fmt: skip
    payroll_services.salary_records_approve(records=[draft], actor=world.head)
    lock_month(world.unit_a1, 2026, 8, clerk=world.clerk, approver=world.head)
    august = changes_of(2026, 8)
    raised = change(august, person, "raise")
    assert (raised.previous_salary, raised.salary) == (D(7_590_000), D(8_424_900))  # 3.33
    assert raised.from_month == 202606  # the decision's effect
    back = sorted((c.from_month, c.employee, c.employer) for c in august.changes
                  if c.staff_id == person.pk and c.kind == "back")  # fmt: skip
    # June: 0.33 × 2,340,000 = 772,200 → employee 9.5% = 73,359; employer 20.5% = 158,301
    # July: 0.33 × 2,530,000 = 834,900 → 79,316 (66,792 + 12,524); 171,155
    assert back == [
        (202606, D(61_776) + D(11_583), D(108_108) + D(23_166) + D(3_861) + D(23_166)),
        (202607, D(66_792) + D(12_524), D(116_886) + D(25_047) + D(4_175) + D(25_047)),
    ]
    assert [c.to_month for c in august.changes if c.kind == "back"] == [202606, 202607]


def test_a_backdated_raise_in_a_unit_without_payroll_here_gives_back_contributions(recruited):
    world = recruited
    person = world.staff_in_b  # B1 never runs its payroll here
    salary(person)
    raised = salary(person, step=4, effective=datetime.date(2026, 6, 1))
    SalaryRecord.objects.filter(pk=raised.pk).update(
        decided_at=datetime.datetime(2026, 8, 12, 9, 0, tzinfo=datetime.UTC)
    )
    august = changes_of(2026, 8)
    assert change(august, person, "raise").from_month == 202606
    back = sorted((c.from_month, c.employee, c.employer) for c in august.changes
                  if c.staff_id == person.pk and c.kind == "back")  # fmt: skip
    assert back == [(202606, D(73_359), D(158_301)), (202607, D(79_316), D(171_155))]
    # July, as declared at the time, had the old salary: no back contributions in July
    assert kinds(changes_of(2026, 7), person) == []


@pytest.fixture
def registered(world):
    return InsuranceUnit.objects.create(
        unit=world.unit_a1, code="TA0101A", office="BHXH tỉnh Thử", address="Số 1 đường Thử"
    )


def test_the_d02lt_file_has_the_header_sections_totals_and_flags_missing_identifiers(
    recruited, registered
):
    world = recruited
    newcomer, leaving = world.staff_in_a1, world.own_record
    for person in (newcomer, leaving):
        salary(person)
    Staff.objects.filter(pk=newcomer.pk).update(
        recruitment_date=datetime.date(2026, 8, 3), social_insurance_number="", personal_id=None
    )
    personnel_services.staff_status_change(
        staff_id=leaving.pk, expected_version=None, kind=Movement.Kind.RESIGNATION,
        effective_date=datetime.date(2026, 8, 1), actor=world.clerk,
    )  # fmt: skip
    found = changes_of(2026, 8, units=[world.unit_a1.pk])
    content = ChangeListExport(found, DEFAULT_LAYOUT).xlsx()
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["TA0101A"]
    cells = [[c for c in row if c is not None] for row in book.active.iter_rows(values_only=True)]
    cells = [row for row in cells if row]
    text = "\n".join(" | ".join(str(c) for c in row) for row in cells)
    assert "Tên đơn vị: Trường A1" in text and "Mã đơn vị: TA0101A" in text
    assert "Địa chỉ: Số 1 đường Thử" in text and "Tháng 08/2026" in text
    joined = next(row for row in cells if newcomer.full_name in row)
    assert joined[0] == 1 and D(7_590_000) in joined and "08/2026" in joined
    assert "THIẾU MÃ SỐ BHXH VÀ SỐ CCCD" in joined[-1]  # flagged, not dropped
    assert any(str(row[0]).startswith("Cộng (1)") and D(7_590_000) in row for row in cells)
    left = next(row for row in cells if leaving.full_name in row)
    assert "Thôi việc từ 01/08/2026" in left[-1]
    assert [row[0] for row in cells if str(row[0]).startswith(("I.", "II.", "III."))] == [
        "I. TĂNG", "II. GIẢM", "III. TRUY ĐÓNG THEO QUYẾT ĐỊNH CÓ HIỆU LỰC TRỞ VỀ TRƯỚC",
    ]  # fmt: skip
