"""A person logs in with a real browser, finds their way around and logs out."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_clerk_logs_in_browses_units_and_staff_and_logs_out(world, login):
    page = login("clerk_a")
    expect(page.locator("h1")).to_contain_text("Xin chào")  # Vietnamese despite an en-US browser
    page.click("nav.mainnav >> text=Đơn vị")
    expect(page.locator(".tree")).to_contain_text("Trường A1")
    expect(page.locator(".tree")).not_to_contain_text("Sở B")
    page.click("text=Trường A1")
    expect(page.locator("h1")).to_contain_text("Trường A1")
    page.click("text=Cán bộ của đơn vị và các đơn vị trực thuộc")
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Trần Thị Bình")
    page.click("text=Trần Thị Bình")
    expect(page.locator("#identity dl.facts")).to_contain_text("17/05/1985")
    page.click("button:has-text('Đăng xuất')")
    expect(page.locator("h1")).to_have_text("Đăng nhập")
    assert page.console_errors == []


def test_switching_to_english_and_back(world, login):
    page = login("head_a")
    page.click("button[value=en]")
    expect(page.locator("h1")).to_contain_text("Hello")
    expect(page.locator("nav.mainnav")).to_contain_text("Staff")
    page.click("button[value=vi]")
    expect(page.locator("nav.mainnav")).to_contain_text("Cán bộ")


def test_staff_member_sees_only_their_own_record(world, login):
    page = login("staff_a1")
    expect(page.locator("nav.mainnav")).not_to_contain_text("Đơn vị")
    page.click("nav.mainnav >> text=Hồ sơ của tôi")
    expect(page.locator("h1")).to_contain_text("LÊ THỊ CÚC")
    response = page.goto(f"/staff/{world.staff_in_a1.pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Không tìm thấy trang")


def test_wrong_password_shows_a_message(world, login):
    page = login("clerk_a", "wrong-password")
    expect(page.locator(".errorlist")).to_contain_text("không đúng")
