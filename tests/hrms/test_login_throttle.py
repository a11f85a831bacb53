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
