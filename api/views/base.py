"""What every API view shares: the caller's language, ``Cache-Control: no-store``, and one
access-log entry per call."""

import base64
import datetime
import json

from django.conf import settings
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework.views import APIView

from api.errors import FieldErrors
from api.models import ApiToken
from personnel import services
from personnel.models import AccessLogEntry


def accepted_language(request) -> str:
    """The first language of ``Accept-Language`` the app speaks; Vietnamese otherwise."""
    supported = {code for code, _name in settings.LANGUAGES}
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        base = code.split("-")[0].lower()
        if base in supported:
            return base
    return settings.LANGUAGE_CODE


class ApiView(APIView):
    """Base of the API's views. A view sets ``self.logged_staff`` (and ``self.log_detail``)
    to name the record a call read or changed in the access log."""

    logged_staff = None
    log_detail: dict | None = None

    def initial(self, request, *args, **kwargs):
        language = accepted_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        patch_vary_headers(response, ("Accept-Language", "Authorization"))
        response.headers["Content-Language"] = translation.get_language()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            token = request.auth if isinstance(request.auth, ApiToken) else None
            services.access_log_record(
                user=user,
                action=AccessLogEntry.Action.API_CALL,
                staff=self.logged_staff,
                request=request._request,
                detail={
                    "method": request.method,
                    "status": response.status_code,
                    "token": token.prefix if token else None,
                    **(self.log_detail or {}),
                },
            )
        return response


# --- Query parameters --------------------------------------------------------------------------


def changed_since(request) -> datetime.datetime | None:
    """``?changed_since=`` as an aware datetime (ISO 8601), or None."""
    raw = request.query_params.get("changed_since", "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None:
        raise FieldErrors(
            {"changed_since": [_("Give a date and time as ISO 8601, e.g. 2026-07-01T00:00:00Z.")]}
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def integer_param(request, name: str) -> int | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise FieldErrors({name: [_("Give a whole number.")]})
    return int(raw)


def choice_param(request, name: str, choices) -> str:
    raw = request.query_params.get(name, "").strip()
    if raw and raw not in choices:
        raise FieldErrors(
            {name: [_("One of: %(choices)s.") % {"choices": ", ".join(sorted(choices))}]}
        )
    return raw


# --- Keyset pagination over (updated_at, id) ---------------------------------------------------


def encode_cursor(updated_at: datetime.datetime, pk: int) -> str:
    raw = json.dumps([updated_at.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(request) -> tuple[datetime.datetime, int] | None:
    raw = request.query_params.get("cursor", "").strip()
    if not raw:
        return None
    try:
        stamp, pk = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        value = datetime.datetime.fromisoformat(stamp)
        if not isinstance(pk, int) or timezone.is_naive(value):
            raise ValueError(raw)
    except (ValueError, TypeError, json.JSONDecodeError) as error:
        raise FieldErrors({"cursor": [_("This cursor is not one the API gave.")]}) from error
    return value, pk


def page_size(request, default: int = 100) -> int:
    size = integer_param(request, "page_size") or default
    return max(1, min(size, settings.API_MAX_PAGE_SIZE))


def after_cursor(
    queryset,
    cursor: tuple[datetime.datetime, int] | None,
    *,
    stamp: str = "updated_at",
    key: str = "id",
    stamp_sql: str | None = None,
):
    """Rows after ``cursor`` in (``stamp``, ``key``) order — columns of the queryset's table,
    or ``stamp_sql`` for a computed time — as one row comparison, which walks the index on
    those columns."""
    if cursor is None:
        return queryset
    table = queryset.model._meta.db_table
    moment = stamp_sql or f'"{table}"."{stamp}"'
    return queryset.extra(where=[f'({moment}, "{table}"."{key}") > (%s, %s)'], params=list(cursor))


def sync_overlap() -> datetime.timedelta:
    """How far back the next sync starts from the moment a page was served: a transaction that
    began before that moment may commit a row stamped earlier than rows already seen, so the
    next sync reads a little again (records carry their version; applying one twice is
    harmless)."""
    return datetime.timedelta(seconds=settings.API_SYNC_OVERLAP_SECONDS)


def keyset_page(request, rows: list, *, key=lambda row: (row["updated_at"], row["id"])) -> dict:
    """The envelope of a page: ``results`` plus the cursor of the next page (None on the
    last), and ``sync_mark``, the ``changed_since`` to give the next incremental sync."""
    size = page_size(request)
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = encode_cursor(*key(rows[-1])) if more else None
    next_url = None
    if next_cursor is not None:
        query = request.query_params.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {
        "next_cursor": next_cursor,
        "next": next_url,
        "sync_mark": (timezone.now() - sync_overlap()).isoformat(),
        "rows": rows,
    }
