"""Editing a dossier in a real browser: messages stay beside what was saved, table rows are
added and removed in place, unit pickers search without accents, dates offer a calendar."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from hrms.lib.partial_dates import PartialDate
from personnel.models import Staff, Training
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.browser

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def shoot(page, name: str) -> None:
    """Screenshots at a laptop's and a phone's width (var/screenshots, not committed)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 900), (375, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=False)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_saved_message_and_personal_id_warning_stay_in_sight_in_the_saved_section(world, login):
    staff = world.staff_in_a1  # personal ID 037085…: a man born in 1985
    page = login("clerk_a")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/staff/{staff.pk}/edit/identity/")
    page.select_option("select[name=sex]", Staff.Sex.FEMALE)
    page.click("button:has-text('Lưu')")
    saved = page.locator("#identity .messages li.success")
    warning = page.locator("#identity .messages li.warning")
    expect(saved).to_contain_text("Đã lưu: Thông tin cá nhân")
    expect(warning).to_have_count(1)
    expect(saved).to_be_in_viewport()
    expect(warning).to_be_in_viewport()
    expect(page.locator("main > .messages")).to_have_count(0)
    shoot(page, "saved-section-message")
    assert page.console_errors == []


def test_training_rows_are_added_and_removed_in_place_and_every_input_is_labelled(world, login):
    staff = world.staff_in_a1
    Training.objects.create(staff=staff, school="Trường Sư phạm cũ", start=PartialDate(2000))
    page = login("clerk_a")
    page.goto(f"/staff/{staff.pk}/edit/training/")
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll(
                   'table.rows input:not([type=hidden]):not(.date-picker),'
                   + 'table.rows select, table.rows textarea')]
             .filter(el => !el.labels || el.labels.length === 0).length"""
    )
    assert unlabelled == 0
    expect(page.locator("label[for=id_rows-0-school]")).to_contain_text("dòng 1")

    page.click("button[data-add-row]")
    page.click("button[data-add-row]")
    expect(page.locator("tbody[data-row-body] tr[data-row]")).to_have_count(4)
    expect(page.locator("label[for=id_rows-3-school]")).to_contain_text("dòng 4")
    page.fill("#id_rows-1-school", "Đại học Sư phạm Hà Nội")
    page.fill("#id_rows-1-start", "2003")
    page.fill("#id_rows-2-school", "Học viện Hành chính")
    page.fill("#id_rows-2-start", "2010")
    page.fill("#id_rows-3-school", "Trường bị bỏ")
    page.locator("tr[data-row]").nth(3).locator("button[data-remove-row]").click()
    page.locator("tr[data-row]").nth(0).locator("button[data-remove-row]").click()
    expect(page.locator("tr[data-row]:visible")).to_have_count(2)
    shoot(page, "training-rows")
    page.click("button:has-text('Lưu')")
    expect(page.locator("#training .messages")).to_contain_text("Đã lưu")
    schools = sorted(Training.objects.filter(staff=staff).values_list("school", flat=True))
    assert schools == ["Học viện Hành chính", "Đại học Sư phạm Hà Nội"]
    assert page.console_errors == []


def test_unit_picker_finds_units_without_accents_and_hides_ended_ones(world, login):
    OrgUnitFactory(parent=world.unit_a, code="TY", name="Trường Tân Yên")
    OrgUnitFactory(
        parent=world.unit_a,
        code="TYC",
        name="Trường Tân Yên cũ",
        valid_to=datetime.date(2020, 12, 31),
    )
    page = login("admin_p")
    page.goto("/staff/")
    search = page.locator("#id_unit-search")
    search.fill("tan yen")
    visible = page.locator("#id_unit option:not([hidden])")
    expect(visible).to_have_text(["---------", "— — Trường Tân Yên"])
    page.get_by_label("Hiện cả đơn vị đã chấm dứt").check()
    expect(visible).to_have_count(3)
    search.press("Enter")
    assert page.locator("#id_unit").input_value() != ""
    shoot(page, "unit-picker")
    assert page.console_errors == []


def test_date_fields_say_their_format_and_the_calendar_fills_them(world, login):
    page = login("clerk_a")
    page.goto(f"/staff/{world.staff_in_a1.pk}/move/transfer/")
    date = page.locator("input[name=effective_date]")
    expect(date).to_have_attribute("placeholder", "dd/mm/yyyy")
    page.locator(".date-wrap input.date-picker").fill("2026-09-01")
    expect(date).to_have_value("01/09/2026")
    shoot(page, "transfer-form")
    assert page.console_errors == []
