"""Payroll outputs read back: the payslip PDF (pdftotext), the register, the bank transfer list
and the contributions summary (openpyxl), who may download them, and the access log."""

import datetime
import io
import subprocess
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hrms.lib.money import format_vnd
from payroll.exporters.common import FUND_LABELS, stored_lines
from payroll.exporters.payslip_pdf import PayslipPDF, payslip_data, payslip_queryset
from payroll.exporters.register import RegisterExport
from payroll.models import PayrollRun, Payslip
from personnel.models import AccessLogEntry
from tests.payroll import payroll_world
from tests.payroll.payroll_world import FORMULA_NAME

D = Decimal


@pytest.fixture
def pay(world):
    return payroll_world.build(world)


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def line_with(text: str, *parts: str) -> str | None:
    """The first line of ``text`` holding every one of ``parts``."""
    return next((line for line in text.splitlines() if all(p in line for p in parts)), None)


def slip_of(run, staff) -> Payslip:
    return payslip_queryset().get(run=run, staff=staff)


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return b"".join(response.streaming_content)


# --- The payslip PDF ---------------------------------------------------------------------------


def test_the_payslip_prints_every_line_the_arrears_per_month_each_fund_and_the_net(world, pay):
    slip = slip_of(pay.august, pay.example)
    content = PayslipPDF(
        payslip_data(slip), extracted_by="Kế toán", extracted_at=timezone.localtime()
    ).render()
    text = pdf_text(content)
    assert "PHIẾU LƯƠNG THÁNG 08/2026" in text
    assert line_with(text, "Họ và tên", "Trần Thị Bình", slip.staff.staff_number)
    assert line_with(text, "Ngạch", "01.003", "Bậc: 4", "Hệ số lương: 3,33")
    assert line_with(text, "Ngày công chuẩn", "21", "hưởng lương: 21")
    lines = stored_lines(slip.lines)
    own = [item for item in lines if item.period is None]
    assert {item.code for item in own} == {"LUONG", "PCCV", "CONGVU", "KHUVUC"}
    # every line on one printed line with its amount: 3.33 × 2,530,000 = 8,424,900
    assert line_with(text, "Lương theo ngạch, bậc", "8.424.900 đ")
    for item in own:
        assert line_with(text, item.display_label, format_vnd(item.amount)), item
    # the arrears of June and July, each under the month it belongs to
    june_at = text.index("Truy lĩnh tháng 06/2026")
    july_at = text.index("Truy lĩnh tháng 07/2026")
    assert june_at < july_at
    assert "772.200 đ" in text[june_at:july_at] and "193.050 đ" in text[june_at:july_at]
    assert "834.900 đ" in text[july_at:] and "208.725 đ" in text[july_at:]
    # the employee's contributions per fund, the back contributions per month, tax, net
    assert line_with(text, "hưu trí", format_vnd(D(slip.contributions[0][1])))
    health = next(c for c in slip.contributions if c[0] == "health")
    assert line_with(text, "Bảo hiểm y tế", format_vnd(D(health[1])))
    assert "Truy đóng bảo hiểm tháng 06/2026" in text
    assert line_with(text, "hưu trí", "61.776 đ")  # 8% of June's 772,200
    assert line_with(text, "Thuế thu nhập cá nhân", format_vnd(slip.personal_income_tax))
    assert line_with(text, "Tổng thu nhập", format_vnd(slip.gross))
    assert line_with(text, "THỰC LĨNH", format_vnd(slip.net))
    assert slip.net == slip.gross - slip.employee_insurance - slip.employee_back_contributions - (
        slip.union_dues + slip.personal_income_tax
    )
    assert "chưa khóa sổ" not in text  # a locked month
    assert "Trích xuất từ hệ thống tiền lương bởi Kế toán" in text


def test_a_payslip_of_a_month_not_yet_approved_says_so_and_prints_union_dues(world):
    pay = payroll_world.build(world, lock_august=False)
    slip = slip_of(pay.august, pay.own)
    assert slip.union_dues > 0
    text = pdf_text(
        PayslipPDF(payslip_data(slip), extracted_by="x", extracted_at=timezone.localtime()).render()
    )
    assert "chưa khóa sổ – trạng thái: Đã tính, chờ duyệt" in text
    assert line_with(text, "Đoàn phí công đoàn", format_vnd(slip.union_dues))


# --- Who gets a payslip --------------------------------------------------------------------------


def test_staff_get_their_own_payslip_and_nobody_elses(world, pay, client_for):
    own_slip = slip_of(pay.august, pay.own)
    other_slip = slip_of(pay.august, pay.example)
    client = client_for(world.staff_user)
    response = client.get(reverse("payroll:payslip_pdf", args=[own_slip.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert "Lê Thị Cúc" in pdf_text(body)
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.PAYSLIP)
    assert (entry.user, entry.staff, entry.detail) == (
        world.staff_user, pay.own, {"run": pay.august.pk, "month": "2026-08"}
    )  # fmt: skip
    assert client.get(reverse("payroll:payslip_pdf", args=[other_slip.pk])).status_code == 404
    assert client.get(reverse("payroll:payslip_pdf", args=[999_999])).status_code == 404
    outsider = client_for(world.outsider)
    assert outsider.get(reverse("payroll:payslip_pdf", args=[own_slip.pk])).status_code == 404
    assert AccessLogEntry.objects.filter(action="payslip").count() == 1


def test_staff_see_their_payslip_only_once_the_month_is_approved(world, client_for):
    pay = payroll_world.build(world, lock_august=False)
    computed = slip_of(pay.august, pay.own)
    locked = slip_of(pay.july, pay.own)
    staff = client_for(world.staff_user)
    assert staff.get(reverse("payroll:payslip_pdf", args=[computed.pk])).status_code == 404
    page = staff.get(reverse("payroll:staff_payslips", args=[pay.own.pk]))
    assert page.status_code == 200
    shown = [slip.pk for slip in page.context["payslips"]]
    assert shown == [locked.pk, slip_of(pay.june, pay.own).pk]
    html = page.content.decode()
    assert reverse("payroll:payslip_pdf", args=[locked.pk]) in html
    assert reverse("payroll:payslip_pdf", args=[computed.pk]) not in html
    # the clerk in scope sees the month being prepared too
    clerk = client_for(world.clerk)
    clerk_page = clerk.get(reverse("payroll:staff_payslips", args=[pay.own.pk]))
    assert [slip.pk for slip in clerk_page.context["payslips"]][0] == computed.pk
    assert clerk.get(reverse("payroll:payslip_pdf", args=[computed.pk])).status_code == 200
    # and the staff member reaches the list from their record's tabs
    record = staff.get(reverse("payroll:staff_salary", args=[pay.own.pk])).content.decode()
    assert reverse("payroll:staff_payslips", args=[pay.own.pk]) in record
    outsider = client_for(world.outsider)
    assert outsider.get(reverse("payroll:staff_payslips", args=[pay.own.pk])).status_code == 404


# --- The register --------------------------------------------------------------------------------


def register_sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def header_index(sheet) -> tuple[int, dict[str, int]]:
    """The first row after the column headings, and each heading's column (0-based): a
    grouped column as "group/heading", and by its heading alone where that is unique."""
    rows = list(sheet.iter_rows(values_only=True))
    top = next(i for i, row in enumerate(rows) if row and row[0] == "STT")
    columns: dict[str, int] = {}
    seen: defaultdict[str, int] = defaultdict(int)
    group = None
    for index, (upper, lower) in enumerate(zip(rows[top], rows[top + 1], strict=False)):
        if lower is None:
            columns[upper] = index
            group = None
            continue
        group = upper or group  # a merged group heading is read in its first cell only
        columns[f"{group}/{lower}"] = index
        seen[lower] += 1
        columns.setdefault(lower, index)
    for heading, count in seen.items():
        if count > 1:
            del columns[heading]
    return top + 2, columns


def test_the_register_groups_by_unit_with_totals_equal_to_the_payslips(world, pay, client_for):
    client = client_for(world.head)
    content = download(client, reverse("payroll:run_register", args=[pay.august.pk]))
    sheet = register_sheet(content)
    rows = list(sheet.iter_rows(values_only=True))
    first, col = header_index(sheet)
    assert rows[2][0] == "BẢNG THANH TOÁN TIỀN LƯƠNG VÀ CÁC KHOẢN PHỤ CẤP THEO LƯƠNG"
    assert rows[3][0] == "Tháng 08 năm 2026"
    assert "C02a-HD" in rows[0][col["Ký nhận"] - 5]
    assert {"Truy lĩnh tháng 06/2026", "Truy lĩnh tháng 07/2026"} <= set(col)

    slips = {slip.staff.full_name: slip for slip in payslip_queryset().filter(run=pay.august)}
    body = rows[first:]
    units = [row[0] for row in body if row[0] and isinstance(row[0], str)]
    assert units[:2] == ["Trường A1", "Tổ văn phòng A1"]  # tree order
    people = [row for row in body if isinstance(row[0], int)]
    assert {row[col["Họ và tên"]] for row in people} == set(slips)
    amount_columns = {
        index for index in col.values()
        if col["Ngày công hưởng lương"] < index < col["Tổng thu nhập"]
    }  # fmt: skip
    for row in people:
        slip = slips[row[col["Họ và tên"]]]
        # every line is in some column: the amounts add up to the gross
        assert sum(D(str(row[i] or 0)) for i in amount_columns) == slip.gross
        assert row[col["Tổng thu nhập"]] == slip.gross
        assert row[col["Số tiền thực lĩnh"]] == slip.net
        assert row[col["Thuế TNCN"]] == slip.personal_income_tax
        assert row[col["Cộng khấu trừ"]] == slip.gross - slip.net
        assert row[col["Mã ngạch"]] == slip.rank_code
    example = next(row for row in people if row[col["Họ và tên"]] == pay.example.full_name)
    assert example[col["Truy lĩnh tháng 06/2026"]] == 772_200 + 193_050
    assert example[col["Truy lĩnh tháng 07/2026"]] == 834_900 + 208_725
    assert example[col["Truy đóng BH"]] == slips[pay.example.full_name].employee_back_contributions
    assert D(str(example[col["Hệ số/Lương"]])) == D("3.33")
    assert D(str(example[col["Hệ số/PC chức vụ"]])) == D("0.25")
    assert example[col["Hệ số/PC thâm niên vượt khung"]] is None
    assert D(str(example[col["Hệ số/PC khác"]])) == D("0.2")  # the area allowance
    assert D(str(example[col["Hệ số/Cộng hệ số"]])) == D("3.78")

    # totals per unit and the grand total are the sums of the payslips
    def total_row(label):
        return next(row for row in body if row[1] == label)

    by_unit = defaultdict(list)
    for slip in slips.values():
        by_unit[slip.unit.name].append(slip)
    for unit_name, unit_slips in by_unit.items():
        row = total_row(f"Cộng {unit_name}")
        for heading, field in (("Tổng thu nhập", "gross"), ("Số tiền thực lĩnh", "net"),
                               ("Thuế TNCN", "personal_income_tax"),
                               ("Đoàn phí công đoàn", "union_dues")):  # fmt: skip
            assert (row[col[heading]] or 0) == sum(getattr(s, field) for s in unit_slips)
    grand = total_row("TỔNG CỘNG")
    august = pay.august
    assert grand[col["Tổng thu nhập"]] == august.gross
    assert grand[col["Số tiền thực lĩnh"]] == august.net
    assert grand[col["BHXH"]] + grand[col["BHYT"]] + (grand[col["BHTN"]] or 0) == (
        august.employee_insurance
    )
    assert grand[col["Truy lĩnh tháng 06/2026"]] + grand[col["Truy lĩnh tháng 07/2026"]] == (
        august.arrears
    )
    # a name that a spreadsheet would take for a formula stays text
    cells = [c for row in sheet.iter_rows() for c in row if c.value == FORMULA_NAME]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.EXPORT_PAYROLL)
    assert entry.user == world.head
    assert entry.detail == {"run": august.pk, "output": "register", "rows": 3}


def test_a_month_without_arrears_has_no_arrears_columns(world, pay):
    handle = io.BytesIO()
    totals = RegisterExport(pay.june).write(handle)
    _first, col = header_index(register_sheet(handle.getvalue()))
    assert not [name for name in col if name and str(name).startswith("Truy lĩnh")]
    assert totals.headcount == 3 and totals.grand["net"] == pay.june.net


# --- The bank transfer list --------------------------------------------------------------------


def test_the_bank_list_lists_accounts_as_text_and_people_without_one_apart(world, pay, client_for):
    client = client_for(world.clerk)
    book = load_workbook(
        io.BytesIO(download(client, reverse("payroll:run_bank_list", args=[pay.august.pk])))
    )
    transfers, others = book.worksheets
    rows = list(transfers.iter_rows(values_only=True))
    own = slip_of(pay.august, pay.own)
    office = slip_of(pay.august, pay.clerk_of_office)
    listed = {row[1]: row for row in rows if isinstance(row[0], int)}
    assert set(listed) == {pay.own.full_name, FORMULA_NAME}
    assert listed[pay.own.full_name][3] == "0123456789"  # leading zero kept: text
    assert listed[pay.own.full_name][5] == own.net
    assert listed[FORMULA_NAME][3] == "9704000011112222"
    total = next(row for row in rows if row[1] and str(row[1]).startswith("Cộng: 2 người"))
    assert total[5] == own.net + office.net
    missing = [row for row in others.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert [(row[1], row[5], row[7]) for row in missing] == [
        (pay.example.full_name, slip_of(pay.august, pay.example).net,
         "Chưa có tài khoản ngân hàng"),
    ]  # fmt: skip
    logged = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.EXPORT_BANK)
    assert {entry.staff_id for entry in logged} == {pay.own.pk, pay.example.pk,
                                                    pay.clerk_of_office.pk}  # fmt: skip
    assert all(entry.user == world.clerk for entry in logged)


# --- The contributions summary -----------------------------------------------------------------


def test_the_contributions_summary_sums_each_fund_per_unit_and_back_contributions_per_month(
    world, pay, client_for
):
    client = client_for(world.admin)
    book = load_workbook(
        io.BytesIO(download(client, reverse("payroll:run_contributions", args=[pay.august.pk])))
    )
    month, back = book.worksheets
    rows = list(month.iter_rows(values_only=True))
    top = next(i for i, row in enumerate(rows) if row[0] == "STT")
    funds = [label for label in rows[top][5:] if label]
    assert funds[:6] == [FUND_LABELS[f] for f in FUND_LABELS]
    slips = list(Payslip.objects.filter(run=pay.august).select_related("unit"))

    def expected(unit_slips):
        shares = defaultdict(lambda: [D(0), D(0)])
        for slip in unit_slips:
            for fund, employee, employer in slip.contributions:
                shares[fund][0] += D(employee)
                shares[fund][1] += D(employer)
        return shares

    for row in rows[top + 2 :]:
        if row[1] == "TỔNG CỘNG":
            unit_slips = slips
        elif isinstance(row[0], int):
            unit_slips = [s for s in slips if s.unit.name == row[1]]
        else:
            continue
        shares = expected(unit_slips)
        assert row[2] == len(unit_slips)
        assert row[3] == sum(s.insurance_base for s in unit_slips)
        for position, fund in enumerate(FUND_LABELS):
            employee, employer = shares[fund.value]
            assert (row[5 + 2 * position] or 0, row[6 + 2 * position] or 0) == (employee, employer)
        assert row[5 + 2 * 6] == sum(s.employee_insurance for s in unit_slips)
        assert row[6 + 2 * 6] == sum(s.employer_insurance for s in unit_slips)
    assert any(row[1] == "TỔNG CỘNG" for row in rows)
    back_rows = list(back.iter_rows(values_only=True))
    example = slip_of(pay.august, pay.example)
    for year, month_number in ((2026, 6), (2026, 7)):
        label = f"{month_number:02d}/{year}"
        row = next(r for r in back_rows if r[2] == label)
        assert row[1] == "Trường A1"
        expected_back = {
            fund: (D(e), D(r)) for fund, e, r, y, m in example.back_contributions
            if (y, m) == (year, month_number)
        }  # fmt: skip
        assert (row[3], row[4]) == expected_back["retirement"]
    assert next(r for r in back_rows if r[2] == "06/2026")[3] == 61_776


# --- Access to the run's lists -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["run_register", "run_bank_list", "run_contributions"])
def test_the_runs_lists_need_the_export_permission_on_its_unit(world, pay, client_for, name):
    url = reverse(f"payroll:{name}", args=[pay.august.pk])
    for user in (world.staff_user, world.outsider, world.nobody):
        assert client_for(user).get(url).status_code == 404
    assert not AccessLogEntry.objects.exists()
    response = client_for(world.head).get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    b"".join(response.streaming_content)


def test_the_run_outputs_include_offers_the_lists_and_the_bulk_button(world, pay, client_for):
    page = client_for(world.clerk).get(reverse("payroll:run_outputs", args=[pay.august.pk]))
    html = page.content.decode()
    for name in ("run_register", "run_bank_list", "run_contributions", "run_payslips_export"):
        assert reverse(f"payroll:{name}", args=[pay.august.pk]) in html
    # the include renders nothing for someone who may not export the run
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = world.staff_user
    template = Template("{% load payroll_outputs %}{% run_outputs run %}")
    assert template.render(Context({"request": request, "run": pay.august})).strip() == ""


# --- The command -------------------------------------------------------------------------------


def test_the_command_computes_the_draft_prints_totals_and_writes_the_register(world, pay, tmp_path):
    out = io.StringIO()
    call_command(
        "payroll_run", "--unit", "A1", "--month", "2026-09", stdout=out, stderr=io.StringIO()
    )
    september = PayrollRun.objects.get(unit=world.unit_a1, year=2026, month=9)
    assert september.status == "computed" and september.headcount == 3
    text = out.getvalue()
    assert "A1" in text and "09/2026" in text
    for value in (september.gross, september.employee_insurance, september.employer_insurance,
                  september.personal_income_tax, september.net):  # fmt: skip
        assert format_vnd(value) in text
    target = tmp_path / "bang-luong.xlsx"
    call_command(
        "payroll_run", "--unit", "A1", "--month", "2026-08", "--format", "xlsx", "--out",
        str(target), stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    sheet = register_sheet(target.read_bytes())
    _first, col = header_index(sheet)
    grand = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "TỔNG CỘNG")
    assert grand[col["Số tiền thực lĩnh"]] == pay.august.net  # locked: printed as it stands
    assert PayrollRun.objects.get(pk=pay.august.pk).status == "locked"


def test_the_command_names_an_unknown_unit(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No current unit"):
        call_command("payroll_run", "--unit", "NOPE", "--month", "2026-07")
    with pytest.raises(CommandError, match="--out"):
        call_command("payroll_run", "--unit", "A1", "--month", "2026-07", "--format", "xlsx")


def test_today_is_not_needed_for_a_register(world, pay):
    """A register written twice holds the same figures (no recomputation)."""
    first, second = io.BytesIO(), io.BytesIO()
    now = datetime.datetime(2026, 9, 1, 8, 0)
    RegisterExport(pay.august, now=now).write(first)
    RegisterExport(pay.august, now=now).write(second)
    values = [
        list(register_sheet(b.getvalue()).iter_rows(values_only=True)) for b in (first, second)
    ]
    assert values[0] == values[1]


def test_the_payslip_list_takes_no_query_per_month(
    world, pay, client_for, django_assert_max_num_queries
):
    """Session, user, permissions (3), the own record and its unit, the record, its payslips
    with their runs, the session save (3): 12 whatever the number of months listed."""
    url = reverse("payroll:staff_payslips", args=[pay.own.pk])
    for user in (world.staff_user, world.clerk):
        client = client_for(user)
        client.get(url)  # the session warms
        with django_assert_max_num_queries(13):  # 12, and the notifications badge
            assert len(client.get(url).context["payslips"]) == 3
