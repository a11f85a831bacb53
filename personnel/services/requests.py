"""Change requests, scanned documents and notifications.

A change request is applied only by ``change_request_approve``, through the same services as a
clerk's own edit (``staff_update``, ``staff_rows_save``, or the service a registered section
names, such as payroll's dependants): the record's history shows the change with the approver as
actor and, as reason, the request naming who asked for it. A request about an existing row keeps
what the row held; if the row changed since, the approval refuses (a stale request) until the
clerk has seen the row as it is now (docs/rules.md §10.8).
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrms.lib.audit import audited
from personnel import permissions
from personnel.models import (
    ChangeRequest,
    Document,
    Notification,
    NotificationSetting,
    Staff,
)
from personnel.people import display_name
from personnel.request_sections import (
    DOSSIER_TABLE_ACTIONS,
    fingerprint,
    registered_section,
    row_state,
    rows_of,
    section_title,
)
from personnel.services.staff import staff_rows_save, staff_update

logger = logging.getLogger(__name__)

# Magic bytes of the accepted scans: the type is read from the content, never from the name
# or the browser's word for it.
SIGNATURES = (
    (b"%PDF-", Document.ContentType.PDF),
    (b"\xff\xd8\xff", Document.ContentType.JPEG),
    (b"\x89PNG\r\n\x1a\n", Document.ContentType.PNG),
)
MAX_DOCUMENTS_PER_REQUEST = 5


def document_content_type(upload) -> str:
    """The type of an uploaded scan read from its first bytes (PDF, JPEG or PNG) within the
    size cap; raises ValidationError naming what is wrong."""
    limit = settings.HRMS_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file %(name)s is larger than %(size)s MB.")
            % {"name": upload.name, "size": limit // (1024 * 1024)},
            code="file_too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    raise ValidationError(
        _("The file %(name)s is not a PDF, JPEG or PNG scan.") % {"name": upload.name},
        code="file_type",
    )


def _store_document(*, staff: Staff, upload, kind: str, title: str, actor, **links) -> Document:
    content_type = document_content_type(upload)
    document = Document(
        staff=staff,
        kind=kind,
        title=title[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
        **links,
    )
    document.file.save("scan", upload, save=False)
    try:
        with transaction.atomic():
            document.save()
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def document_attach(
    *, staff: Staff, upload, kind: str, actor, title: str = "", row_kind: str = "", row_id=None
) -> Document:
    """Keep a scanned paper with ``staff``'s record, attached to a dossier row or a salary
    decision (``row_kind``, ``row_id``) or to the record itself."""
    with audited(actor, _("Scanned document")):
        return _store_document(
            staff=staff, upload=upload, kind=kind, title=title, actor=actor,
            row_kind=row_kind, row_id=row_id,
        )  # fmt: skip


@transaction.atomic
def change_request_create(
    *,
    staff: Staff,
    section: str,
    proposed: dict,
    previous: dict,
    note: str,
    uploads,
    actor,
    row_action: str = "",
    row_id: int | None = None,
) -> ChangeRequest:
    """A staff member's proposal to change one section of their own record, with its scans;
    the clerks of the person's unit are told. For a table section ``row_action`` says whether
    a row is added, or row ``row_id`` corrected, removed (``note`` gives the reason) or ended;
    what that row holds now is kept with the request."""
    if not permissions.is_own_record(actor, staff):
        raise ValidationError(_("A change request is made from one's own record."))
    if not permissions.may_request_change(actor, staff, section):
        raise ValidationError(_("This part of the record cannot be changed by a request."))
    registered = registered_section(section)
    row_before = _row_before(staff, section, row_action, row_id, note, registered)
    uploads = list(uploads)
    if len(uploads) > MAX_DOCUMENTS_PER_REQUEST:
        raise ValidationError(
            _("Attach at most %(count)s files.") % {"count": MAX_DOCUMENTS_PER_REQUEST}
        )
    with audited(actor, _("Change request")):
        request = ChangeRequest.objects.create(
            staff=staff,
            section=section,
            row_action=row_action,
            row_id=row_id if row_before is not None else None,
            row_before=row_before or {},
            proposed=proposed,
            previous=previous,
            note=note,
            requested_by=actor,
        )
        for upload in uploads:
            _store_document(
                staff=staff, upload=upload, kind=Document.Kind.OTHER, title=upload.name,
                actor=actor, change_request=request, row_kind=section,
            )  # fmt: skip
    link = f"/requests/{request.pk}/"
    text = _("%(name)s asks to correct their record (%(section)s).") % {
        "name": staff.full_name,
        "section": _section_title(section),
    }
    for user in permissions.users_holding(permissions.CHANGE_STAFF, staff.unit):
        if user.pk != actor.pk:
            notify(user=user, kind=Notification.Kind.REQUEST_WAITING, text=text, link=link)
    return request


_section_title = section_title


class StaleRequest(ValidationError):
    """The row a request corrects, removes or ends changed after the request was made."""

    def __init__(self, current: dict):
        super().__init__(
            _(
                "Stale request: this row was changed on the record after the request was sent. "
                "Compare the row as it is now with the proposal, edit the proposal if need be, "
                "then approve again."
            ),
            code="stale_request",
        )
        self.current = current


def _row_before(staff, section, row_action, row_id, note, registered) -> dict | None:
    """What the row a request is about holds now (None when a row is added or the section is
    a group of fields); refuses an action the section does not allow or a row not on record."""
    is_table = registered is not None or rows_of(section, staff) is not None
    if not is_table:
        if row_action:
            raise ValidationError(_("This part of the record has no rows."))
        return None
    allowed = registered.actions if registered is not None else DOSSIER_TABLE_ACTIONS
    if row_action not in allowed:
        raise ValidationError(_("This change cannot be proposed for this part of the record."))
    if row_action == ChangeRequest.RowAction.ADD:
        return None
    state = row_state(section, staff, row_id) if row_id is not None else None
    if state is None:
        raise ValidationError(_("The row you propose to change is not on your record."))
    if row_action == ChangeRequest.RowAction.REMOVE and not " ".join(note.split()):
        raise ValidationError(
            {"note": _("Reason for removing: say why the row is wrong.")}, code="required"
        )
    return state


def _lock_pending(change_request_id: int, *, actor, act: str) -> ChangeRequest:
    request = (
        ChangeRequest.objects.select_for_update()
        .select_related("staff", "staff__unit")
        .get(pk=change_request_id)
    )
    if request.status != ChangeRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    refusal = permissions.four_eyes_refusal(
        actor=actor, act=act, concerns=[request.staff_id], prepared_by_id=request.requested_by_id
    )
    if refusal:
        raise ValidationError(refusal)
    if not permissions.may_decide_change_request(actor, request.staff):
        raise ValidationError(_("You may not decide requests about this record."))
    return request


@transaction.atomic
def change_request_approve(
    *,
    change_request_id: int,
    expected_version: int,
    applied: dict,
    actor,
    changes: dict | None = None,
    saved_rows: list[models.Model] | None = None,
    deleted_rows: list[models.Model] | None = None,
    values: dict | None = None,
    row_seen: str | None = None,
) -> ChangeRequest:
    """Apply a request (as proposed, or as the clerk edited it) through the dossier services
    (``changes`` for a group of fields; ``saved_rows`` and ``deleted_rows`` for a table) or the
    registered section's own (its form's cleaned ``values``), all in this one transaction, and
    record who asked and who approved; the requester is told.

    A request about an existing row is refused when the row is gone, or when it no longer holds
    what the clerk saw: ``row_seen`` is the fingerprint of the row the clerk's screen showed,
    by default the row as it was when the request was made (raises ``StaleRequest``)."""
    request = _lock_pending(change_request_id, actor=actor, act=permissions.Act.APPROVE)
    staff = Staff.objects.select_for_update().get(pk=request.staff_id)
    registered = registered_section(request.section)
    row = None
    if request.row_id is not None:
        current = row_state(request.section, staff, request.row_id, lock=True)
        if current is None:
            raise ValidationError(
                _("The row this request is about is no longer on the record; reject the request.")
            )
        if fingerprint(current) != (row_seen or fingerprint(request.row_before)):
            raise StaleRequest(current)
        if registered is not None:
            row = registered.rows(staff).get(pk=request.row_id)
    reason = _("Change request #%(id)s from %(name)s (%(section)s)") % {
        "id": request.pk,
        "name": display_name(request.requested_by),
        "section": _section_title(request.section),
    }
    if registered is not None:
        registered.apply(
            staff=staff,
            action=request.row_action,
            row=row,
            values=values or {},
            actor=actor,
            reason=reason,
        )
    elif changes is not None:
        staff_update(
            staff_id=request.staff_id,
            expected_version=expected_version,
            changes=changes,
            actor=actor,
            reason=reason,
        )
    else:
        for existing in [*(saved_rows or []), *(deleted_rows or [])]:
            if existing.pk is not None and existing.pk != request.row_id:
                raise ValidationError(_("Only the row the request is about may be changed."))
        staff_rows_save(
            staff_id=request.staff_id,
            expected_version=expected_version,
            saved=saved_rows or [],
            deleted=deleted_rows or [],
            actor=actor,
            reason=reason,
        )
    with audited(actor, reason):
        request.status = ChangeRequest.Status.APPROVED
        request.applied = applied
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "applied", "decided_by", "decided_at"])
    notify(
        user=request.requested_by,
        kind=Notification.Kind.REQUEST_DECIDED,
        text=_("Your change request (%(section)s) was approved.")
        % {"section": _section_title(request.section)},
        link=f"/requests/{request.pk}/",
    )
    return request


@transaction.atomic
def change_request_reject(*, change_request_id: int, reason: str, actor) -> ChangeRequest:
    """Refuse a request with a reason the requester reads; nothing on the record changes."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Reason for rejecting: say why.")})
    request = _lock_pending(change_request_id, actor=actor, act=permissions.Act.REJECT)
    with audited(actor, _("Change request rejected")):
        request.status = ChangeRequest.Status.REJECTED
        request.rejection_reason = reason[:255]
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    notify(
        user=request.requested_by,
        kind=Notification.Kind.REQUEST_DECIDED,
        text=_("Your change request (%(section)s) was rejected: %(reason)s")
        % {"section": _section_title(request.section), "reason": request.rejection_reason},
        link=f"/requests/{request.pk}/",
    )
    return request


@transaction.atomic
def change_request_withdraw(*, change_request_id: int, actor) -> ChangeRequest:
    """The requester takes back a request nobody has decided yet."""
    request = ChangeRequest.objects.select_for_update().get(pk=change_request_id)
    if request.requested_by_id != actor.pk:
        raise ValidationError(_("Only the person who sent a request may withdraw it."))
    if request.status != ChangeRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    with audited(actor, _("Change request withdrawn")):
        request.status = ChangeRequest.Status.WITHDRAWN
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_at"])
    return request


# --- Notifications ----------------------------------------------------------------------------


def notification_choice(user, kind: str) -> tuple[bool, bool]:
    """Whether ``user`` wants ``kind`` in the app and by e-mail (both unless turned off)."""
    setting = NotificationSetting.objects.filter(user=user, kind=kind).first()
    return (setting.in_app, setting.email) if setting else (True, True)


def notify(*, user, kind: str, text: str, link: str = "") -> Notification | None:
    """Tell ``user`` something: a notification in the app and an e-mail, each unless the user
    turned that kind off. The e-mail leaves only once the transaction commits."""
    in_app, by_email = notification_choice(user, kind)
    notification = None
    if in_app:
        notification = Notification.objects.create(
            user=user, kind=kind, text=text[:300], link=link[:255]
        )
    if by_email and user.email:
        subject = str(Notification.Kind(kind).label)

        def send():
            try:
                send_mail(subject, text, None, [user.email])
            except Exception:  # a mail server down must not undo the decision
                logger.exception("notification e-mail to user %s failed", user.pk)

        transaction.on_commit(send)
    return notification


def notify_approvers(*, units, kind: str, text: str, link: str, actor) -> int:
    """Tell everyone who approves salary decisions or payroll runs on any of ``units`` (through
    a grant on it or an ancestor) — once each, the actor left out. Returns how many."""
    told = set()
    for unit in {unit.pk: unit for unit in units}.values():
        for user in permissions.users_holding(permissions.APPROVE_SALARY, unit):
            if user.pk not in told and user.pk != getattr(actor, "pk", None):
                told.add(user.pk)
                notify(user=user, kind=kind, text=text, link=link)
    return len(told)


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark ``user``'s notifications read (all of them, or those in ``ids``)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_settings_save(*, user, choices: dict[str, tuple[bool, bool]]) -> None:
    """Store ``user``'s choice (in the app, by e-mail) for each kind of notification."""
    for kind, (in_app, email) in choices.items():
        NotificationSetting.objects.update_or_create(
            user=user, kind=kind, defaults={"in_app": in_app, "email": email}
        )
