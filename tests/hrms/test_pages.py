"""Site-wide pages: language, login and logout, password change, error pages, headers."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_vietnamese_is_the_default_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "vi"
    content = response.content.decode()
    assert '<html lang="vi">' in content
    assert "Đăng nhập" in content and "Tên đăng nhập" in content


@pytest.mark.django_db
def test_english_can_be_chosen_and_sticks(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    content = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in content and "Log in" in content
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Đăng nhập" in client.get(reverse("login")).content.decode()


def test_login_lands_on_the_home_page_with_the_users_roles(world, client):
    response = client.post(
        reverse("login"), {"username": "clerk_a", "password": PASSWORD}, follow=True
    )
    content = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Cán bộ tổ chức" in content and "Sở A" in content


def test_wrong_password_gets_a_vietnamese_message_and_no_session(world, client):
    response = client.post(reverse("login"), {"username": "clerk_a", "password": "wrong"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(world, client_for):
    client = client_for(world.clerk)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_requires_the_old_password_and_a_strong_new_one(world, client_for):
    client = client_for(world.clerk)
    weak = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert weak.status_code == 200
    assert "Mật khẩu quá ngắn" in weak.content.decode()
    ok = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Lanh-dao-2026!",
            "new_password2": "Lanh-dao-2026!",
        },
    )
    assert ok.status_code == 302
    world.clerk.refresh_from_db()
    assert world.clerk.check_password("Lanh-dao-2026!")


def test_missing_pages_get_a_friendly_vietnamese_404(world, client_for):
    response = client_for(world.clerk).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Không tìm thấy trang" in content and "Về trang chủ" in content


def test_server_errors_get_a_friendly_500_without_touching_the_database(rf):
    from hrms.views import error_500

    response = error_500(rf.get("/"))
    assert response.status_code == 500
    assert "Đã xảy ra lỗi" in response.content.decode()


@pytest.mark.django_db
def test_security_headers_are_sent(client):
    response = client.get(reverse("login"))
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_every_request_pushes_the_idle_timeout_forward(world, client_for):
    client = client_for(world.clerk)
    client.get(reverse("home"))
    first = client.session.get_expiry_age()
    assert 29 * 60 < first <= 30 * 60
    assert client.cookies["sessionid"]["max-age"] in ("", 30 * 60)  # browser-session cookie


def test_forbidden_actions_get_a_friendly_vietnamese_403(world, rf):
    from hrms.views import error_403

    request = rf.get("/")
    request.user = world.clerk
    response = error_403(request)
    assert response.status_code == 403
    assert "Bạn không có quyền" in response.content.decode()


def test_nothing_sent_to_a_signed_in_user_may_be_stored_by_the_browser(
    world, client_for, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from tests.factories import png_bytes

    settings.MEDIA_ROOT = tmp_path
    staff = world.staff_in_a
    staff.photo.save("anh.png", ContentFile(png_bytes()), save=True)
    client = client_for(world.clerk)
    urls = {
        "home": reverse("home"),
        "staff list": reverse("personnel:staff_list") + "?q=nguyen",
        "staff page": reverse("personnel:staff_detail", args=[staff.pk]),
        "list export (XLSX)": reverse("personnel:staff_list_export"),
        "dossier (PDF)": reverse("personnel:staff_dossier_pdf", args=[staff.pk]),
        "photo": reverse("personnel:staff_photo", args=[staff.pk]),
        "salary history": reverse("payroll:staff_salary", args=[staff.pk]),
        "due list export (XLSX)": reverse("payroll:due_list_export")
        + "?list=regular&start=01/07/2026&end=31/12/2026",
        "out of scope (404)": reverse("personnel:staff_detail", args=[world.staff_in_b.pk]),
    }
    for what, url in urls.items():
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)  # reading it to the end closes the file
        assert response.status_code in (200, 404), (what, response.status_code)
        cache_control = response.headers.get("Cache-Control", "")
        assert "no-store" in cache_control and "private" in cache_control, (what, cache_control)
        assert "max-age=0" in cache_control, (what, cache_control)
