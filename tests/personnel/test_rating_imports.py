"""Yearly ratings from a spreadsheet: the template, refusals, the commit with its history,
the undo."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from pghistory.models import Events

from personnel.importers.ratings import COLUMNS
from personnel.models import AnnualRating, ImportBatch, RatingLevel
from personnel.services import imports

KEYS = [column.key for column in COLUMNS]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def rating(staff, **values) -> dict:
    row = {"personal_id": staff.personal_id, "full_name": staff.full_name, "year": "2024",
           "level": "Hoàn thành tốt nhiệm vụ"}  # fmt: skip
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


def batch_of(world, rows):
    return imports.import_batch_create(
        user=world.clerk, unit=world.unit_a1, upload=xlsx(rows), file_name="xep-loai.xlsx",
        kind="ratings",
    )  # fmt: skip


def committed(batch) -> ImportBatch:
    report = imports.import_commit(batch=batch)
    ImportBatch.objects.filter(pk=batch.pk).update(status="committed", report=report)
    batch.refresh_from_db()
    return batch


def test_the_template_has_vietnamese_headers_a_level_list_and_an_example(world, client_for):
    response = client_for(world.clerk).get(reverse("personnel:import_template", args=["ratings"]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]][:4] == [
        "Số định danh cá nhân (CCCD) (*)", "Họ và tên", "Năm (*)", "Mức xếp loại (*)"]  # fmt: skip
    assert sheet["D2"].value == "Hoàn thành tốt nhiệm vụ"
    assert [str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation] == ["D2"]
    levels = [cell.value for cell in workbook["DanhMuc"]["D"]][1:]
    assert "Không hoàn thành nhiệm vụ" in levels and len(levels) == len(set(levels))


def test_ratings_are_checked_then_committed_with_the_level_of_their_year(world):
    a, a1 = world.staff_in_a, world.staff_in_a1
    rows = [rating(a1), rating(a1, year="2026"), rating(a, level="HTXSNV", note="Chiến sĩ")]
    batch = batch_of(world, rows)
    report = imports.import_check(batch=batch)
    assert (report["created"], report["refused"]) == (3, 0), report["refusals"]
    assert not AnnualRating.objects.exists()
    committed(batch)
    by_year = {r.year: r.level.code for r in AnnualRating.objects.filter(staff=a1)}
    assert by_year == {2024: "HTTNV", 2026: "CC26-HTTNV"}  # the level in use that year
    assert AnnualRating.objects.get(staff=a).note == "Chiến sĩ"
    one = AnnualRating.objects.get(staff=a)
    event = Events.objects.get(pgh_obj_model="personnel.AnnualRating", pgh_obj_id=one.pk)
    assert event.pgh_context["import_batch"] == str(batch.pk)
    assert batch.records.count() == 3


def test_refusals_name_their_row_column_and_reason(world):
    a1 = world.staff_in_a1
    AnnualRating.objects.create(staff=a1, year=2023, level=RatingLevel.objects.get(code="HTNV"))
    rows = [
        rating(a1, personal_id="001099999999"),  # 2: nobody
        rating(world.staff_in_b),  # 3: out of scope
        rating(a1, level="Rất tốt"),  # 4: unknown level
        rating(a1, year="24"),  # 5: bad year
        rating(a1, year="2022"),  # 6
        rating(a1, year="2022"),  # 7: twice in the file
        rating(a1, year="2023"),  # 8: already rated
        rating(a1, year="2021", level="CC26-HTTNV"),  # 9: level not in use that year
    ]
    report = imports.import_check(batch=batch_of(world, rows))
    found = {row: (column, message) for row, column, message in
             [(i["row"], i["column"], i["message"]) for i in report["refusals"]]}  # fmt: skip
    assert report["refused"] == 7 and report["created"] == 1
    assert found[2] == ("Số định danh cá nhân (CCCD) (*)",
                        "Không có hồ sơ nào mang số định danh cá nhân này.")  # fmt: skip
    assert "không được thay đổi" in found[3][1]
    assert found[4][0] == "Mức xếp loại (*)" and "Rất tốt" in found[4][1]
    assert found[5][0] == found[7][0] == found[8][0] == "Năm (*)"
    assert "dòng 6" in found[7][1]
    assert "đã có" in found[8][1]
    assert found[9][0] == "Mức xếp loại (*)" and "2021" in found[9][1]
    assert not AnnualRating.objects.filter(year=2022).exists()


def test_an_untouched_import_is_undone_and_a_touched_one_is_not(world):
    a1 = world.staff_in_a1
    batch = committed(batch_of(world, [rating(a1)]))
    imports.import_batch_undo(batch=batch, actor=world.clerk)
    assert not AnnualRating.objects.exists()
    second = committed(batch_of(world, [rating(a1)]))
    AnnualRating.objects.filter(staff=a1).update(note="sửa")
    with pytest.raises(ValidationError):
        imports.import_batch_undo(batch=second, actor=world.clerk)
    assert AnnualRating.objects.filter(staff=a1).count() == 1
