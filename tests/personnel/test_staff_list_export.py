"""The staff list as a spreadsheet: a title block, dates of birth as the dossier knows them,
a filter, a frozen header, a print setup and a Vietnamese file name."""

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hrms.lib.partial_dates import PartialDate
from personnel.models import Staff


def table(content: bytes):
    """The sheet, its rows, and the header's index (under the title block)."""
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return sheet, rows, [row[0] for row in rows].index("STT")


def test_the_staff_list_keeps_partial_birth_dates_as_written(world, client_for):
    Staff.objects.filter(pk=world.staff_in_a.pk).update(birth_date="1973")
    Staff.objects.filter(pk=world.staff_in_a1.pk).update(birth_date="1980-05")
    Staff.objects.filter(pk=world.own_record.pk).update(birth_date="1985-05-17")
    response = client_for(world.clerk).get(reverse("personnel:staff_list_export"))
    sheet, rows, header = table(response.content)
    born = {row[2]: row[3] for row in rows[header + 1 :]}
    assert born["Nguyễn Văn An"] == "1973"  # not 01/01/1973
    assert born["Trần Thị Bình"] == "05/1980"
    assert born["Lê Thị Cúc"] == datetime.datetime(1985, 5, 17)
    full = next(cell for cell in sheet["D"] if cell.value == datetime.datetime(1985, 5, 17))
    assert full.number_format == "DD/MM/YYYY"
    year = next(cell for cell in sheet["D"] if cell.value == "1973")
    assert year.data_type == "s"


def test_the_staff_list_has_a_title_block_filter_frozen_header_and_print_setup(world, client_for):
    world.clerk.first_name, world.clerk.last_name = "Phương", "Lê Thị Minh"
    world.clerk.save()
    response = client_for(world.clerk).get(
        reverse("personnel:staff_list_export"), {"unit": world.unit_a1.pk}
    )
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="danh-sach-can-bo_truong-a1_{today.isoformat()}.xlsx"'
    )
    sheet, rows, header = table(response.content)
    titles = [row[0] for row in rows[:header] if row[0]]
    assert titles[0] == "Danh sách cán bộ"
    assert "Đơn vị: Trường A1" in titles
    assert any(line.startswith("Người lập: ") and "Lê Thị Minh Phương" in line for line in titles)
    assert any(line.startswith("Lập lúc: ") and f"{today:%d/%m/%Y}" in line for line in titles)
    number = header + 1
    assert rows[header][:4] == ("STT", "Số hiệu cán bộ", "Họ và tên", "Ngày sinh")
    assert sheet.freeze_panes == f"A{number + 1}"
    assert sheet.auto_filter.ref == f"A{number}:J{len(rows)}"
    assert sheet.print_title_rows == f"${number}:${number}"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1


def test_without_a_unit_chosen_the_title_names_the_users_scope(world, client_for):
    response = client_for(world.head).get(reverse("personnel:staff_list_export"))
    _sheet, rows, header = table(response.content)
    assert "Đơn vị: Sở A" in [row[0] for row in rows[:header]]
    assert "_so-a_" in response["Content-Disposition"]


def test_a_partial_birth_date_keeps_its_form_in_the_dossier_summary(world):
    from personnel.exporters.summary_list import SummaryListExport

    world.staff_in_a.birth_date = PartialDate(1973)
    world.staff_in_a.save()
    content = SummaryListExport([world.staff_in_a], {}).xlsx()
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1][3] == "1973"
    text = SummaryListExport([world.staff_in_a], {}).csv().decode("utf-8-sig")
    assert ",1973," in text  # CSV keeps it too
