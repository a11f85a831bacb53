"""Issuing, revoking and checking API tokens (the secret is shown once and stored hashed)."""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken
from hrms.lib.audit import audited

PREFIX_BYTES = 6  # 12 hexadecimal characters: finds the row
SECRET_BYTES = 32


def hash_key(key: str) -> str:
    """The stored form of a presented token: SHA-256 of the whole ``prefix.secret`` string (a
    random 256-bit secret needs no slow hash)."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_issue(
    *, user, name: str, actor, days: int = 365, rate_per_minute: int = 600
) -> tuple[ApiToken, str]:
    """A new token for the service account ``user``; returns it with the key to give the
    client (shown this once: only its hash is kept)."""
    # Hexadecimal, not URL-safe base64: a prefix starting with "-" read as an option by
    # `manage.py api_token revoke PREFIX` (it happened in CI).
    prefix = secrets.token_hex(PREFIX_BYTES)
    while ApiToken.objects.filter(prefix=prefix).exists():  # pragma: no cover - 2^48 space
        prefix = secrets.token_hex(PREFIX_BYTES)
    key = f"{prefix}.{secrets.token_urlsafe(SECRET_BYTES)}"
    with audited(actor, "API token issued"):
        token = ApiToken.objects.create(
            name=name,
            user=user,
            prefix=prefix,
            key_hash=hash_key(key),
            rate_per_minute=rate_per_minute,
            expires_at=timezone.now() + datetime.timedelta(days=days),
            created_by=actor,
        )
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke ``token`` from now on (kept, for the access log's sake)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        with audited(actor, "API token revoked"):
            token.save(update_fields=["revoked_at"])
    return token


def token_for_key(key: str) -> ApiToken | None:
    """The usable token presented as ``key``, or None (unknown, revoked, expired, inactive
    account)."""
    prefix, dot, _secret = key.partition(".")
    if not dot or not prefix:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not secrets.compare_digest(token.key_hash, hash_key(key)):
        return None
    if not token.is_usable or not token.user.is_active:
        return None
    return token
