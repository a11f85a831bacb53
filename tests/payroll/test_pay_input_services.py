"""A person's pay inputs through the services: allowances of their own, dependants, union
membership and bank account. Each refusal names the field in Vietnamese and writes nothing; each
write is attributed in the history to the actor with the reason (docs/rules.md §3, §6.2, §10)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from pghistory.models import Events

from payroll.models import AllowanceAssignment, AllowanceType, Dependant, PayProfile
from payroll.services import runs
from payroll.services.pay_inputs import (
    AllowanceValues,
    DependantValues,
    allowance_assign,
    allowance_correct,
    allowance_end,
    allowance_remove,
    assignable_types,
    dependant_correct,
    dependant_end,
    dependant_register,
    pay_profile_update,
)
from tests.conftest import approved_record
from tests.factories import StaffFactory

D = Decimal
DAY = datetime.date


def kind(code: str) -> AllowanceType:
    return AllowanceType.objects.get(code=code)


def values(code: str, value="0", start=None, **extra) -> AllowanceValues:
    return AllowanceValues(
        allowance_type=kind(code), valid_from=start or DAY(2026, 1, 1), value=D(value), **extra
    )


def events(model) -> list:
    return list(
        Events.objects.filter(pgh_model=f"payroll.{model.__name__}Event").order_by("pgh_id")
    )


def nothing_written() -> tuple:
    return (
        AllowanceAssignment.objects.count(),
        Dependant.objects.count(),
        PayProfile.objects.count(),
        len(events(AllowanceAssignment)) + len(events(Dependant)) + len(events(PayProfile)),
    )


def refused(call, field: str | None, *fragments: str) -> None:
    """``call`` raises a ValidationError whose message (on ``field``) contains every fragment,
    and nothing is written."""
    before = nothing_written()
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    messages = error.message_dict[field] if field else error.messages
    text = " ".join(messages)
    for fragment in fragments:
        assert fragment in text, text
    assert nothing_written() == before


# --- Allowances -----------------------------------------------------------------------------


def test_a_clerk_grants_a_responsibility_allowance_attributed_in_the_history(world):
    person = world.staff_in_a1
    row = allowance_assign(
        staff=person,
        values=values("TRACHNHIEM", "0.2", decision="12/QĐ-SGD"),
        actor=world.clerk,
    )
    row.refresh_from_db()
    assert (row.value, row.valid_from, row.valid_to, row.recorded_by) == (
        D("0.2"),
        DAY(2026, 1, 1),
        None,
        world.clerk,
    )
    (event,) = events(AllowanceAssignment)
    assert event.pgh_label == "insert"
    assert event.pgh_context["user"] == world.clerk.pk
    assert event.pgh_context["reason"] == "Thêm phụ cấp"


def test_the_types_offered_are_a_persons_own_allowances_in_force(reference):
    codes = set(assignable_types(DAY(2026, 11, 1)).values_list("code", flat=True))
    assert codes == {"TRACHNHIEM", "KIEMNHIEM", "DOCHAI", "THUHUT", "UUDAI", "TNN"}


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("PCCV", "Phụ cấp: Phụ cấp chức vụ lãnh đạo đi theo quyết định lương"),
        ("TNVK", "đi theo quyết định lương"),
        ("BAOLUU", "đi theo quyết định lương"),
        ("KHUVUC", "Phụ cấp: Phụ cấp khu vực đi theo đơn vị"),
        ("CONGVU", "đi theo đơn vị"),
    ],
)
def test_allowances_carried_by_the_decision_or_the_unit_are_refused(world, code, fragment):
    refused(
        lambda: allowance_assign(
            staff=world.staff_in_a1, values=values(code, "0.3"), actor=world.clerk
        ),
        "allowance_type",
        fragment,
    )


@pytest.mark.parametrize(
    ("code", "value", "extra", "field", "fragments"),
    [
        # TT 05/2005/TT-BNV: 0.1, 0.2, 0.3 or 0.5.
        ("TRACHNHIEM", "0.4", {}, "value", ["Giá trị:", "0,1; 0,2; 0,3; 0,5", "TT 05/2005"]),
        ("DOCHAI", "0.5", {}, "value", ["Giá trị:", "0,1; 0,2; 0,3; 0,4"]),
        ("KIEMNHIEM", "15", {}, "value", ["Giá trị:", "chỉ có các mức 10"]),
        (
            "THUHUT",
            "80",
            {"valid_to": DAY(2028, 12, 31)},
            "value",
            ["Giá trị:", "từ 20 đến 70", "NĐ 76/2019"],
        ),
        ("THUHUT", "10", {"valid_to": DAY(2028, 12, 31)}, "value", ["từ 20 đến 70"]),
        ("TRACHNHIEM", "0", {}, "value", ["Giá trị: hãy nhập hệ số hoặc tỷ lệ phần trăm"]),
        # The attraction allowance is time-limited: an end date is needed.
        ("THUHUT", "50", {}, "valid_to", ["Đến ngày:", "có thời hạn"]),
        (
            "TRACHNHIEM",
            "0.2",
            {"valid_to": DAY(2025, 12, 31)},
            "valid_to",
            ["Đến ngày: ngày kết thúc (31/12/2025) trước ngày bắt đầu (01/01/2026)"],
        ),
        # Professional seniority follows from the date it counts from.
        ("TNN", "0", {}, "since", ["Tính từ ngày: phụ cấp thâm niên nghề cần ngày"]),
        ("TNN", "7", {"since": DAY(2010, 9, 1)}, "value", ["Giá trị: phụ cấp thâm niên nghề"]),
        ("TNN", "0", {"since": DAY(2027, 1, 1)}, "since", ["Tính từ ngày:", "01/01/2026"]),
        ("TRACHNHIEM", "0.2", {"since": DAY(2010, 1, 1)}, "since", ["chỉ phụ cấp thâm niên"]),
    ],
)
def test_values_outside_the_legal_range_are_refused(world, code, value, extra, field, fragments):
    refused(
        lambda: allowance_assign(
            staff=world.staff_in_a1, values=values(code, value, **extra), actor=world.clerk
        ),
        field,
        *fragments,
    )


def test_an_allowance_type_not_in_force_on_the_start_is_refused(world):
    refused(
        lambda: allowance_assign(
            staff=world.staff_in_a1,
            values=values("TRACHNHIEM", "0.2", start=DAY(2003, 1, 1)),
            actor=world.clerk,
        ),
        "allowance_type",
        "không có hiệu lực vào ngày 01/01/2003",
    )


def test_professional_seniority_is_recorded_with_its_date_and_no_value(world):
    row = allowance_assign(
        staff=world.staff_in_a1,
        values=values("TNN", "0", start=DAY(2015, 9, 1), since=DAY(2015, 9, 1)),
        actor=world.clerk,
    )
    assert (row.value, row.since) == (D(0), DAY(2015, 9, 1))


def test_two_rows_of_one_allowance_may_not_overlap(world):
    allowance_assign(
        staff=world.staff_in_a1,
        values=values("TRACHNHIEM", "0.2", valid_to=DAY(2026, 6, 30)),
        actor=world.clerk,
    )
    refused(
        lambda: allowance_assign(
            staff=world.staff_in_a1,
            values=values("TRACHNHIEM", "0.3", start=DAY(2026, 6, 1)),
            actor=world.clerk,
        ),
        "valid_from",
        "Từ ngày: người này đã hưởng",
        "từ 01/01/2026 đến 30/06/2026",
    )
    # From the day after, a new value is a new row.
    allowance_assign(
        staff=world.staff_in_a1,
        values=values("TRACHNHIEM", "0.3", start=DAY(2026, 7, 1)),
        actor=world.clerk,
    )
    assert AllowanceAssignment.objects.filter(staff=world.staff_in_a1).count() == 2


def test_nobody_edits_their_own_pay_inputs(world):
    own = StaffFactory(unit=world.unit_a1, user=world.clerk, full_name="Hồ sơ của clerk")
    refused(
        lambda: allowance_assign(staff=own, values=values("TRACHNHIEM", "0.2"), actor=world.clerk),
        None,
        "Không ai được sửa quyết định về chính mình",
    )
    refused(
        lambda: dependant_register(
            staff=own,
            values=DependantValues("Nguyễn Văn Bé", "child", DAY(2026, 1, 1)),
            actor=world.clerk,
        ),
        None,
        "về chính mình",
    )
    refused(
        lambda: pay_profile_update(
            staff=own, union_member=True, bank_account="0123456789", bank_name="BIDV",
            actor=world.clerk,
        ),
        None,
        "về chính mình",
    )  # fmt: skip


def test_correcting_keeps_the_kind_and_is_attributed(world):
    row = allowance_assign(
        staff=world.staff_in_a1, values=values("TRACHNHIEM", "0.2"), actor=world.clerk
    )
    refused(
        lambda: allowance_correct(
            assignment=row, values=values("DOCHAI", "0.2"), actor=world.admin
        ),
        "allowance_type",
        "không thể đổi loại",
    )
    allowance_correct(
        assignment=row, values=values("TRACHNHIEM", "0.3", note="Sửa mức"), actor=world.admin
    )
    row.refresh_from_db()
    assert (row.value, row.note) == (D("0.3"), "Sửa mức")
    event = events(AllowanceAssignment)[-1]
    assert (event.pgh_label, event.pgh_context["user"], event.pgh_context["reason"]) == (
        "update",
        world.admin.pk,
        "Sửa phụ cấp",
    )


def test_ending_an_allowance_and_its_refusals(world):
    row = allowance_assign(
        staff=world.staff_in_a1, values=values("TRACHNHIEM", "0.2"), actor=world.clerk
    )
    refused(
        lambda: allowance_end(assignment=row, valid_to=DAY(2025, 12, 1), actor=world.clerk),
        "valid_to",
        "Đến ngày: phụ cấp bắt đầu từ 01/01/2026",
    )
    allowance_end(assignment=row, valid_to=DAY(2026, 8, 31), actor=world.clerk)
    row.refresh_from_db()
    assert row.valid_to == DAY(2026, 8, 31)
    assert events(AllowanceAssignment)[-1].pgh_context["reason"] == "Kết thúc phụ cấp"


def lock_month(world, year, month):
    run = runs.payroll_run_open(unit=world.unit_a1, year=year, month=month, actor=world.clerk)
    runs.payroll_run_compute(run=run, actor=world.clerk)
    runs.payroll_run_approve(run=run, actor=world.head)
    runs.payroll_run_lock(run=run, actor=world.clerk)
    return run


def test_a_paid_allowance_is_never_removed_but_a_mistaken_one_is(world):
    person = world.staff_in_a1
    approved_record(person, rank_code="01.003", step=3, effective=DAY(2025, 1, 1))
    paid = allowance_assign(
        staff=person, values=values("TRACHNHIEM", "0.2", start=DAY(2026, 6, 1)), actor=world.clerk
    )
    mistaken = allowance_assign(
        staff=person, values=values("DOCHAI", "0.1", start=DAY(2026, 8, 1)), actor=world.clerk
    )
    lock_month(world, 2026, 7)
    refused(
        lambda: allowance_remove(assignment=paid, reason="Ghi nhầm", actor=world.clerk),
        None,
        "đã khóa bảng lương",
    )
    refused(
        lambda: allowance_remove(assignment=mistaken, reason="  ", actor=world.clerk),
        "reason",
        "Lý do:",
    )
    allowance_remove(assignment=mistaken, reason="Ghi nhầm người", actor=world.clerk)
    assert list(AllowanceAssignment.objects.filter(staff=person)) == [paid]
    event = events(AllowanceAssignment)[-1]
    assert (event.pgh_label, event.pgh_context["user"], event.pgh_context["reason"]) == (
        "delete",
        world.clerk.pk,
        "Xóa phụ cấp: Ghi nhầm người",
    )


def test_the_locked_months_of_a_person_decide_what_counts_as_paid(world):
    from payroll.selectors.pay_inputs import covers_locked_month, locked_periods

    person = world.staff_in_a1
    approved_record(person, rank_code="01.003", step=3, effective=DAY(2025, 1, 1))
    lock_month(world, 2026, 7)
    periods = locked_periods(person.pk)
    assert periods == {202607}
    assert locked_periods(world.staff_in_b.pk) == set()
    assert covers_locked_month(DAY(2026, 7, 31), None, periods)
    assert covers_locked_month(DAY(2020, 1, 1), DAY(2026, 7, 1), periods)
    assert not covers_locked_month(DAY(2026, 8, 1), None, periods)
    assert not covers_locked_month(DAY(2026, 1, 1), DAY(2026, 6, 30), periods)


# --- Dependants -----------------------------------------------------------------------------


def child(**changes) -> DependantValues:
    fields = {
        "full_name": "  Nguyễn   Minh Khôi ",
        "relation": "child",
        "from_month": DAY(2026, 3, 17),
        "birth_date": DAY(2020, 5, 2),
        "tax_code": "037220000123",
    }
    return DependantValues(**(fields | changes))


def test_a_dependant_is_registered_from_the_first_day_of_a_month(world):
    dependant = dependant_register(staff=world.staff_in_a1, values=child(), actor=world.clerk)
    dependant.refresh_from_db()
    assert (dependant.full_name, dependant.from_month, dependant.to_month) == (
        "Nguyễn Minh Khôi",
        DAY(2026, 3, 1),
        None,
    )
    (event,) = events(Dependant)
    assert (event.pgh_context["user"], event.pgh_context["reason"]) == (
        world.clerk.pk,
        "Đăng ký người phụ thuộc",
    )


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"full_name": "  "}, "full_name", "Họ và tên: hãy nhập họ tên"),
        ({"relation": "cousin"}, "relation", "Quan hệ:"),
        ({"to_month": DAY(2026, 1, 1)}, "to_month", "Đến tháng: 01/2026 trước tháng bắt đầu"),
        ({"from_month": DAY(2020, 1, 1)}, "from_month", "phụ thuộc sinh tháng 05/2020"),
        ({"birth_date": DAY(2099, 1, 1)}, "birth_date", "Ngày sinh: ngày này ở tương lai"),
        ({"tax_code": "8012345678"}, "tax_code", "Mã số thuế hoặc số định danh cá nhân:"),
        ({"tax_code": "12345"}, "tax_code", "10 chữ số"),
    ],
)  # fmt: skip
def test_dependant_refusals_name_the_field(world, changes, field, fragment):
    refused(
        lambda: dependant_register(
            staff=world.staff_in_a1, values=child(**changes), actor=world.clerk
        ),
        field,
        fragment,
    )


def test_a_dependant_counts_once_for_the_person_and_for_one_taxpayer_only(world):
    dependant_register(
        staff=world.staff_in_a1, values=child(to_month=DAY(2026, 12, 1)), actor=world.clerk
    )
    refused(
        lambda: dependant_register(
            staff=world.staff_in_a1, values=child(tax_code=""), actor=world.clerk
        ),
        "full_name",
        "đã được đăng ký là người phụ thuộc của người này",
    )
    refused(
        lambda: dependant_register(
            staff=world.staff_in_a, values=child(full_name="Nguyễn Khôi"), actor=world.clerk
        ),
        "tax_code",
        "đã được đăng ký cho một cán bộ khác",
    )
    # After the first registration ends, another taxpayer may claim the dependant.
    dependant_register(
        staff=world.staff_in_a, values=child(from_month=DAY(2027, 1, 1)), actor=world.clerk
    )


def test_correcting_and_ending_a_dependant(world):
    dependant = dependant_register(staff=world.staff_in_a1, values=child(), actor=world.clerk)
    dependant_correct(
        dependant=dependant, values=child(full_name="Nguyễn Minh Khôi Nguyên"), actor=world.admin
    )
    refused(
        lambda: dependant_end(dependant=dependant, to_month=DAY(2026, 2, 1), actor=world.clerk),
        "to_month",
        "Đến tháng: 02/2026 trước tháng bắt đầu (03/2026)",
    )
    dependant_end(dependant=dependant, to_month=DAY(2026, 9, 30), actor=world.clerk)
    dependant.refresh_from_db()
    assert (dependant.full_name, dependant.to_month) == ("Nguyễn Minh Khôi Nguyên", DAY(2026, 9, 1))
    reasons = [event.pgh_context["reason"] for event in events(Dependant)]
    assert reasons == [
        "Đăng ký người phụ thuộc",
        "Sửa người phụ thuộc",
        "Kết thúc giảm trừ người phụ thuộc",
    ]


# --- Union membership and bank account ------------------------------------------------------


def test_the_pay_profile_is_created_then_kept_unless_changed(world):
    person = world.staff_in_a1
    profile = pay_profile_update(
        staff=person,
        union_member=True,
        bank_account="1903 6688 8012-34",
        bank_name="Ngân hàng TMCP Kỹ thương Việt Nam",
        actor=world.clerk,
    )
    assert (profile.union_member, profile.bank_account) == (True, "19036688801234")
    pay_profile_update(staff=person, union_member=False, actor=world.clerk)  # account kept
    profile.refresh_from_db()
    assert (profile.union_member, profile.bank_account) == (False, "19036688801234")
    pay_profile_update(
        staff=person, union_member=False, bank_account="", bank_name="", actor=world.clerk
    )
    profile.refresh_from_db()
    assert (profile.bank_account, profile.bank_name) == ("", "")
    assert {event.pgh_context["reason"] for event in events(PayProfile)} == {
        "Đoàn viên công đoàn và tài khoản ngân hàng"
    }


@pytest.mark.parametrize(
    ("account", "bank", "field", "fragment"),
    [
        ("12AB5678", "BIDV", "bank_account", "Số tài khoản ngân hàng: hãy nhập từ 6 đến 32 chữ số"),
        ("12345", "BIDV", "bank_account", "từ 6 đến 32 chữ số"),
        ("0123456789", "", "bank_name", "Ngân hàng: hãy ghi tên ngân hàng"),
        ("", "BIDV", "bank_account", "hoặc để trống ngân hàng"),
    ],
)
def test_bank_account_refusals(world, account, bank, field, fragment):
    refused(
        lambda: pay_profile_update(
            staff=world.staff_in_a1,
            union_member=True,
            bank_account=account,
            bank_name=bank,
            actor=world.clerk,
        ),
        field,
        fragment,
    )
