"""A clerk goes from the month's insurance changes to the D02-LT file; a staff member reads
their own insurance history and nobody else's — in a real browser (strict CSP, no inline
script)."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from personnel import services as personnel_services
from personnel.models import Staff
from tests.insurance.conftest import salary

pytestmark = pytest.mark.browser


@pytest.fixture
def transferred(world):
    for person in (world.staff_in_a1, world.own_record):
        Staff.objects.filter(pk=person.pk).update(recruitment_date=datetime.date(2015, 9, 1))
        salary(person)
    personnel_services.staff_transfer(
        staff_id=world.staff_in_a1.pk, expected_version=None, to_unit=world.unit_b1,
        effective_date=datetime.date(2026, 7, 15), actor=world.admin,
    )  # fmt: skip
    return world


def test_clerk_walks_from_the_months_changes_to_the_d02lt_file(transferred, login):
    world = transferred
    page = login("clerk_a")
    page.click('nav.mainnav >> text="Bảo hiểm"')
    expect(page.locator("h1")).to_contain_text("Bảo hiểm")
    page.select_option("select[name=unit]", str(world.unit_a.pk))
    page.fill("input[name=month]", "08/2026")
    page.click("form.filters button:has-text('Xem')")
    changes = page.locator("table.changes tbody tr")
    expect(changes).to_have_count(1)
    expect(changes.first).to_contain_text("Giảm: dừng tham gia")
    expect(changes.first).to_contain_text("Trần Thị Bình")
    expect(changes.first).to_contain_text("Chuyển công tác đến Trường B1 từ 15/07/2026")
    with page.expect_download() as download_info:
        page.click("#d02lt-download")
    download = download_info.value
    assert download.suggested_filename == "D02-LT-A-2026-08.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    sheet = book[book.sheetnames[0]]
    cells = [value for row in sheet.iter_rows(values_only=True) for value in row if value]
    assert "Tên đơn vị: Trường A1" in cells and "Trần Thị Bình" in cells
    assert "II. GIẢM" in cells
    assert page.console_errors == []


def test_staff_member_reads_their_insurance_history_and_nobody_elses(transferred, login):
    world = transferred
    page = login("staff_a1")
    page.click('nav.mainnav >> text="Bảo hiểm của tôi"')
    expect(page.locator("h1")).to_contain_text("Quá trình tham gia bảo hiểm — Lê Thị Cúc")
    expect(page.locator("table.periods")).to_contain_text("Trường A1")
    expect(page.locator("table.months")).to_contain_text("721.050 đ")
    expect(page.locator("text=Sửa thẻ BHYT")).to_have_count(0)
    assert page.console_errors == []
    response = page.goto(f"/staff/{world.staff_in_a1.pk}/insurance/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Không tìm thấy trang")
