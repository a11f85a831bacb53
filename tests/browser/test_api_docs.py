"""The API's docs page renders in Chromium under the strict CSP (assets from the sidecar wheel,
no inline script), and a signed-in clerk can try an operation with her session."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_docs_render_under_the_csp_and_try_a_call(world, login):
    page = login("clerk_a")
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text
            and violations.append(message.text))  # fmt: skip
    response = page.goto("/api/v1/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    operation = page.locator(".opblock-summary-path[data-path='/api/v1/staff/']").first
    expect(operation).to_be_visible(timeout=15000)
    expect(page.locator(".opblock")).not_to_have_count(0)
    page.locator("#operations-staff-staff_list .opblock-summary").click()
    page.locator("#operations-staff-staff_list button.try-out__btn").click()
    page.locator("#operations-staff-staff_list button.execute").click()
    status = page.locator(
        "#operations-staff-staff_list .live-responses-table tbody .response-col_status"
    )
    expect(status.first).to_contain_text("200", timeout=15000)
    body = page.locator("#operations-staff-staff_list .live-responses-table .microlight").first
    expect(body).to_contain_text("Trần Thị Bình")
    assert violations == []
    assert page.console_errors == []
