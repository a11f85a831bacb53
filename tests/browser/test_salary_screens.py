"""Salary screens in a real browser: the form previews coefficient and pay, the decisions
list ticks all and pages, the history tab reads in Vietnamese; screenshots at 1366 and 375 px."""

import datetime

import pytest
from playwright.sync_api import expect

from personnel.models import Rank, Staff
from tests.browser.test_editing import shoot
from tests.conftest import approved_record
from tests.factories import StaffFactory

pytestmark = pytest.mark.browser


def test_the_salary_form_prefills_the_rank_and_previews_coefficient_and_pay(world, login):
    teacher = StaffFactory(
        unit=world.unit_a1, full_name="Vũ Thị Giáo", category=Staff.Category.PUBLIC_EMPLOYEE
    )
    approved_record(teacher, rank_code="V.07.05.15", step=3, effective=datetime.date(2023, 9, 1))
    page = login("clerk_a")
    page.goto(f"/staff/{teacher.pk}/salary/new/")
    rank = page.locator("select[name=rank]")
    expect(rank).to_have_value(str(Rank.objects.get(code="V.07.05.15").pk))
    assert rank.locator("option").count() < Rank.objects.count()
    page.fill("input[name=step]", "4")
    expect(page.locator("[data-preview-coefficient]")).to_have_text("3,33")
    expect(page.locator("[data-preview-monthly]")).to_contain_text(" đ")
    shoot(page, "salary-form")
    assert page.console_errors == []


def test_the_drafts_tab_ticks_all_and_the_history_reads_in_vietnamese(world, login):
    from payroll import services

    for person in (world.staff_in_a, world.staff_in_a1):
        approved_record(person, rank_code="01.003", step=3, effective=datetime.date(2023, 10, 1))
        services.salary_draft_create(
            staff=person,
            values={"kind": "regular", "rank": Rank.objects.get(code="01.003"), "step": 4,
                    "effective_date": datetime.date(2026, 10, 1)},
            actor=world.clerk,
        )  # fmt: skip
    page = login("head_a")
    page.goto("/salary/decisions/?status=draft")
    boxes = page.locator("input[name=records]")
    expect(boxes).to_have_count(2)
    page.locator("input[data-select-all=records]").check()
    for index in range(2):
        expect(boxes.nth(index)).to_be_checked()
    shoot(page, "decisions-drafts")
    page.fill("#id_decision_number", "12/QĐ-SGDĐT")
    page.click("button:has-text('Duyệt')")
    page.goto("/salary/decisions/?status=approved")
    expect(page.locator("table.data")).to_contain_text("12/QĐ-SGDĐT")
    shoot(page, "decisions-approved")

    page.goto(f"/staff/{world.staff_in_a1.pk}/history/")
    expect(page.locator("table.history")).not_to_contain_text("Decided at")
    shoot(page, "history")
    assert page.console_errors == []


def test_the_due_list_marks_drafts_and_ticks_all(world, login):
    from payroll import services

    for person in (world.staff_in_a, world.staff_in_a1):
        approved_record(person, rank_code="01.003", step=3, effective=datetime.date(2023, 10, 1))
    services.salary_draft_create(
        staff=world.staff_in_a,
        values={"kind": "regular", "rank": Rank.objects.get(code="01.003"), "step": 4,
                "effective_date": datetime.date(2026, 10, 1)},
        actor=world.clerk,
    )  # fmt: skip
    page = login("clerk_a")
    page.goto("/salary/due/?list=regular&start=01/07/2026&end=31/12/2026")
    expect(page.locator(".badge.drafted")).to_have_count(1)
    page.locator("input[data-select-all=staff]").check()
    expect(page.locator("input[name=staff]:checked")).to_have_count(
        page.locator("input[name=staff]").count()
    )
    shoot(page, "due-list")
    assert page.console_errors == []
