"""The HR clerk's everyday flow in a real browser: find, edit, check the history."""

import pytest
from playwright.sync_api import expect

from personnel.models import AccessLogEntry

pytestmark = pytest.mark.browser


def test_clerk_finds_by_unaccented_name_edits_a_section_and_sees_the_history(world, login):
    page = login("clerk_a")
    page.click("nav.mainnav >> text=Cán bộ")
    page.fill("input[name=q]", "tran thi binh")
    page.click("button:has-text('Tìm kiếm')")
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(1)
    rows.first.locator("a").click()
    expect(page.locator("h1")).to_contain_text("TRẦN THỊ BÌNH")

    page.click("#residence >> text=Sửa")
    page.fill("input[name=current_residence]", "Số 12 đường Lê Lợi, phường Nam Bình")
    page.fill("input[name=phone]", "0912345678")
    page.click("button:has-text('Lưu')")
    expect(page.locator(".messages")).to_contain_text("Đã lưu: Nơi ở và liên lạc")
    expect(page.locator("#residence")).to_contain_text("Số 12 đường Lê Lợi, phường Nam Bình")

    page.click("nav.tabs >> text=Lịch sử thay đổi")
    history = page.locator("table.history")
    expect(history).to_contain_text("Nơi ở hiện nay")
    expect(history).to_contain_text("Số 12 đường Lê Lợi, phường Nam Bình")
    expect(history).to_contain_text("clerk_a")
    expect(history).to_contain_text("Nơi ở và liên lạc — sửa")
    assert page.console_errors == []
    assert AccessLogEntry.objects.filter(user=world.clerk, staff=world.staff_in_a1).exists()


def test_bad_input_is_refused_with_messages_and_nothing_is_saved(world, login):
    page = login("clerk_a")
    page.goto(f"/staff/{world.staff_in_a1.pk}/edit/identifiers/")
    page.fill("input[name=personal_id]", "12345")
    page.fill("input[name=tax_code]", "0100109107")
    page.click("button:has-text('Lưu')")
    expect(page.locator(".field.has-error")).to_have_count(2)
    expect(page.locator("body")).to_contain_text("Số định danh cá nhân gồm đúng 12 chữ số")
    expect(page.locator("body")).to_contain_text("chữ số kiểm tra (cuối cùng) không khớp")
    world.staff_in_a1.refresh_from_db()
    assert world.staff_in_a1.personal_id != "12345"
