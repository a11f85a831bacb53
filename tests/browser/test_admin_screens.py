"""The unit tree, the salary card and the administrator's merge screen in a real browser, with
screenshots at 1366 and 375 px."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_editing import shoot
from tests.conftest import approved_record

pytestmark = pytest.mark.browser


def test_the_unit_tree_opens_and_counts_subtrees(world, login):
    page = login("admin_p")
    page.goto("/units/")
    province = page.locator(".tree > details").first
    expect(province.locator("> summary")).to_contain_text("Tỉnh Thử")
    expect(province.locator("> summary .counts strong")).to_have_text("4")
    unit_a = province.locator("details", has_text="Sở A").first
    expect(unit_a.locator("text=Trường A1")).to_be_hidden()
    unit_a.locator("> summary").click()
    expect(unit_a.locator("text=Trường A1")).to_be_visible()
    shoot(page, "unit-tree")
    assert page.console_errors == []


def test_the_salary_card_shows_an_approved_future_raise_apart(world, login):
    approved_record(world.staff_in_a1, rank_code="01.003", step=3,
                    effective=datetime.date(2023, 10, 1))  # fmt: skip
    approved_record(world.staff_in_a1, rank_code="01.003", step=4,
                    effective=timezone.localdate() + datetime.timedelta(days=30))  # fmt: skip
    page = login("clerk_a")
    page.goto(f"/staff/{world.staff_in_a1.pk}/salary/")
    expect(page.locator(".stat.upcoming")).to_contain_text("bậc 4")
    shoot(page, "salary-card")


def test_the_administrator_merges_units_on_a_screen(world, login):
    page = login("admin_p")
    page.goto("/admin/personnel/orgunit/")
    page.click("text=Hợp nhất đơn vị")
    page.select_option("select[name=sources]", [str(world.unit_a1.pk), str(world.unit_b1.pk)])
    page.select_option("select[name=result]", str(world.unit_a1.pk))
    page.fill("input[name=effective_date]", "01/07/2026")
    page.fill("input[name=legal_basis]", "QĐ 12/QĐ-UBND")
    shoot(page, "admin-merge")
    page.click("input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("Đã ghi nhận")
