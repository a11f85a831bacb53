"""The inbox journeys in a real browser: a teacher proposes a correction with a scan, the clerk
approves it from the inbox and the teacher is told; then she proposes a correction of an
existing family row, which the clerk approves (the new forms checked at 375 px for sideways
scrolling); a head approves waiting decisions from the inbox."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from payroll.models import SalaryRecord
from personnel.models import FamilyMember
from tests.conftest import approved_record

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
NO_SIDEWAYS_SCROLL = "document.scrollingElement.scrollWidth <= window.innerWidth"


def at_375_px(page, name: str) -> bool:
    """Whether the page fits a phone's width (a screenshot is saved under var/screenshots)."""
    size = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 812})
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"375-{name}.png"), full_page=True)
    fits = page.evaluate(NO_SIDEWAYS_SCROLL)
    page.set_viewport_size(size)
    return fits


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.HRMS_PRIVATE_ROOT = tmp_path / "private"


def test_a_teacher_proposes_a_change_with_a_scan_the_clerk_approves_the_teacher_is_told(
    world, login, tmp_path
):
    scan = tmp_path / "xac-nhan-cu-tru.pdf"
    scan.write_bytes(PDF)
    page = login("staff_a1")
    page.goto("/me/")
    page.click("#residence >> a:has-text('Đề nghị sửa')")
    expect(page.locator("h1")).to_contain_text("Đề nghị sửa")
    page.fill("#id_phone", "0912 345 678")
    page.fill("#id_current_residence", "Số 5 đường Lê Lợi, phường Phú Hội")
    page.fill("#id_note", "Tôi đã chuyển nhà từ tháng 9")
    page.set_input_files("#id_scans", str(scan))
    page.click("button:has-text('Gửi cán bộ tổ chức')")
    expect(page.locator(".messages")).to_contain_text("Đã gửi yêu cầu")
    expect(page.locator("#request-status")).to_contain_text("Chờ cán bộ tổ chức xử lý")
    page.click("button:has-text('Đăng xuất')")

    page = login("clerk_a")
    expect(page.locator(".unread-count")).to_have_text("1")
    inbox = page.locator("#inbox")
    expect(inbox).to_contain_text("Yêu cầu sửa hồ sơ của nhân sự đang chờ bạn")
    inbox.locator("a", has_text="Yêu cầu sửa hồ sơ của nhân sự").click()
    page.click("#change-requests >> a")
    comparison = page.locator("#comparison")
    expect(comparison).to_contain_text("0912 345 678")
    expect(comparison).to_contain_text("Số 5 đường Lê Lợi")
    with page.expect_download() as download:
        page.click("ul.documents >> a")
    assert download.value.suggested_filename.endswith(".pdf")
    page.fill("#id_phone", "0912 345 679")  # edit, then approve
    page.click("#approve")
    expect(page.locator(".messages")).to_contain_text("Đã duyệt yêu cầu và cập nhật hồ sơ")
    expect(page.locator("#request-status")).to_contain_text("Đã duyệt")
    page.click("button:has-text('Đăng xuất')")

    page = login("staff_a1")
    expect(page.locator(".unread-count")).to_have_text("1")
    page.click("#notifications-link")
    expect(page.locator("#notifications")).to_contain_text("đã được duyệt")
    page.goto("/me/")
    expect(page.locator("#residence")).to_contain_text("0912 345 679")

    # A wrong year of birth in an existing family row: corrected, not added again.
    mother = FamilyMember.objects.create(
        staff=world.own_record, relation="mother", full_name="Nguyễn Thị Mai", birth_year=1950
    )
    page.click("#family >> a:has-text('Đề nghị sửa')")
    assert at_375_px(page, "request-rows")
    page.click("#request-rows >> a.row-change")
    page.fill("#id_rows-0-birth_year", "1952")
    page.fill("#id_note", "Giấy khai sinh ghi năm 1952")
    assert at_375_px(page, "request-row-form")
    page.click("button:has-text('Gửi cán bộ tổ chức')")
    expect(page.locator("#request-action")).to_contain_text("Sửa một dòng")
    page.click("button:has-text('Đăng xuất')")

    page = login("clerk_a")
    page.locator("#inbox a", has_text="Yêu cầu sửa hồ sơ của nhân sự").click()
    page.click("#change-requests >> a >> nth=0")
    row = page.locator("#comparison tr", has_text="Năm sinh")
    expect(row).to_contain_text("1950")
    expect(row).to_contain_text("1952")
    assert at_375_px(page, "request-row-approve")
    page.click("#approve")
    expect(page.locator("#request-status")).to_contain_text("Đã duyệt")
    mother.refresh_from_db()
    assert mother.birth_year == 1952
    assert FamilyMember.objects.filter(staff=world.own_record).count() == 1
    assert page.console_errors == []


def test_a_head_sees_and_approves_waiting_decisions_from_the_inbox(world, login):
    record = approved_record(
        world.staff_in_a1, rank_code="V.07.05.15", step=2, effective=datetime.date(2023, 9, 1)
    )
    SalaryRecord.objects.create(
        staff=world.staff_in_a1, status="draft", kind="regular", rank=record.rank, step=3,
        coefficient=record.rank.group.steps.get(step=3).coefficient,
        effective_date=datetime.date(2026, 9, 1), step_since=datetime.date(2026, 9, 1),
        created_by=world.clerk,
    )  # fmt: skip
    page = login("head_a")
    line = page.locator("#inbox a", has_text="Quyết định lương chờ duyệt")
    expect(line.locator(".num")).to_have_text("1")
    line.click()
    page.check("input[name=records]")
    page.click("button:has-text('Duyệt các dự thảo đã chọn')")
    expect(page.locator(".messages")).to_contain_text("Đã duyệt 1 quyết định")
    page.goto("/")
    expect(page.locator("#inbox-empty")).to_be_visible()
    assert page.console_errors == []
