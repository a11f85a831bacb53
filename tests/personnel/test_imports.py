"""Staff import: reading loose files, every kind of refusal, the province-wide match, the
commit with its history, the undo."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from pghistory.models import Events

from personnel import services
from personnel.models import ImportBatch, ImportRecord, Staff, WorkHistory
from personnel.services import imports
from tests.personnel.import_helpers import person, xlsx


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def batch_of(world, content: bytes, *, user=None, name="nhan-su.xlsx", unit=None):
    user = world.clerk if user is None else user
    return imports.import_batch_create(
        user=user, unit=unit or world.unit_a1, upload=content, file_name=name
    )


def check(world, content, **kwargs) -> dict:
    batch = batch_of(world, content, **kwargs)
    return imports.import_check(batch=batch)


def refusals(report) -> list[tuple[int, str, str]]:
    return [(item["row"], item["column"], item["message"]) for item in report["refusals"]]


def test_a_template_file_is_checked_without_writing_anything(world):
    report = check(
        world,
        xlsx(
            [
                person(),
                person(personal_id="001085000002", staff_number="IMP0002", full_name="Hà Thu"),
            ]
        ),
    )
    assert (report["created"], report["updated"], report["refused"]) == (2, 0, 0)
    assert not Staff.objects.filter(staff_number__startswith="IMP").exists()


def test_a_committed_batch_creates_records_with_their_history_and_work_history(world):
    batch = batch_of(
        world,
        xlsx(
            [
                person(),
                person(
                    personal_id="001085000002",
                    staff_number="IMP0002",
                    full_name="Hà Thu",
                    birth_date="1962",
                ),
            ]
        ),
    )
    report = imports.import_commit(batch=batch)
    assert report["created"] == 2
    khoa = Staff.objects.get(staff_number="IMP0001")
    assert (khoa.unit, khoa.full_name, khoa.rank.code) == (
        world.unit_a1,
        "Đỗ Minh Khoa",
        "V.07.03.29",
    )
    assert str(khoa.birth_date) == "12/03/1985" and khoa.sort_key
    assert str(Staff.objects.get(staff_number="IMP0002").birth_date) == "1962"
    assert WorkHistory.objects.filter(staff=khoa, unit=world.unit_a1).count() == 1
    event = Events.objects.filter(pgh_obj_model="personnel.Staff", pgh_obj_id=khoa.pk).get()
    assert event.pgh_context["import_batch"] == str(batch.pk)
    assert event.pgh_context["user"] == world.clerk.pk
    assert ImportRecord.objects.filter(batch=batch, action="created").count() == 2


def test_loose_headers_aliases_numbers_as_text_lost_zeros_and_partial_dates_are_read(world):
    header = ["STT", "cccd", "MA CAN BO", "ho ten", "Nam sinh", "gioi tinh", "Doi tuong",
              "Số điện thoại", "Ngày vào Đảng", "Cột lạ"]  # fmt: skip
    keys = ["stt", "personal_id", "staff_number", "full_name", "birth_date", "sex", "category",
            "phone", "party_admission_date", "odd"]  # fmt: skip
    rows = [
        {"stt": 1, "personal_id": 1085000001, "staff_number": "IMP0001",
         "full_name": "  Đỗ  Minh\u200b Kho\u0061\u0300 ", "birth_date": 1962, "sex": "nu",
         "category": "cong chuc",
         "phone": 912345678, "party_admission_date": "05/1990", "odd": "x"},
        {"stt": 2, "personal_id": "001085000002", "staff_number": "IMP0002",
         "full_name": "Hà Thu", "birth_date": "05/1962", "sex": "Nữ", "category": "VIÊN CHỨC"},
    ]  # fmt: skip
    batch = batch_of(world, xlsx(rows, header=header, keys=keys))
    report = imports.import_commit(batch=batch)
    assert (report["created"], report["refused"]) == (2, 0)
    assert report["ignored"] == ["Cột lạ"]
    khoa = Staff.objects.get(staff_number="IMP0001")
    assert khoa.personal_id == "001085000001"  # the zeros Excel dropped are back
    assert (khoa.full_name, khoa.sex, khoa.category) == ("Đỗ Minh Khoà", "female", "civil_servant")
    assert (str(khoa.birth_date), khoa.phone, str(khoa.party_admission_date)) == (
        "1962",
        "0912345678",
        "05/1990",
    )
    assert str(Staff.objects.get(staff_number="IMP0002").birth_date) == "05/1962"


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"personal_id": "12345"}, "Số định danh cá nhân (CCCD) (*)", "12 chữ số"),
        ({"personal_id": None}, "Số định danh cá nhân (CCCD) (*)", "bắt buộc"),
        ({"full_name": None}, "Họ và tên (*)", "Bắt buộc"),
        ({"birth_date": "31/02/1980"}, "Ngày sinh (*)", "dd/mm/yyyy"),
        ({"birth_date": "2099"}, "Ngày sinh (*)", "tương lai"),
        ({"sex": "X"}, "Giới tính (*)", "không phải"),
        ({"category": "Bộ đội"}, "Đối tượng (*)", "không phải"),
        ({"unit": "ZZZ"}, "Mã đơn vị", "ZZZ"),
        ({"rank": "99.999"}, "Mã ngạch / chức danh nghề nghiệp", "99.999"),
        ({"phone": "abc"}, "Điện thoại", "abc"),
        ({"tax_code": "0123456788"}, "Mã số thuế", "không khớp"),
        ({"full_name": "A" * 130}, "Họ và tên (*)", "120"),
        ({"recruitment_date": "1980"}, "Ngày tuyển dụng", "dd/mm/yyyy"),
        ({"recruitment_date": "01/01/1980"}, "Ngày tuyển dụng", "trước ngày sinh"),
        (
            {"party_admission_date": "2010", "party_official_date": "2009"},
            "Ngày chính thức (Đảng)",
            "trước ngày vào Đảng",
        ),
        ({"unit": "B1"}, "Mã đơn vị", "B1"),
    ],
)
def test_a_bad_cell_is_refused_with_its_row_column_and_a_vietnamese_message(
    world, values, column, message
):
    report = check(
        world, xlsx([person(personal_id="001085000009", staff_number="OK1"), person(**values)])
    )
    assert report["refused"] == 1 and report["created"] == 1
    assert any(
        row == 3 and col == column and message.lower() in text.lower()
        for row, col, text in refusals(report)
    ), refusals(report)


def test_duplicates_inside_a_file_are_refused(world):
    report = check(world, xlsx([
        person(),
        person(staff_number="IMP0009"),
        person(personal_id="001085000003"),
    ]))  # fmt: skip
    assert refusals(report) == [
        (3, "Số định danh cá nhân (CCCD) (*)",
         "Số định danh cá nhân này đã có ở dòng 2 của tệp."),
        (4, "Mã cán bộ (*)", "Mã cán bộ này đã có ở dòng 2 của tệp."),
    ]  # fmt: skip


def test_a_person_is_matched_across_the_province_by_personal_id(world):
    """A row for someone already recorded updates that record in scope, and is refused (without
    naming anything) when the person works in a unit the clerk may not change."""
    in_b = world.staff_in_b
    in_a1 = world.staff_in_a1
    rows = [
        person(personal_id=in_a1.personal_id, staff_number=None, unit=None, category=None,
               full_name=None, birth_date=None, sex=None, rank=None, position_title="Hiệu trưởng"),
        person(personal_id=world.own_record.personal_id, staff_number=None, unit=None,
               full_name=world.own_record.full_name, birth_date=None, sex=None, rank=None,
               category=None, position_title=None),
        person(personal_id=in_b.personal_id, staff_number="NEW1"),
    ]  # fmt: skip
    batch = batch_of(world, xlsx(rows))
    report = imports.import_check(batch=batch)
    assert (report["updated"], report["unchanged"], report["refused"]) == (1, 1, 1)
    assert refusals(report)[0][0] == 4
    assert "đơn vị khác" in refusals(report)[0][2] and in_b.full_name not in refusals(report)[0][2]


def test_a_row_cannot_move_a_person_to_another_unit(world):
    row = person(personal_id=world.staff_in_a1.personal_id, staff_number=None, unit="A")
    report = check(world, xlsx([row]))
    assert report["refused"] == 1 and "điều động" in refusals(report)[0][2]


def test_a_clerk_imports_only_into_units_in_scope(world):
    with pytest.raises(ValidationError):
        batch_of(world, xlsx([person()]), unit=world.unit_b1)
    report = check(world, xlsx([person(unit="B1")]))
    assert refusals(report) == [(2, "Mã đơn vị", "Bạn không được nhập hồ sơ vào đơn vị “B1”.")]


def test_likely_duplicates_are_listed_for_the_clerk(world):
    twin = world.staff_in_a1  # same name and birth date, another personal ID
    report = check(world, xlsx([person(full_name=twin.full_name, birth_date="17/05/1985")]))
    assert report["created"] == 1 and report["refused"] == 0
    [duplicate] = report["likely_duplicates"]
    assert duplicate["row"] == 2 and twin.staff_number in duplicate["other"]


def test_an_update_is_committed_and_undone_with_the_values_put_back(world):
    target = world.staff_in_a1
    row = person(personal_id=target.personal_id, staff_number=None, unit=None,
                 full_name=None, birth_date=None, sex=None, category=None, rank=None,
                 position_title="Hiệu trưởng", phone="0912 345 678")  # fmt: skip
    batch = batch_of(world, xlsx([row, person()]))
    assert imports.import_commit(batch=batch)["updated"] == 1
    target.refresh_from_db()
    assert (target.position_title, target.phone) == ("Hiệu trưởng", "0912 345 678")
    batch.status = ImportBatch.Status.COMMITTED
    batch.save()

    imports.import_batch_undo(batch=batch, actor=world.clerk)
    target.refresh_from_db()
    assert (target.position_title, target.phone) == ("", "")
    assert not Staff.objects.filter(staff_number="IMP0001").exists()
    batch.refresh_from_db()
    assert batch.status == "undone" and batch.undone_by == world.clerk


def test_a_batch_is_not_undone_once_a_record_was_changed_since(world):
    batch = batch_of(world, xlsx([person()]))
    imports.import_commit(batch=batch)
    ImportBatch.objects.filter(pk=batch.pk).update(status="committed")
    created = Staff.objects.get(staff_number="IMP0001")
    services.staff_update(staff_id=created.pk, expected_version=created.version,
                          changes={"phone": "0911111111"}, actor=world.clerk)  # fmt: skip
    with pytest.raises(ValidationError, match="đã được sửa"):
        imports.import_batch_undo(batch=batch, actor=world.clerk)
    assert Staff.objects.filter(staff_number="IMP0001").exists()


def test_a_commit_writes_nothing_when_a_row_is_refused(world):
    batch = batch_of(
        world, xlsx([person(), person(personal_id="001085000002", staff_number="X2", sex="?")])
    )
    with pytest.raises(imports.ImportRefused):
        imports.import_commit(batch=batch)
    assert not Staff.objects.filter(staff_number="IMP0001").exists()


def test_the_error_workbook_has_every_row_an_error_column_and_marked_cells(world, media):
    batch = batch_of(
        world,
        xlsx([person(), person(personal_id="001085000002", staff_number="=HYPERLINK(1)", sex="?")]),
    )
    report = imports.import_check(batch=batch)
    sheet = load_workbook(Path(media) / report["_error_file"]).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "Lỗi" and len(rows) == 3
    assert rows[1][-1] is None and "Giới tính" in rows[2][-1]
    assert rows[1][0] == "001085000001"  # kept as text, zeros included
    sex_cell = sheet.cell(row=3, column=5)
    assert sex_cell.fill.fgColor.rgb.endswith("FFC7CE") and sex_cell.comment is not None
    formula_like = sheet.cell(row=3, column=2)
    assert formula_like.data_type == "s" and formula_like.value == "=HYPERLINK(1)"


def test_formulas_are_never_evaluated_their_cached_values_are_read(world):
    """A formula cell with no cached value reads as empty; text that looks like a formula is
    stored as text (exports neutralise it)."""
    content = xlsx(
        [person(position_title="=1+1", staff_number="=A1")], formulas=("position_title",)
    )
    batch = batch_of(world, content)
    imports.import_commit(batch=batch)
    stored = Staff.objects.get(personal_id="001085000001")
    assert (stored.position_title, stored.staff_number) == ("", "=A1")


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_csv_in_utf8_with_or_without_bom(world, bom):
    text = ("Số định danh cá nhân;Mã cán bộ;Họ và tên;Ngày sinh;Giới tính;Đối tượng\n"
            "001085000001;IMP0001;Đỗ Minh Khoa;1962;Nam;Viên chức\n")  # fmt: skip
    report = check(world, bom + text.encode(), name="nhan-su.csv")
    assert (report["created"], report["refused"]) == (1, 0)


def test_template_has_vietnamese_headers_drop_downs_and_an_example_that_imports(world, client_for):
    from django.urls import reverse

    response = client_for(world.clerk).get(reverse("personnel:import_template", args=["staff"]))
    assert response.status_code == 200
    content = response.content
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Số định danh cá nhân (CCCD) (*)", "Mã cán bộ (*)", "Họ và tên (*)"]
    formulas = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert any(sqref.startswith("F2") for sqref in formulas)  # units
    codes = workbook["DanhMuc"]
    assert codes.sheet_state == "hidden"
    column_of = {value: index for index, value in enumerate(header, start=1)}
    units = [c.value for c in codes[codes.cell(1, column_of["Mã đơn vị"]).column_letter]][1:]
    assert "A1" in units and "B1" not in units  # only units in the clerk's scope
    report = check(world, content)
    assert (report["created"], report["refused"]) == (1, 0)
