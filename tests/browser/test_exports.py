"""A unit head exports a unit's dossiers in the browser and downloads the result."""

import io
import zipfile

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_head_exports_a_unit_and_downloads_it(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = login("head_a")
    page.click("nav.mainnav >> text=Xuất hồ sơ")
    page.select_option("select[name=unit]", str(world.unit_a.pk))
    page.select_option("select[name=staff_status]", "")
    page.click("button:has-text('Xuất hồ sơ')")
    expect(page.locator(".messages")).to_contain_text("Đã đưa vào hàng đợi")
    expect(page.locator("table.exports tbody tr").first).to_contain_text("Đang chờ")

    call_command(
        "db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO(), stderr=io.StringIO()
    )
    page.reload()
    row = page.locator("table.exports tbody tr").first
    expect(row).to_contain_text("Đã xong")
    with page.expect_download() as download_info:
        row.locator("text=Tải hồ sơ").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    names = zipfile.ZipFile(download.path()).namelist()
    assert len([name for name in names if name.endswith(".pdf")]) == 3
    assert any(name.startswith("trich-ngang") for name in names)
    assert page.console_errors == []
