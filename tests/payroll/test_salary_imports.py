"""Salary history from a spreadsheet: the template, the dry run and its refusals, the commit
as approved past decisions attributed to the importer and the batch, the undo."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from pghistory.models import Events

from payroll.importers.salary import COLUMNS
from payroll.models import SalaryRecord
from personnel.models import ImportBatch
from personnel.services import imports

D = datetime.date
KEYS = [column.key for column in COLUMNS]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def decision(staff, **values) -> dict:
    row = {"personal_id": staff.personal_id, "full_name": staff.full_name, "rank": "01.003",
           "step": "1", "effective_date": "01/10/2010", "decision_number": "12/QĐ-UBND",
           "decision_date": "15/09/2010", "signer": "Chủ tịch UBND tỉnh"}  # fmt: skip
    row.update(values)
    return row


def xlsx(rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([column.header for column in COLUMNS])
    for row in rows:
        sheet.append([row.get(key) for key in KEYS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def batch_of(world, rows, user=None):
    return imports.import_batch_create(
        user=user or world.clerk, unit=world.unit_a1, upload=xlsx(rows),
        file_name="luong.xlsx", kind="salary",
    )  # fmt: skip


def mark_committed(batch, report) -> None:
    """What the worker records after a commit."""
    ImportBatch.objects.filter(pk=batch.pk).update(
        status="committed", report=report, committed_at=timezone.now()
    )


def refusals(report):
    return [(item["row"], item["column"], item["message"]) for item in report["refusals"]]


def test_the_template_has_vietnamese_headers_drop_downs_and_an_example(world, client_for):
    response = client_for(world.clerk).get(reverse("personnel:import_template", args=["salary"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:5] == [
        "Số định danh cá nhân (CCCD) (*)", "Họ và tên", "Mã ngạch / chức danh nghề nghiệp (*)",
        "Bậc (*)", "Ngày hưởng (*)",
    ]  # fmt: skip
    assert sheet["A2"].value == "001062000123"
    lists = [v.sqref for v in sheet.data_validations.dataValidation]
    assert {str(ref).split(":")[0] for ref in lists} == {"C2", "F2"}
    codes = workbook["DanhMuc"]
    assert "01.003" in [cell.value for cell in codes["C"]]
    assert "Nâng bậc thường xuyên" in [cell.value for cell in codes["F"]]


def test_a_dry_run_checks_the_history_oldest_first_and_writes_nothing(world):
    person = world.staff_in_a1
    rows = [
        decision(person, step="2", effective_date="01/10/2013", kind="Nâng bậc thường xuyên"),
        decision(person),
    ]
    report = imports.import_check(batch=batch_of(world, rows))
    assert (report["created"], report["refused"]) == (2, 0), report["refusals"]
    assert not SalaryRecord.objects.filter(staff=person).exists()


def test_the_commit_writes_approved_past_decisions_attributed_to_importer_and_batch(world):
    person = world.staff_in_a1
    rows = [decision(person), decision(person, step="2", effective_date="01/10/2013",
                                       leadership_coefficient="0,2")]  # fmt: skip
    batch = batch_of(world, rows)
    imports.import_check(batch=batch)
    report = imports.import_commit(batch=batch)
    assert report["created"] == 2
    first, second = SalaryRecord.objects.filter(staff=person).order_by("effective_date")
    assert (first.kind, first.status, first.step, first.coefficient) == (
        "initial", "approved", 1, Decimal("2.34"))  # fmt: skip
    assert (second.kind, second.step, second.leadership_coefficient) == (
        "regular", 2, Decimal("0.20"))  # fmt: skip
    assert second.step_since == D(2013, 10, 1)
    assert first.created_by == first.decided_by == world.clerk
    assert first.import_batch_id == batch.pk
    assert first.decision_number == "12/QĐ-UBND" and "Chủ tịch UBND tỉnh" in first.note
    events = Events.objects.filter(pgh_obj_model="payroll.SalaryRecord", pgh_obj_id=first.pk)
    assert events.get().pgh_context["import_batch"] == str(batch.pk)


def test_refusals_name_their_row_column_and_reason(world, salaries):
    a1, own, outside = world.staff_in_a1, world.own_record, world.staff_in_b
    rows = [
        decision(a1, personal_id="001099999999"),  # 2: nobody
        decision(outside),  # 3: another department
        decision(a1, rank="99.999"),  # 4: unknown rank
        decision(a1, rank="V.07.05.15", step="12", effective_date="01/12/2023"),  # 5: bad step
        decision(a1, rank="V.07.05.15", step="9", effective_date="01/01/2024"),  # 6
        decision(a1, rank="V.07.05.15", step="9", effective_date="01/01/2024"),  # 7: same date
        decision(a1, effective_date="01/01/2099"),  # 8: not in the past
        decision(a1, step="trois"),  # 9: not a number
        decision(a1, effective_date="01/06/2020"),  # 10: before the latest approved one
    ]
    # the clerk's own record is in scope but four eyes refuse it
    world.own_record.user = world.clerk
    world.own_record.save(update_fields=["user"])
    rows.append(decision(own, rank="01.005", step="5", effective_date="01/11/2025"))  # 11
    report = imports.import_check(batch=batch_of(world, rows))
    found = refusals(report)
    columns = {row: column for row, column, _m in found}
    assert report["refused"] == 9 and report["created"] == 1
    assert columns[2] == columns[3] == columns[11] == "Số định danh cá nhân (CCCD) (*)"
    assert columns[4] == "Mã ngạch / chức danh nghề nghiệp (*)"
    assert columns[5] == columns[9] == "Bậc (*)"
    assert columns[7] == columns[8] == columns[10] == "Ngày hưởng (*)"
    messages = {row: message for row, _c, message in found}
    assert "Không có hồ sơ" in messages[2]
    assert "không được thay đổi" in messages[3]
    assert "99.999" in messages[4]
    assert "1 đến" in messages[5]
    assert "dòng 6" in messages[7]
    assert "trước hôm nay" in messages[8]
    assert "02/12/2022" in messages[10] or "01/12/2022" in messages[10]
    assert "chính mình" in messages[11]
    assert report.get("_error_file")
    workbook = load_workbook(imports.settings.MEDIA_ROOT / report["_error_file"])
    assert workbook.active.cell(row=3, column=len(COLUMNS) + 1).value


def test_a_commit_that_refuses_a_row_writes_nothing(world):
    rows = [decision(world.staff_in_a1), decision(world.staff_in_b)]
    batch = batch_of(world, rows)
    with pytest.raises(imports.ImportRefused):
        imports.import_commit(batch=batch)
    assert not SalaryRecord.objects.exists()


def test_an_untouched_import_is_undone_and_a_touched_one_is_not(world, client_for):
    person = world.staff_in_a1
    batch = batch_of(world, [decision(person)])
    imports.import_check(batch=batch)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status="checked", report={"created": 1, "refused": 0}
    )
    batch.refresh_from_db()
    report = imports.import_commit(batch=batch)
    mark_committed(batch, report)
    batch.refresh_from_db()
    imports.import_batch_undo(batch=batch, actor=world.clerk)
    assert not SalaryRecord.objects.exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == "undone"

    second = batch_of(world, [decision(person)])
    report = imports.import_commit(batch=second)
    mark_committed(second, report)
    second.refresh_from_db()
    SalaryRecord.objects.filter(import_batch=second).update(note="sửa tay")
    with pytest.raises(ValidationError):
        imports.import_batch_undo(batch=second, actor=world.clerk)
    assert SalaryRecord.objects.filter(import_batch=second).count() == 1


def test_the_upload_screen_offers_the_kind(world, client_for):
    client = client_for(world.clerk)
    page = client.get(reverse("personnel:imports")).content.decode()
    assert 'value="salary"' in page and "mau-nhap" not in page
    file = io.BytesIO(xlsx([decision(world.staff_in_a1)]))
    file.name = "luong.xlsx"
    response = client.post(
        reverse("personnel:imports"), {"unit": world.unit_a1.pk, "file": file, "kind": "salary"}
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.kind == "salary"
