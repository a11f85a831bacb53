"""At 375 px (a phone) the main pages do not scroll sideways, the menu folds behind a toggle;
screenshots are saved under var/screenshots (not committed). Charts render for a head and the
administrator."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from personnel.models import Training

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
NO_SIDEWAYS_SCROLL = "document.scrollingElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 812}, locale="en-US"
    )
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, username):
    from tests.conftest import PASSWORD

    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state()


def test_the_main_pages_do_not_scroll_sideways_at_375_px(world, phone):
    SHOTS.mkdir(parents=True, exist_ok=True)
    Training.objects.create(
        staff=world.staff_in_a1, school="Trường Đại học Sư phạm – Đại học Huế, khoa Ngữ văn",
        field="Ngữ văn", start="2005", end="2009", degree="Cử nhân",
    )  # fmt: skip
    sign_in(phone, "clerk_a")
    expect(phone.locator("nav.mainnav")).to_be_hidden()
    phone.click("label.nav-toggle-label")
    expect(phone.locator("nav.mainnav")).to_be_visible()
    pages = {
        "home": "/",
        "staff-list": "/staff/",
        "dossier": f"/staff/{world.staff_in_a1.pk}/",
        "form": f"/staff/{world.staff_in_a1.pk}/edit/residence/",
        "rows-form": f"/staff/{world.staff_in_a1.pk}/edit/training/",
    }
    for name, url in pages.items():
        phone.goto(url)
        phone.screenshot(path=str(SHOTS / f"375-{name}.png"), full_page=True)
        assert phone.evaluate(NO_SIDEWAYS_SCROLL), name


@pytest.mark.parametrize("username", ["head_a", "admin_p"])
def test_charts_render_for_a_head_and_the_administrator(world, salaries, login, username):
    page = login(username)
    page.click("nav.mainnav >> text=Biểu đồ")
    expect(page.locator("svg.chart")).to_have_count(8)
    expect(page.locator("#chart-units table")).to_contain_text("Sở A")
    with page.expect_download() as download:
        page.click("#chart-age >> a:has-text('Tải về (XLSX)')")
    assert download.value.suggested_filename.endswith(".xlsx")
    assert page.console_errors == []
