"""The salary page's pay of the month: a preview from the same functions a payroll run uses,
equal to what a run computed for the same person stores; the stored payslip once a run has
computed it; a note when a legal parameter is missing (docs/rules.md §7.4)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from hrms.lib.money import format_vnd
from payroll import services
from payroll.models import AllowanceType, InsuranceRate, Payslip, SalaryRecord, UnitAllowance
from payroll.selectors.month_pay import MonthPay, month_pay
from payroll.services import runs
from payroll.services.pay_inputs import (
    AllowanceValues,
    DependantValues,
    allowance_assign,
    dependant_register,
    pay_profile_update,
)
from personnel.models import Rank
from tests.conftest import approved_record

D = Decimal
DAY = datetime.date


@pytest.fixture
def teacher(world):
    """A công chức in A1 with leadership 0.25, an area allowance from the unit, a
    responsibility allowance, professional seniority, two dependants and union membership."""
    person = world.staff_in_a1
    approved_record(person, rank_code="01.003", step=3, effective=DAY(2025, 1, 1))
    SalaryRecord.objects.filter(staff=person).update(leadership_coefficient=D("0.25"))
    UnitAllowance.objects.create(
        unit=world.unit_a1,
        allowance_type=AllowanceType.objects.get(code="KHUVUC"),
        value=D("0.2"),
        valid_from=DAY(2020, 1, 1),
    )
    for code, value, since in (("TRACHNHIEM", "0.3", None), ("TNN", "0", DAY(2012, 9, 5))):
        allowance_assign(
            staff=person,
            values=AllowanceValues(
                allowance_type=AllowanceType.objects.get(code=code),
                valid_from=DAY(2025, 1, 1),
                value=D(value),
                since=since,
            ),
            actor=world.admin,
        )
    for name in ("Nguyễn An", "Nguyễn Bình"):
        dependant_register(
            staff=person,
            values=DependantValues(name, "child", DAY(2025, 1, 1), birth_date=DAY(2018, 3, 1)),
            actor=world.admin,
        )
    pay_profile_update(
        staff=person, union_member=True, union_month=datetime.date(2026, 1, 1), actor=world.admin
    )
    return person


def as_dict(pay: MonthPay) -> dict:
    """Everything a payslip says, without whether it was stored."""
    return {
        "lines": [(line.code, line.amount, line.period) for line in pay.lines],
        "contributions": [(s.fund, s.employee, s.employer) for s in pay.contributions],
        "back": [(s.fund, s.employee, s.employer, s.period) for s in pay.back_contributions],
        **{
            name: getattr(pay, name)
            for name in (
                "gross", "taxable_gross", "insurance_salary", "insurance_base",
                "employee_insurance", "employer_insurance", "employee_back_contributions",
                "union_dues", "taxable_income", "personal_income_tax", "net", "working_days",
                "paid_days", "dependants", "suspended",
            )
        },
    }  # fmt: skip


def compute(world, year, month):
    run = runs.payroll_run_open(unit=world.unit_a1, year=year, month=month, actor=world.clerk)
    runs.payroll_run_compute(run=run, actor=world.clerk)
    run.refresh_from_db()
    return run


def close(run, world):
    runs.payroll_run_approve(run=run, actor=world.head)
    runs.payroll_run_lock(run=run, actor=world.clerk)


def test_the_preview_equals_what_a_computed_run_stores(world, teacher):
    preview = month_pay(staff_id=teacher.pk, year=2026, month=7)
    assert not preview.stored and preview.shown
    codes = {line.code for line in preview.lines}
    assert {"LUONG", "PCCV", "CONGVU", "KHUVUC", "TRACHNHIEM", "TNN"} <= codes
    assert preview.dependants == 2 and preview.union_dues > 0
    assert preview.net == preview.gross - preview.deductions

    run = compute(world, 2026, 7)
    stored = month_pay(staff_id=teacher.pk, year=2026, month=7)
    assert stored.stored and stored.run == run
    assert as_dict(stored) == as_dict(preview)
    assert stored.net == Payslip.objects.get(run=run, staff=teacher).net


def test_the_preview_includes_the_arrears_the_next_run_pays(world, teacher):
    """A raise backdated into locked months: the preview of the next month shows the arrears
    and back contributions per past month, as the run then stores them."""
    for month in (6, 7):
        close(compute(world, 2026, month), world)
    draft = services.salary_draft_create(
        staff=teacher,
        values={
            "kind": SalaryRecord.Kind.REGULAR_RAISE, "rank": Rank.objects.get(code="01.003"),
            "step": 4, "effective_date": DAY(2026, 6, 1), "leadership_coefficient": D("0.25"),
            "beyond_scale_percent": D(0), "reserved_coefficient": D(0),
        },
        actor=world.clerk,
    )  # fmt: skip
    services.salary_records_approve(records=[draft], actor=world.head)
    preview = month_pay(staff_id=teacher.pk, year=2026, month=8)
    arrears = {(line.code, line.period) for line in preview.lines if line.period}
    assert ("LUONG", DAY(2026, 6, 1)) in arrears and ("LUONG", DAY(2026, 7, 1)) in arrears
    assert preview.employee_back_contributions > 0
    compute(world, 2026, 8)
    assert as_dict(month_pay(staff_id=teacher.pk, year=2026, month=8)) == as_dict(preview)


def test_a_missing_parameter_is_said_and_nothing_is_computed(world, teacher):
    InsuranceRate.objects.all().delete()
    pay = month_pay(staff_id=teacher.pk, year=2026, month=7)
    assert not pay.shown and not pay.lines
    assert "tỷ lệ đóng bảo hiểm" in pay.missing and "tháng này" in pay.missing


def test_a_person_without_a_salary_or_allowance_is_not_paid(world):
    pay = month_pay(staff_id=world.staff_in_b.pk, year=2026, month=7)
    assert pay.not_paid.startswith("Chưa có quyết định lương được duyệt")


# --- On the salary page -------------------------------------------------------------------


def test_the_salary_page_shows_this_months_preview_then_the_stored_payslip(
    world, teacher, client_for
):
    today = timezone.localdate()
    url = reverse("payroll:staff_salary", args=[teacher.pk])
    client = client_for(world.head)
    page = client.get(url).content.decode()
    preview = month_pay(staff_id=teacher.pk, year=today.year, month=today.month)
    assert f"Lương tháng {today:%m/%Y}" in page
    assert "Xem trước: tính ngay bây giờ" in page
    assert format_vnd(preview.net) in page
    assert "Phụ cấp trách nhiệm theo nghề, công việc" in page

    run = compute(world, today.year, today.month)
    page = client.get(url).content.decode()
    assert "Xem trước" not in page
    assert "Phiếu lương đã lưu trong bảng lương của Trường A1" in page
    assert "Đã tính, chờ duyệt" in page
    assert format_vnd(Payslip.objects.get(run=run, staff=teacher).net) in page


def test_staff_see_their_own_months_pay(world, client_for):
    approved_record(world.own_record, rank_code="01.003", step=2, effective=DAY(2024, 1, 1))
    page = (
        client_for(world.staff_user)
        .get(reverse("payroll:staff_salary", args=[world.own_record.pk]))
        .content.decode()
    )
    assert "Thực lĩnh" in page and "Lương theo ngạch, bậc" in page


def test_the_salary_page_says_when_a_parameter_is_missing(world, teacher, client_for):
    InsuranceRate.objects.all().delete()
    page = (
        client_for(world.clerk)
        .get(reverse("payroll:staff_salary", args=[teacher.pk]))
        .content.decode()
    )
    assert "Chưa tính được lương tháng này: thiếu một tham số theo quy định." in page
    assert "tỷ lệ đóng bảo hiểm có hiệu lực trong tháng này" in page


def test_the_salary_page_reads_a_bounded_number_of_queries(
    world, teacher, client_for, django_assert_max_num_queries
):
    client = client_for(world.clerk)
    # a fixed number, whatever the history (one of them: when the person's absences recorded
    # by the insurance app last changed, for the arrears the preview shows)
    with django_assert_max_num_queries(56):
        assert client.get(reverse("payroll:staff_salary", args=[teacher.pk])).status_code == 200
