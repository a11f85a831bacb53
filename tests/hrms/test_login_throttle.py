"""Failed logins are throttled per username and IP address, and an administrator can unlock."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD


def fail_logins(client, username: str, times: int, ip: str = "10.0.0.1"):
    response = None
    for _ in range(times):
        response = client.post(
            reverse("login"), {"username": username, "password": "wrong"}, REMOTE_ADDR=ip
        )
    return response


@pytest.fixture
def limit():
    return settings.AXES_FAILURE_LIMIT


def test_the_account_locks_after_too_many_failures_from_one_address(world, client, limit):
    fail_logins(client, "clerk_a", limit - 1)
    assert (
        client.post(
            reverse("login"), {"username": "clerk_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
        ).status_code
        == 302
    )  # one below the limit: the right password still works
    client.post(reverse("logout"))

    response = fail_logins(client, "clerk_a", limit)
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    locked = client.post(
        reverse("login"), {"username": "clerk_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_username_and_address(world, client, limit):
    fail_logins(client, "clerk_a", limit)
    other_address = client.post(
        reverse("login"), {"username": "clerk_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert other_address.status_code == 302
    client.post(reverse("logout"))
    other_user = client.post(
        reverse("login"), {"username": "head_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert other_user.status_code == 302


def test_an_administrator_unlocks_from_the_admin_site(world, client, limit):
    fail_logins(client, "clerk_a", limit)
    attempt = AccessAttempt.objects.get(username="clerk_a")

    admin_client = Client()
    admin_client.force_login(world.admin, backend="django.contrib.auth.backends.ModelBackend")
    changelist = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200 and "clerk_a" in changelist.content.decode()
    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()

    unlocked = client.post(
        reverse("login"), {"username": "clerk_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert unlocked.status_code == 302


def change_password(client, old: str, new: str = "Lanh-dao-2026!"):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
        REMOTE_ADDR="10.0.0.1",
    )


def test_wrong_old_passwords_on_the_password_form_lock_the_account_like_logins(
    world, client_for, limit
):
    client = client_for(world.clerk)
    for _ in range(limit - 1):
        refused = change_password(client, "wrong")
        assert refused.status_code == 200
        assert "Mật khẩu cũ không chính xác" in refused.content.decode()
    assert AccessAttempt.objects.get(username="clerk_a").failures_since_start == limit - 1

    locked = change_password(client, "wrong")
    assert locked.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in locked.content.decode()
    assert "_auth_user_id" not in client.session  # the session that was guessing is ended

    # Locked like a failed login: neither the password form nor the login form lets them in,
    # even with the right password, until an administrator unlocks or the lock expires.
    client_for(world.clerk)
    assert change_password(client, PASSWORD).status_code == 429
    world.clerk.refresh_from_db()
    assert world.clerk.check_password(PASSWORD)
    login = client.post(
        reverse("login"), {"username": "clerk_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert login.status_code == 429


def test_a_right_old_password_changes_it_and_clears_earlier_failures(world, client_for, limit):
    client = client_for(world.clerk)
    change_password(client, "wrong")
    assert AccessAttempt.objects.filter(username="clerk_a").exists()
    assert change_password(client, PASSWORD).status_code == 302
    world.clerk.refresh_from_db()
    assert world.clerk.check_password("Lanh-dao-2026!")
    assert not AccessAttempt.objects.filter(username="clerk_a").exists()


def test_the_administration_sites_password_form_is_throttled_too(world, client_for, limit):
    client = client_for(world.admin)
    url = reverse("admin:password_change")
    for _ in range(limit - 1):
        refused = client.post(
            url, {"old_password": "wrong", "new_password1": "x", "new_password2": "x"}
        )
        assert refused.status_code == 200
    assert AccessAttempt.objects.get(username="admin_p").failures_since_start == limit - 1
    locked = client.post(url, {"old_password": "wrong", "new_password1": "x", "new_password2": "x"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
