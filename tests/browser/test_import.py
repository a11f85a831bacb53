"""A clerk imports staff records in the browser: upload, dry run, error workbook, fix, commit."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from personnel.models import Staff
from tests.personnel.import_helpers import person, xlsx

pytestmark = pytest.mark.browser


def run_worker():
    call_command(
        "db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO(), stderr=io.StringIO()
    )


def test_clerk_fixes_a_refused_row_from_the_error_workbook_and_imports(
    world, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    source = tmp_path / "nhan-su.xlsx"
    source.write_bytes(
        xlsx(
            [
                person(),
                person(
                    personal_id="001085000002",
                    staff_number="IMP0002",
                    full_name="Hà Thu",
                    birth_date="31/02/1985",
                ),
            ]
        )  # fmt: skip
    )
    page = login("clerk_a")
    page.click("nav.mainnav >> text=Nhập từ tệp")
    with page.expect_download() as template:
        page.click("text=Tải tệp mẫu")
    assert template.value.suggested_filename == "mau-nhap-ho-so.xlsx"

    page.select_option("select[name=unit]", str(world.unit_a1.pk))
    page.set_input_files("input[name=file]", str(source))
    page.click("button:has-text('Kiểm tra tệp')")
    expect(page.locator(".messages")).to_contain_text("Đang kiểm tra tệp")
    expect(page.locator("progress")).to_be_visible()
    run_worker()
    page.reload()
    expect(page.locator(".import-counts .created")).to_have_text("1")
    expect(page.locator(".import-counts .refused")).to_have_text("1")
    expect(page.locator("table.refusals")).to_contain_text("Ngày sinh (*)")
    expect(page.locator("button:has-text('Nhập các hồ sơ này')")).to_have_count(0)

    with page.expect_download() as errors:
        page.click("text=Tải tệp lỗi")
    workbook = load_workbook(io.BytesIO(errors.value.path().read_bytes()))
    sheet = workbook.active
    assert sheet.cell(row=1, column=sheet.max_column).value == "Lỗi"
    assert "Ngày sinh" in sheet.cell(row=3, column=sheet.max_column).value
    assert sheet.cell(row=3, column=4).fill.fgColor.rgb.endswith("FFC7CE")
    sheet.cell(row=3, column=4).value = "28/02/1985"
    fixed = tmp_path / "nhan-su-da-sua.xlsx"
    workbook.save(fixed)

    page.click("text=← Nhập từ tệp")
    page.select_option("select[name=unit]", str(world.unit_a1.pk))
    page.set_input_files("input[name=file]", str(fixed))
    page.click("button:has-text('Kiểm tra tệp')")
    run_worker()
    page.reload()
    expect(page.locator(".import-counts .created")).to_have_text("2")
    expect(page.locator(".import-counts .refused")).to_have_text("0")
    page.click("button:has-text('Nhập các hồ sơ này')")
    run_worker()
    page.reload()
    expect(page.locator(".import-status")).to_contain_text("Đã nhập")
    assert str(Staff.objects.get(staff_number="IMP0002").birth_date) == "28/02/1985"
    assert Staff.objects.filter(staff_number__startswith="IMP").count() == 2
    assert page.console_errors == []
