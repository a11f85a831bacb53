"""API clients: a token per persona, and a client that presents it."""

import pytest
from django.test import Client

from api.tokens import token_issue


class TokenClient(Client):
    """A test client that sends ``Authorization: Bearer <key>`` (and JSON bodies)."""

    def __init__(self, key: str | None = None, language: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.key = key
        self.language = language

    def _headers(self, headers):
        headers = dict(headers or {})
        if self.key:
            headers.setdefault("Authorization", f"Bearer {self.key}")
        if self.language:
            headers.setdefault("Accept-Language", self.language)
        return headers

    def get(self, path, data=None, headers=None, **extra):
        return super().get(path, data, headers=self._headers(headers), **extra)

    def post(self, path, data=None, headers=None, **extra):
        return super().post(
            path, data or {}, content_type="application/json", headers=self._headers(headers),
            **extra,
        )  # fmt: skip

    def put(self, path, data=None, headers=None, **extra):
        return super().put(
            path, data or {}, content_type="application/json", headers=self._headers(headers),
            **extra,
        )  # fmt: skip

    def patch(self, path, data=None, headers=None, **extra):
        return super().patch(
            path, data or {}, content_type="application/json", headers=self._headers(headers),
            **extra,
        )  # fmt: skip


@pytest.fixture
def token_for(world):
    """A token client for a user (the personas are service accounts here)."""

    def issue(user, **kwargs) -> TokenClient:
        _token, key = token_issue(user=user, name=f"Hệ thống {user.username}", actor=world.admin)
        return TokenClient(key, **kwargs)

    return issue
