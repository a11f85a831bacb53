"""The insurance screens: the clerk's month, the D02-LT download, a person's history (their own
for staff, nobody else's), editing the card and recording maternity leave, the unit's
registration, the template and the command line."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insurance.exporters.d02lt import ChangeListExport
from insurance.exporters.layout import DEFAULT_LAYOUT
from insurance.exporters.register import register_workbook
from insurance.models import InsuranceProfile, InsuranceUnit, ReportTemplate
from insurance.selectors.register import register
from insurance.selectors.templates import d02lt_layout
from personnel import services as personnel_services
from personnel.models import AccessLogEntry, Staff
from tests.factories import StaffFactory
from tests.insurance.conftest import changes_of, register_of, salary


@pytest.fixture
def august(recruited):
    """Trần Thị Bình moves from A1 to B1 on 15 July 2026: a decrease in A1 in August."""
    world = recruited
    for person in (world.staff_in_a1, world.own_record, world.staff_in_b):
        salary(person)
    personnel_services.staff_transfer(
        staff_id=world.staff_in_a1.pk, expected_version=None, to_unit=world.unit_b1,
        effective_date=datetime.date(2026, 7, 15), actor=world.admin,
    )  # fmt: skip
    return world


def month_url(name, unit, month="08/2026"):
    return f"{reverse(name)}?unit={unit.pk}&month={month}"


def test_the_clerks_month_shows_the_changes_with_why(august, client_for):
    world = august
    client = client_for(world.clerk)
    response = client.get(month_url("insurance:month", world.unit_a))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Giảm: dừng tham gia" in page
    assert "Chuyển công tác đến Trường B1 từ 15/07/2026" in page
    assert "Phạm Văn Dũng" not in page  # B's people are not the clerk's
    assert reverse("insurance:d02lt_export") in page
    assert "Nhập và đối chiếu" in page  # the clerk may import the statement


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_people(world, count: int) -> None:
    """People recruited in August and people retiring in August, in A1."""
    for number in range(count):
        person = StaffFactory(unit=world.unit_a1, recruitment_date=datetime.date(2026, 8, 3))
        salary(person)
        other = StaffFactory(unit=world.unit_a1, recruitment_date=datetime.date(2010, 1, 4))
        salary(other, step=2 + number % 2)
        personnel_services.staff_status_change(
            staff_id=other.pk, expected_version=None, kind="retirement",
            effective_date=datetime.date(2026, 8, 1), actor=world.clerk,
        )  # fmt: skip


def test_the_months_page_reads_a_fixed_number_of_queries_whatever_the_people(august, client_for):
    world = august
    client = client_for(world.clerk)
    url = month_url("insurance:month", world.unit_a)
    _more_people(world, 2)
    client.get(url)  # the first visit builds everyone's periods
    before = _queries(client, url)
    assert before <= 130
    _more_people(world, 6)
    client.get(url)
    assert _queries(client, url) == before


def test_the_heads_month_has_the_files_but_no_import(august, client_for):
    page = client_for(august.head).get(month_url("insurance:month", august.unit_a)).content
    assert reverse("insurance:d02lt_export").encode() in page
    assert "Nhập và đối chiếu".encode() not in page


def test_a_unit_outside_ones_scope_answers_404(august, client_for):
    client = client_for(august.clerk)
    for name in ("insurance:month", "insurance:register", "insurance:d02lt_export"):
        assert client.get(month_url(name, august.unit_b)).status_code == 404


def test_a_bad_month_names_the_field(august, client_for):
    response = client_for(august.clerk).get(month_url("insurance:month", august.unit_a, "13/2026"))
    assert response.status_code == 200
    assert "Tháng: nhập theo dạng MM/YYYY" in response.content.decode()


def test_the_d02lt_download_is_the_months_change_list_and_is_logged(august, client_for):
    world = august
    response = client_for(world.clerk).get(month_url("insurance:d02lt_export", world.unit_a))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="D02-LT-A-2026-08.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    text = " ".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
        if value is not None
    )  # fmt: skip
    assert "Trần Thị Bình" in text and "Chuyển công tác đến Trường B1" in text
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.EXPORT_LIST)
    assert entry.user == world.clerk
    assert entry.detail == {"report": "D02-LT", "unit": "A", "month": "08/2026", "rows": 1}


def test_the_register_page_and_file(august, client_for):
    world = august
    client = client_for(world.head)
    page = client.get(month_url("insurance:register", world.unit_a, "07/2026")).content.decode()
    assert "Trần Thị Bình" in page and "7.590.000 đ" in page
    response = client.get(month_url("insurance:register_export", world.unit_a, "07/2026"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tong hop", "Danh sach dong BHXH"]
    rows = list(book["Danh sach dong BHXH"].iter_rows(values_only=True))
    assert {row[2] for row in rows[1:]} == {"Nguyễn Văn An", "Trần Thị Bình", "Lê Thị Cúc"}
    unpaid = next(row for row in rows if row[2] == "Nguyễn Văn An")  # no salary decision
    assert "chưa có tiền lương đóng" in unpaid[-1]


def test_staff_see_their_own_insurance_history_and_nobody_elses(august, client_for):
    world = august
    own = world.own_record
    InsuranceProfile.objects.create(
        staff=own, health_card_number="GD4797931234567", hospital_name="Bệnh viện tỉnh",
        hospital_code="99001",
    )  # fmt: skip
    client = client_for(world.staff_user)
    mine = client.get(reverse("insurance:mine"))
    assert mine.status_code == 302 and mine.url == reverse("insurance:staff", args=[own.pk])
    page = client.get(mine.url).content.decode()
    for text in ("GD4797931234567", "Bệnh viện tỉnh (99001)", "Trường A1", "01/09/2015",
                 "Tuyển dụng", "7.590.000 đ", "721.050 đ", "tính từ quyết định lương"):  # fmt: skip
        assert text in page, text
    assert "Sửa thẻ BHYT" not in page  # read-only for themselves
    for other in (world.staff_in_a1, world.staff_in_b):
        assert client.get(reverse("insurance:staff", args=[other.pk])).status_code == 404
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.VIEW, staff=own)
    assert (entry.user, entry.detail) == (world.staff_user, {"page": "insurance"})


def test_the_clerk_edits_the_card_and_a_bad_value_saves_nothing(recruited, client_for):
    world = recruited
    person = world.staff_in_a1
    client = client_for(world.clerk)
    url = reverse("insurance:staff_edit", args=[person.pk])
    bad = client.post(url, {"health_card_number": "GD47", "hospital_code": "7902",
                            "hospital_name": "BV"})  # fmt: skip
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "Số thẻ BHYT có 15 ký tự" in text and "có đúng 5 chữ số" in text
    assert not InsuranceProfile.objects.filter(staff=person).exists()
    good = client.post(url, {"health_card_number": "gd4797931234567", "hospital_code": "79024",
                             "hospital_name": "BV Chợ Rẫy", "book_held_by_unit": "on"})  # fmt: skip
    assert good.status_code == 302
    profile = InsuranceProfile.objects.get(staff=person)
    assert (profile.health_card_number, profile.hospital_code, profile.book_held_by_unit) == (
        "GD4797931234567", "79024", True,
    )  # fmt: skip
    event = profile.events.order_by("pgh_id").last()
    assert event.pgh_context.metadata["user"] == world.clerk.pk
    assert event.health_card_number == "GD4797931234567"


def test_maternity_leave_recorded_by_the_clerk_is_a_decrease_then_an_increase(
    recruited, client_for
):
    world = recruited
    person = world.own_record
    Staff.objects.filter(pk=person.pk).update(sex=Staff.Sex.FEMALE)
    salary(person)
    response = client_for(world.clerk).post(
        reverse("insurance:absence_new", args=[person.pk]),
        {"kind": "maternity", "start": "03/08/2026", "end": "02/02/2027", "decision": "GCN 12"},
    )
    assert response.status_code == 302
    august = changes_of(2026, 8)
    stop = next(c for c in august.changes if c.staff_id == person.pk)
    assert (stop.kind, stop.reason) == ("stop", "Nghỉ thai sản từ 03/08/2026")
    # back on 3 February 2027: 1 working day before it, February counts again
    back = next(c for c in changes_of(2027, 2).changes if c.staff_id == person.pk)
    assert (back.kind, back.reason) == ("join", "Trở lại làm việc ngày 03/02/2027")
    overlapping = client_for(world.clerk).post(
        reverse("insurance:absence_new", args=[person.pk]),
        {"kind": "sick_leave", "start": "01/09/2026"},
    )
    assert "trùng với thời gian nghỉ đã ghi nhận" in overlapping.content.decode()


def test_the_clerk_records_the_units_insurance_code(world, client_for):
    client = client_for(world.clerk)
    url = reverse("insurance:unit_registration", args=[world.unit_a1.pk])
    bad = client.post(url, {"code": "x", "office": "BHXH", "address": ""})
    assert "Mã đơn vị BHXH có từ 2 đến 10" in bad.content.decode()
    assert (
        client.post(url, {"code": "ta0101a", "office": "BHXH tỉnh", "address": "Số 1"}).status_code
        == 302
    )
    assert InsuranceUnit.objects.get(unit=world.unit_a1).code == "TA0101A"
    InsuranceUnit.objects.create(unit=world.unit_b1, code="TB0101B")
    taken = client_for(world.admin).post(
        reverse("insurance:unit_registration", args=[world.unit_a.pk]), {"code": "TB0101B"}
    )
    assert "đã được dùng cho đơn vị khác" in taken.content.decode()


def test_a_template_with_an_unknown_column_is_refused_naming_it():
    template = ReportTemplate(
        report="D02-LT", name="x", valid_from=datetime.date(2027, 1, 1),
        layout={**DEFAULT_LAYOUT, "columns": [{"key": "salary_grade", "title": "?"}]},
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        template.clean()
    assert "Cột 1: khóa phải là một trong" in " ".join(refused.value.messages)


def test_an_adjusted_template_changes_the_file(august):
    layout = {
        **DEFAULT_LAYOUT,
        "title": "DANH SÁCH ĐIỀU CHỈNH (MẪU 2027) — {unit_name}",
        "columns": [{"key": "no", "title": "TT"}, {"key": "full_name", "title": "Họ tên"},
                    {"key": "note", "title": "Lý do"}],
    }  # fmt: skip
    ReportTemplate.objects.create(
        report="D02-LT", name="Mẫu 2027", layout=layout, valid_from=datetime.date(2026, 8, 1)
    )
    used, errors = d02lt_layout(202608)
    assert used == layout and errors == []
    assert d02lt_layout(202607)[0]["title"] == DEFAULT_LAYOUT["title"]
    content = ChangeListExport(changes_of(2026, 8, [august.unit_a1.pk]), used).xlsx()
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert "DANH SÁCH ĐIỀU CHỈNH (MẪU 2027) — Trường A1" in [row[0] for row in rows]
    assert ("TT", "Họ tên", "Lý do") in rows
    assert all(len(row) == 3 for row in rows)


def test_the_command_writes_the_d02lt(august, tmp_path):
    out = tmp_path / "d02lt.xlsx"
    stderr = io.StringIO()
    call_command("insurance_report", "--unit", "A", "--month", "2026-08", "--format", "xlsx",
                 "--out", str(out), stderr=stderr)  # fmt: skip
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["A1"]
    assert "1 rows for 08/2026" in stderr.getvalue()
    stdout = io.StringIO()
    call_command("insurance_report", "--unit", "PROV", "--month", "2026-08", "--format", "json",
                 stdout=stdout, stderr=io.StringIO())  # fmt: skip
    document = json.loads(stdout.getvalue())
    found = {(u["unit"]["code"], c["kind"]) for u in document["units"] for c in u["changes"]}
    assert found == {("A1", "stop"), ("B1", "join")}
    with pytest.raises(CommandError, match="No unit"):
        call_command("insurance_report", "--unit", "NOPE", "--month", "2026-08", "--out", "x")
    with pytest.raises(CommandError, match="Not a month"):
        call_command("insurance_report", "--unit", "A", "--month", "2026-13", "--out", "x")


def test_text_that_looks_like_a_formula_stays_text_in_both_files(august):
    world = august
    Staff.objects.filter(pk=world.staff_in_a1.pk).update(full_name='=HYPERLINK("x")\x0b')
    changes = changes_of(2026, 8, [world.unit_a1.pk])
    d02lt = openpyxl.load_workbook(io.BytesIO(ChangeListExport(changes, DEFAULT_LAYOUT).xlsx()))
    found = register_of(2026, 7, [world.unit_a1.pk])
    names = {s.unit.pk: s.unit.name for s in found.summaries}
    book = openpyxl.load_workbook(io.BytesIO(register_workbook(register(
        month=202607, unit_ids=[world.unit_a1.pk], funds=True
    ))))  # fmt: skip
    for sheet in (d02lt.active, book["Danh sach dong BHXH"]):
        cell = next(c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("x")\n')
        assert cell.data_type == "s" and cell.quotePrefix, sheet.title
    assert names  # the register had its unit


def test_the_rebuild_command_rebuilds_stale_people_or_everyone(recruited):
    out = io.StringIO()
    call_command("insurance_rebuild", stdout=out)
    assert "4 people's periods changed" in out.getvalue()  # never built before
    out = io.StringIO()
    call_command("insurance_rebuild", stdout=out)
    assert out.getvalue().startswith("0 people")
    out = io.StringIO()
    call_command("insurance_rebuild", "--all", stdout=out)
    assert out.getvalue().startswith("0 people")  # rebuilt, nothing changed
