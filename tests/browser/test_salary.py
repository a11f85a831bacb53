"""From a due list to an approved decision, in a real browser, by two people."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_clerk_prepares_head_approves_and_the_history_shows_it(
    world, salaries, browser, live_server, login
):
    page = login("clerk_a")
    page.click("nav.mainnav >> text=Nâng lương")
    page.fill("input[name=start]", "01/07/2026")
    page.fill("input[name=end]", "31/12/2026")
    page.click("button:has-text('Xem danh sách')")
    row = page.locator("table.due tbody tr", has_text="Nguyễn Văn An")
    expect(row).to_contain_text("01/10/2026")
    expect(row).to_contain_text("thời hạn 36 tháng")
    row.locator("input[type=checkbox]").check()
    page.click("button:has-text('Lập dự thảo quyết định')")
    expect(page.locator(".messages")).to_contain_text("Đã lập 1 dự thảo")
    page.click("button:has-text('Đăng xuất')")

    page = login("head_a")
    page.goto("/salary/decisions/?status=draft")
    draft = page.locator("table.data tbody tr", has_text="Nguyễn Văn An")
    draft.locator("input[type=checkbox]").check()
    page.fill("#id_decision_number", "88/QĐ-SGDĐT")
    page.click("button:has-text('Duyệt các dự thảo đã chọn')")
    expect(page.locator(".messages")).to_contain_text("Đã duyệt 1 quyết định")

    page.goto(f"/staff/{world.staff_in_a.pk}/salary/")
    history = page.locator("table.data").last
    expect(history).to_contain_text("10/2026")
    expect(history).to_contain_text("01.003 / 4")
    expect(history).to_contain_text("88/QĐ-SGDĐT")
    assert page.console_errors == []
