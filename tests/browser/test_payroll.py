"""A school's July payroll in a real browser: the clerk opens and computes the month, the head
approves and locks it, and a teacher opens her own payslip (and nobody else's)."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.conftest import approved_record

pytestmark = pytest.mark.browser


def test_clerk_computes_head_approves_teacher_reads_her_payslip(world, browser, live_server, login):
    teacher = world.own_record  # Lê Thị Cúc, a teacher of school A1 with a login (staff_a1)
    teacher.category = "public_employee"
    teacher.save(update_fields=["category"])
    approved_record(teacher, rank_code="V.07.05.15", step=4, effective=datetime.date(2024, 9, 1))
    approved_record(
        world.staff_in_a1, rank_code="V.07.05.15", step=2, effective=datetime.date(2025, 9, 1)
    )

    page = login("clerk_a")
    page.click("nav.mainnav >> text=Tiền lương")
    page.select_option("#id_unit", label="— — Trường A1")
    page.fill("#id_month", "07/2026")
    page.click("button:has-text('Mở bảng lương tháng')")
    expect(page.locator("h1")).to_contain_text("Bảng lương tháng 07/2026 — Trường A1")
    page.click("button:has-text('Tính lương tháng')")
    expect(page.locator(".messages")).to_contain_text("Đã tính lương tháng")
    row = page.locator("table.data tbody tr", has_text="Lê Thị Cúc")
    # Viên chức, coefficient 3.33 × 2,530,000 = 8,424,900; no public-service allowance.
    expect(row).to_contain_text("8.424.900 đ")
    expect(page.locator(".badge")).to_contain_text("Đã tính, chờ duyệt")
    expect(page.locator("button:has-text('Duyệt')")).to_have_count(0)  # never the preparer
    page.click("button:has-text('Đăng xuất')")

    page = login("head_a")
    page.goto("/payroll/")
    page.click("table.data >> text=07/2026")
    page.click("button:has-text('Duyệt')")
    expect(page.locator(".messages")).to_contain_text("Đã duyệt bảng lương tháng")
    page.click("button:has-text('Khóa bảng lương')")
    expect(page.locator(".badge")).to_contain_text("Đã khóa")
    expect(page.locator("a:has-text('Bảng thanh toán tiền lương')")).to_be_visible()
    page.click("button:has-text('Đăng xuất')")

    page = login("staff_a1")
    page.goto("/me/")
    page.click("a:has-text('Phiếu lương')")
    expect(page.locator("table.data")).to_contain_text("07/2026")
    with page.expect_download() as download:
        page.click("table.payslips >> a:has-text('Tải về (PDF)')")
    assert download.value.suggested_filename.endswith(".pdf")
    other = world.staff_in_a1.payslips.get()
    response = page.request.get(f"/payroll/payslips/{other.pk}.pdf")
    assert response.status == 404
    assert page.console_errors == []
