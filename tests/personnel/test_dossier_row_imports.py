"""Training and family rows of the dossier from a spreadsheet (docs/rules.md §8.5, §8.8): the
templates, rows appended after the record's own, refusals by row and column, identical stored
rows unchanged, the undo."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from hrms.lib.partial_dates import PartialDate
from personnel.importers.dossier_rows import FamilyRows, TrainingRows
from personnel.models import FamilyMember, ImportBatch, Training
from personnel.services import imports


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _xlsx(columns, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([column.header for column in columns])
    for row in rows:
        sheet.append([row.get(column.key) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def batch_of(world, kind, columns, rows):
    return imports.import_batch_create(
        user=world.clerk, unit=world.unit_a1, upload=_xlsx(columns, rows),
        file_name=f"{kind}.xlsx", kind=kind,
    )  # fmt: skip


def course(staff, **values) -> dict:
    row = {"personal_id": staff.personal_id, "school": "Trường Đại học Sư phạm Hà Nội",
           "field": "Sư phạm Toán", "start": "09/1980", "end": "06/1984", "mode": "Chính quy",
           "degree": "Cử nhân"}  # fmt: skip
    row.update(values)
    return row


def relative(staff, **values) -> dict:
    row = {"personal_id": staff.personal_id, "side": "Về bản thân", "relation": "Bố",
           "full_name": "Nguyễn Văn Bình", "birth_year": "1935", "details": "Nghỉ hưu"}  # fmt: skip
    row.update(values)
    return row


@pytest.mark.parametrize(
    ("kind", "header", "listed"),
    [("training", "Tên trường, cơ sở đào tạo (*)", "Chính quy"),
     ("family", "Về bản thân / bên vợ hoặc chồng", "Về bên vợ hoặc chồng")],
)  # fmt: skip
def test_each_template_has_its_headers_drop_downs_and_example(
    world, client_for, kind, header, listed
):
    response = client_for(world.clerk).get(reverse("personnel:import_template", args=[kind]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]][:3] == [
        "Số định danh cá nhân (CCCD) (*)", "Họ và tên cán bộ", header]  # fmt: skip
    assert sheet["C2"].value
    listed_values = [cell.value for column in workbook["DanhMuc"].columns for cell in column]
    assert listed in listed_values and sheet.data_validations.dataValidation


def test_training_rows_are_appended_to_the_dossier_and_undone(world):
    a1 = world.staff_in_a1
    Training.objects.create(staff=a1, school="Trường THPT Chu Văn An", row_order=4,
                            start=PartialDate(1977, 9))  # fmt: skip
    rows = [
        course(a1),
        course(
            a1,
            school="Học viện Hành chính",
            field="Quản lý nhà nước",
            start="03/2010",
            end="05/2010",
            mode="bồi dưỡng",
            degree="",
        ),
    ]
    batch = batch_of(world, "training", TrainingRows.columns, rows)
    report = imports.import_check(batch=batch)
    assert (report["created"], report["refused"]) == (2, 0), report["refusals"]
    report = imports.import_commit(batch=batch)
    ImportBatch.objects.filter(pk=batch.pk).update(status="committed", committed_at=timezone.now())
    batch.refresh_from_db()
    stored = list(Training.objects.filter(staff=a1).order_by("row_order"))
    assert [(row.school, row.row_order) for row in stored] == [
        ("Trường THPT Chu Văn An", 4), ("Trường Đại học Sư phạm Hà Nội", 5),
        ("Học viện Hành chính", 6)]  # fmt: skip
    assert (stored[2].mode, str(stored[1].start)) == ("short", "09/1980")
    again = imports.import_check(batch=batch_of(world, "training", TrainingRows.columns, rows))
    assert (again["unchanged"], again["created"]) == (2, 0)
    imports.import_batch_undo(batch=batch, actor=world.clerk)
    assert Training.objects.filter(staff=a1).count() == 1


def test_training_and_family_refusals(world):
    a1 = world.staff_in_a1
    FamilyMember.objects.create(staff=a1, relation="mother", full_name="Lê Thị Hoa",
                                birth_year=1938)  # fmt: skip
    FamilyMember.objects.create(staff=a1, relation="sibling", full_name="Nguyễn Văn Sơn",
                                birth_year=1960)  # fmt: skip
    training = [
        course(a1, start="09/2090"),  # 2: in the future
        course(a1, start="09/1990", end="06/1984"),  # 3: ends before it starts
        course(a1, school=""),  # 4: required
        course(a1, mode="Hàm thụ"),  # 5: unknown mode
        course(a1),  # 6
        course(a1, degree="Kỹ sư"),  # 7: same course twice in the file
        course(world.staff_in_b),  # 8: out of scope
    ]
    report = imports.import_check(batch=batch_of(world, "training", TrainingRows.columns, training))
    found = {item["row"]: (item["column"], item["message"]) for item in report["refusals"]}
    assert (report["created"], report["refused"]) == (1, 6), found
    assert found[2][0] == "Từ (tháng/năm) (*)"
    assert found[3][0] == "Đến (tháng/năm)"
    assert found[4] == ("Tên trường, cơ sở đào tạo (*)", "Bắt buộc nhập.")
    assert found[5][0] == "Hình thức đào tạo" and "Hàm thụ" in found[5][1]
    assert found[7][0] == "Tên trường, cơ sở đào tạo (*)" and "dòng 6" in found[7][1]
    assert found[8][0] == "Số định danh cá nhân (CCCD) (*)"

    family = [
        relative(a1, relation="Mẹ", full_name="Lê Thị Hoa", birth_year="1938", details=""),  # 2
        relative(a1, relation="Anh", full_name="nguyen van son", birth_year="1961"),  # 3: other
        relative(a1, birth_year="35"),  # 4: year
        relative(a1, relation="Ông ngoại"),  # 5: unknown relation
        relative(a1, side="Về bên vợ hoặc chồng", relation="Bố"),  # 6: father-in-law
        relative(a1),  # 7
        relative(a1, birth_year="2099"),  # 8: duplicate of row 7 (and in the future)
    ]
    report = imports.import_check(batch=batch_of(world, "family", FamilyRows.columns, family))
    found = {item["row"]: (item["column"], item["message"]) for item in report["refusals"]}
    assert (report["unchanged"], report["created"], report["refused"]) == (1, 2, 4), found
    assert found[3][0] == "Họ và tên người thân (*)" and "khác" in found[3][1]
    assert found[4][0] == "Năm sinh"
    assert found[5][0] == "Quan hệ (*)"
    assert found[8][0] == "Họ và tên người thân (*)" and "dòng 7" in found[8][1]


def test_a_changed_relative_keeps_the_import_from_being_undone(world):
    batch = batch_of(world, "family", FamilyRows.columns, [relative(world.staff_in_a1)])
    imports.import_commit(batch=batch)
    ImportBatch.objects.filter(pk=batch.pk).update(status="committed", committed_at=timezone.now())
    batch.refresh_from_db()
    member = FamilyMember.objects.get()
    assert (member.side, member.relation, member.birth_year) == ("own", "father", 1935)
    member.details = "Đã mất"
    member.save()
    with pytest.raises(ValidationError):
        imports.import_batch_undo(batch=batch, actor=world.clerk)
    assert FamilyMember.objects.count() == 1


def test_the_command_prints_the_dry_run_and_commits_any_kind(world, tmp_path):
    path = tmp_path / "gia-dinh.xlsx"
    rows = [relative(world.staff_in_a1), relative(world.staff_in_a1, personal_id="001099999999")]
    path.write_bytes(_xlsx(FamilyRows.columns, rows))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 dòng bị từ chối"):
        call_command("import_rows", str(path), kind="family", unit="A1", stdout=out)
    assert "Tạo mới: 1" in out.getvalue() and "Dòng 3, cột “Số định danh" in out.getvalue()
    path.write_bytes(_xlsx(FamilyRows.columns, rows[:1]))
    out = io.StringIO()
    call_command("import_rows", str(path), kind="family", unit="A1", stdout=out)
    assert "Chạy thử" in out.getvalue() and not FamilyMember.objects.exists()
    call_command("import_rows", str(path), kind="family", unit="A1", commit=True, stdout=out)
    batch = ImportBatch.objects.get(status="committed")
    assert batch.kind == "family" and FamilyMember.objects.get().full_name == "Nguyễn Văn Bình"


def test_the_import_page_offers_every_kind_and_its_template(world, client_for):
    page = client_for(world.clerk).get(reverse("personnel:imports")).content.decode()
    for kind, label in [
        ("training", "Đào tạo"),
        ("family", "Quan hệ gia đình"),
        ("dependants", "Người phụ thuộc"),
        ("allowances", "Phụ cấp của cá nhân"),
    ]:
        assert f'value="{kind}"' in page
        assert reverse("personnel:import_template", args=[kind]) in page and label in page
