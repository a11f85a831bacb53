"""Self-service: a staff member's proposed corrections to their own record (change requests),
the scanned documents kept with a record (private files, served only through a scoped view),
and the notifications the app sends its users.

A change request changes nothing until a clerk of the person's unit approves it; the approval
applies it through the same services as a clerk's own edit (``personnel.services.staff``), so
the record's history shows the change with the approver as actor and the request as reason.
"""

import uuid

import pghistory
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from personnel.models.staff import Staff


class PrivateStorage(FileSystemStorage):
    """Files that no URL serves: outside the static and media roots, read only by views that
    check access first. ``url()`` refuses, so no template can link to a file directly."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.HRMS_PRIVATE_ROOT)

    @cached_property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no public URL.")

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "HRMS_PRIVATE_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


private_storage = PrivateStorage()


def _document_path(document: "Document", filename: str) -> str:
    # The stored name says nothing about the person or the upload's own name.
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        document.content_type, "bin"
    )
    return f"documents/{document.staff_id}/{uuid.uuid4().hex}.{extension}"


class ChangeRequest(models.Model):
    """A correction a staff member proposes to one section of their own record."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the personnel clerk")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class RowAction(models.TextChoices):
        """What a request does to a table section's row (empty for a group of fields)."""

        ADD = "add", _("Add a row")
        CHANGE = "change", _("Correct a row")
        REMOVE = "remove", _("Remove a row")
        END = "end", _("End")

    staff = models.ForeignKey(
        Staff, models.PROTECT, related_name="change_requests", verbose_name=_("staff record")
    )
    section = models.CharField(_("section"), max_length=24)
    row_action = models.CharField(
        _("what is done to the row"), max_length=6, choices=RowAction.choices, blank=True
    )
    # The row corrected, removed or ended (a row of the section's table; no foreign key, since
    # sections registered by other apps keep their rows in their own tables).
    row_id = models.PositiveBigIntegerField(_("row"), null=True, blank=True)
    # What that row held when the request was made ({field: plain text}): shown beside the
    # proposal, and compared with the row at approval so a later edit is never overwritten.
    row_before = models.JSONField(_("row when proposed"), default=dict, blank=True)
    # The form's values as submitted ({field: text}; a table section: the row's values).
    proposed = models.JSONField(_("proposed values"), default=dict)
    # What the record held when the request was made, for the side-by-side view.
    previous = models.JSONField(_("values when proposed"), default=dict)
    note = models.CharField(_("explanation"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or rejected by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # What was applied (the clerk may have edited the proposal before approving).
    applied = models.JSONField(_("applied values"), default=dict, blank=True)
    rejection_reason = models.CharField(_("reason for rejecting"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["staff"], condition=models.Q(status="pending"), name="change_request_open"
            ),
            models.Index(fields=["requested_by", "-created_at"], name="change_request_mine"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.staff} {self.section}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class Document(models.Model):
    """A scanned paper kept with a record (a decision, a diploma, a certificate): attached to a
    change request, a row of the dossier or a salary decision (``row_kind`` and ``row_id``,
    since salary decisions belong to payroll, which personnel does not import)."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Decision")
        DIPLOMA = "diploma", _("Diploma")
        CERTIFICATE = "certificate", _("Certificate")
        OTHER = "other", _("Other paper")

    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    staff = models.ForeignKey(
        Staff, models.PROTECT, related_name="documents", verbose_name=_("staff record")
    )
    kind = models.CharField(_("kind of paper"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to=_document_path)
    content_type = models.CharField(max_length=20, choices=ContentType.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    change_request = models.ForeignKey(
        ChangeRequest,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("change request"),
    )
    # What the paper supports: "training", "certificates", "family"… (a dossier table) or
    # "salary" (a salary decision), with the row's id.
    row_kind = models.CharField(_("attached to"), max_length=24, blank=True)
    row_id = models.PositiveBigIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scanned document")
        verbose_name_plural = _("scanned documents")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["staff", "row_kind", "row_id"], name="document_row")]

    def __str__(self):
        return self.title or self.get_kind_display()

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[
            self.content_type
        ]


class Notification(models.Model):
    """Something the app tells one user: shown with an unread badge, also sent by e-mail
    unless the user turned that kind off (``NotificationSetting``)."""

    class Kind(models.TextChoices):
        DECISION_AWAITS = "decision_awaits", _("A decision awaits your approval")
        REQUEST_DECIDED = "request_decided", _("Your change request was approved or rejected")
        REQUEST_WAITING = "request_waiting", _("A change request awaits you")
        EXPORT_READY = "export_ready", _("Your export is ready")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("message"), max_length=300)
    link = models.CharField(_("link"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["user", "-created_at"], name="notification_user"),
        ]

    def __str__(self):
        return self.text


pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), model_name="ChangeRequestEvent")(
    ChangeRequest
)
pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
    model_name="DocumentEvent",
)(Document)  # fmt: skip


class NotificationSetting(models.Model):
    """One user's choice for one kind of notification (no row: both on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Notification.Kind.choices)
    in_app = models.BooleanField(_("in the app"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_setting_once")
        ]

    def __str__(self):
        return f"{self.user} {self.kind}"
