"""Writing the access log (append-only): views, reveals and exports of personal data."""

from personnel.models import AccessLogEntry, Staff


def access_log_record(
    *, user, action: str, staff: Staff | None = None, request=None, detail: dict | None = None
) -> AccessLogEntry:
    """Record that ``user`` did ``action`` (on ``staff``), with the request's path and address."""
    return AccessLogEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        staff=staff,
        path=request.get_full_path()[:255] if request is not None else "",
        ip_address=request.META.get("REMOTE_ADDR") if request is not None else None,
        detail=detail or {},
    )
