"""Dependants and allowances from a spreadsheet: the templates, the dry run and each kind of
refusal (row, column, Vietnamese message), identical stored rows left unchanged, the commit
attributed to the importer and the batch, the undo while untouched (docs/rules.md §8.8)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from pghistory.models import Events

from payroll.importers.pay_inputs import AllowanceRows, DependantRows
from payroll.models import AllowanceAssignment, AllowanceType, Dependant
from personnel.models import ImportBatch, ImportRecord
from personnel.services import imports

D = datetime.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def xlsx(columns, rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([column.header for column in columns])
    for row in rows:
        sheet.append([row.get(column.key) for column in columns])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def batch_of(world, kind, columns, rows, user=None):
    return imports.import_batch_create(
        user=user or world.clerk, unit=world.unit_a1, upload=xlsx(columns, rows),
        file_name=f"{kind}.xlsx", kind=kind,
    )  # fmt: skip


def committed(batch):
    imports.import_check(batch=batch)
    report = imports.import_commit(batch=batch)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status="committed", report=report, committed_at=timezone.now()
    )
    batch.refresh_from_db()
    return report


def refusals(report) -> dict[int, tuple[str, str]]:
    return {item["row"]: (item["column"], item["message"]) for item in report["refusals"]}


def child(staff, **values) -> dict:
    row = {"personal_id": staff.personal_id, "staff_name": staff.full_name,
           "full_name": "Trần Minh Châu", "relation": "Con", "birth_date": "05/03/2015",
           "from_month": "03/2015"}  # fmt: skip
    row.update(values)
    return row


def allowance(staff, **values) -> dict:
    row = {"personal_id": staff.personal_id, "staff_name": staff.full_name,
           "allowance": "TRACHNHIEM", "value": "0,2", "valid_from": "01/01/2025",
           "decision": "12/QĐ-SGD"}  # fmt: skip
    row.update(values)
    return row


COLUMNS = {"dependants": DependantRows.columns, "allowances": AllowanceRows.columns}


@pytest.mark.parametrize(
    ("kind", "headers", "lists"),
    [
        ("dependants", ["Họ và tên người phụ thuộc (*)", "Quan hệ với người nộp thuế (*)"],
         {"D": "Con"}),
        ("allowances", ["Mã phụ cấp (*)", "Hệ số hoặc tỷ lệ (%)"], {"C": "TRACHNHIEM"}),
    ],
)  # fmt: skip
def test_each_template_has_vietnamese_headers_drop_downs_and_an_example(
    world, client_for, kind, headers, lists
):
    response = client_for(world.clerk).get(reverse("personnel:import_template", args=[kind]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    row = [cell.value for cell in sheet[1]]
    assert row[0] == "Số định danh cá nhân (CCCD) (*)" and row[2:4] == headers
    assert sheet["A2"].value == "001062000123" and sheet["C2"].value
    validations = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    for letter, value in lists.items():
        assert f"{letter}2" in validations
        assert value in [cell.value for cell in workbook["DanhMuc"][letter]]
    # the template's example row passes its own reader
    example = {column.key: column.example for column in COLUMNS[kind] if column.example}
    for column in COLUMNS[kind]:
        if column.key in example:
            column.parse(example[column.key])


def test_dependants_are_registered_attributed_to_the_importer_and_undone(world):
    a1 = world.staff_in_a1
    rows = [child(a1), child(a1, full_name="Trần Minh Đức", birth_date="01/02/2018",
                               from_month="02/2018", tax_code=12150001234)]  # fmt: skip
    batch = batch_of(world, "dependants", DependantRows.columns, rows)
    report = imports.import_check(batch=batch)
    assert (report["created"], report["refused"]) == (2, 0), report["refusals"]
    assert not Dependant.objects.exists()  # a dry run writes nothing
    committed(batch)
    first, second = Dependant.objects.filter(staff=a1).order_by("from_month")
    assert (first.relation, first.from_month, first.birth_date) == (
        "child", D(2015, 3, 1), D(2015, 3, 5))  # fmt: skip
    assert second.tax_code == "012150001234"
    event = Events.objects.get(pgh_obj_model="payroll.Dependant", pgh_obj_id=first.pk)
    assert event.pgh_context["import_batch"] == str(batch.pk)
    assert event.pgh_context["user"] == world.clerk.pk
    assert ImportRecord.objects.filter(batch=batch).count() == 2

    # the same file again: both rows are already there, identical
    again = imports.import_check(batch=batch_of(world, "dependants", DependantRows.columns, rows))
    assert (again["unchanged"], again["created"], again["refused"]) == (2, 0, 0)

    imports.import_batch_undo(batch=batch, actor=world.clerk)
    assert not Dependant.objects.exists()


def test_a_changed_row_keeps_the_import_from_being_undone(world):
    batch = batch_of(world, "allowances", AllowanceRows.columns, [allowance(world.staff_in_a1)])
    committed(batch)
    row = AllowanceAssignment.objects.get()
    assert (row.value, row.recorded_by, row.decision) == (Decimal("0.2"), world.clerk, "12/QĐ-SGD")
    row.note = "sửa tay"
    row.save()
    with pytest.raises(ValidationError, match="không thể hoàn tác"):
        imports.import_batch_undo(batch=batch, actor=world.clerk)
    assert AllowanceAssignment.objects.count() == 1


def test_dependant_refusals_name_row_column_and_reason(world):
    a1, own, outside = world.staff_in_a1, world.own_record, world.staff_in_b
    world.own_record.user = world.clerk
    world.own_record.save(update_fields=["user"])
    for name, born in (("Trần Minh Châu", D(2015, 3, 5)), ("Trần Minh Giao", D(2017, 1, 9))):
        Dependant.objects.create(staff=a1, full_name=name, relation="child", birth_date=born,
                                 from_month=born.replace(day=1))  # fmt: skip
    rows = [
        child(a1, personal_id="001099999999"),  # 2: nobody
        child(outside),  # 3: out of scope
        child(own),  # 4: own record
        child(a1, relation="Hàng xóm"),  # 5: unknown relation
        child(a1, full_name="Lê An", birth_date="01/01/2020", from_month="01/2019"),  # 6
        child(a1, full_name="Lê Bình", from_month="2019"),  # 7: month needed
        child(a1, full_name="Lê Cường", tax_code="0123456788"),  # 8: bad check digit
        child(a1, full_name="Lê Dũng", from_month="01/2021", to_month="01/2020"),  # 9
        child(a1, full_name="Lê Em", birth_date="", from_month="01/2021"),  # 10
        child(a1, full_name="Lê Em", birth_date="", from_month="01/2021"),  # 11: twice
        child(
            a1,
            full_name="trần minh giao",
            birth_date="09/01/2017",
            from_month="01/2017",
            relation="Vợ hoặc chồng",
        ),  # 12: stored with another relation
        child(a1, full_name="Lê Giang", from_month=""),  # 13: required
        child(a1),  # 14: stored, identical
    ]
    report = imports.import_check(batch=batch_of(world, "dependants", DependantRows.columns, rows))
    found = refusals(report)
    assert (report["created"], report["unchanged"], report["refused"]) == (1, 1, 11), found
    pid = "Số định danh cá nhân (CCCD) (*)"
    assert found[2] == (pid, "Không có hồ sơ nào mang số định danh cá nhân này.")
    assert found[3][0] == found[4][0] == pid and "không được thay đổi" in found[3][1]
    assert "chính mình" in found[4][1]
    assert found[5][0] == "Quan hệ với người nộp thuế (*)" and "Hàng xóm" in found[5][1]
    assert found[6][0] == "Giảm trừ từ tháng (*)" and "01/2020" in found[6][1]
    assert found[7][0] == "Giảm trừ từ tháng (*)" and "mm/yyyy" in found[7][1]
    assert found[8][0] == "Mã số thuế hoặc số định danh người phụ thuộc"
    assert found[9][0] == "Đến tháng"
    assert 10 not in found
    assert found[11][0] == "Họ và tên người phụ thuộc (*)" and "dòng 10" in found[11][1]
    assert found[12][0] == "Họ và tên người phụ thuộc (*)" and "khác" in found[12][1]
    assert found[13] == ("Giảm trừ từ tháng (*)", "Bắt buộc nhập.")
    # the error workbook marks the bad cells and says why on each row
    sheet = load_workbook(imports.settings.MEDIA_ROOT / report["_error_file"]).active
    assert sheet.cell(row=5, column=4).fill.fgColor.rgb.endswith("FFC7CE")
    assert "Quan hệ" in sheet.cell(row=5, column=len(DependantRows.columns) + 1).value


def test_allowance_refusals_follow_the_pay_input_rules(world):
    a1 = world.staff_in_a1
    AllowanceAssignment.objects.create(staff=a1, allowance_type=AllowanceType.objects.get(
        code="TRACHNHIEM"), value=Decimal("0.1"), valid_from=D(2020, 1, 1))  # fmt: skip
    rows = [
        allowance(a1, allowance="KHONGCO"),  # 2: unknown allowance
        allowance(a1, allowance="PCCV"),  # 3: from the salary decision
        allowance(a1, value="0,25"),  # 4: not an allowed value (and overlapping)
        allowance(a1, valid_from="01/01/2020"),  # 5: stored with another value
        allowance(a1, value="abc"),  # 6: not a number
        allowance(a1, allowance="TNN", value="", since="", valid_from="01/02/2025"),  # 7
        allowance(a1, allowance="TNN", value="", since="01/09/2010", valid_from="01/03/2025"),
        allowance(a1, allowance="TNN", value="", since="01/09/2010", valid_from="01/03/2025"),
    ]
    report = imports.import_check(batch=batch_of(world, "allowances", AllowanceRows.columns, rows))
    found = refusals(report)
    assert (report["created"], report["refused"]) == (1, 7), report["refusals"]
    assert found[2][0] == "Mã phụ cấp (*)" and "KHONGCO" in found[2][1]
    assert found[3][0] == "Mã phụ cấp (*)" and "quyết định lương" in found[3][1]
    assert found[4][0] == "Hệ số hoặc tỷ lệ (%)"
    assert found[5][0] == "Hưởng từ ngày (*)" and "khác" in found[5][1]
    assert found[6][0] == "Hệ số hoặc tỷ lệ (%)"
    assert found[7][0] == "Tính thâm niên nghề từ ngày"
    assert 8 not in found
    assert found[9][0] == "Hưởng từ ngày (*)" and "dòng 8" in found[9][1]


def test_a_commit_that_finds_a_refused_row_writes_nothing(world):
    rows = [allowance(world.staff_in_a1), allowance(world.staff_in_b)]
    batch = batch_of(world, "allowances", AllowanceRows.columns, rows)
    with pytest.raises(imports.ImportRefused):
        imports.import_commit(batch=batch)
    assert not AllowanceAssignment.objects.exists()
    assert not ImportRecord.objects.exists()
