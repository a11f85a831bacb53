"""Issuing and revoking tokens: the command prints the key once; the administration site shows
it once in its message; revoking keeps the row."""

import io
import re

from django.core.management import call_command
from django.urls import reverse

from api.models import ApiToken
from api.tokens import hash_key
from tests.api.conftest import TokenClient


def test_the_command_issues_lists_and_revokes(world):
    out = io.StringIO()
    call_command("api_token", "issue", "--user", "clerk_a", "--name", "Sở Tài chính", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert token.key_hash == hash_key(key) and token.user == world.clerk
    # Hexadecimal: never "-…", which the revoke command would read as an option.
    assert re.fullmatch("[0-9a-f]{12}", token.prefix)
    assert TokenClient(key).get("/api/v1/staff/").status_code == 200
    listed = io.StringIO()
    call_command("api_token", "list", stdout=listed)
    assert token.prefix in listed.getvalue() and key not in listed.getvalue()
    call_command("api_token", "revoke", token.prefix, stdout=io.StringIO())
    assert TokenClient(key).get("/api/v1/staff/").status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_the_administrator_issues_a_token_and_sees_the_key_once(world, client_for):
    client = client_for(world.admin)
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {"name": "Cổng dữ liệu tỉnh", "user": world.head.pk, "rate_per_minute": 600, "days": 30},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"] if token.prefix in str(m)]
    assert len(shown) == 1
    key = shown[0].rsplit(" ", 1)[-1]
    assert token.key_hash == hash_key(key) and token.created_by == world.admin
    assert (
        key
        not in client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    )
    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert ApiToken.objects.get().revoked_at is not None
