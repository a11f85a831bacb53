"""API clients' tokens, their per-minute call counters, and the CBCCVC export jobs."""

import uuid
from pathlib import Path

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrms.jobs import LeasedJob
from personnel.models import OrgUnit


class ApiToken(models.Model):
    """A client system's key to the API, bound to a service account (a user) whose grants
    decide what it may read and write, exactly as for a person.

    Only the SHA-256 of the secret is kept: the secret is shown once, when the token is issued.
    A token is presented as ``Authorization: Bearer <prefix>.<secret>``; the prefix finds the
    row, the hash of the whole string must match.
    """

    name = models.CharField(_("client system"), max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("service account"),
    )
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    rate_per_minute = models.PositiveIntegerField(
        _("calls per minute"),
        default=600,
        help_text=_("Calls beyond this within a minute are refused (429) until the next minute."),
    )
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    exclude=["last_used_at"],
    model_name="ApiTokenEvent",
)(ApiToken)


class ApiCallCount(models.Model):
    """Calls of one token within one minute: the rate limit's counter, shared by every web
    worker through the database (one upsert per call). Bookkeeping, not history."""

    token = models.ForeignKey(ApiToken, models.CASCADE, related_name="+")
    minute = models.DateTimeField()
    calls = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "minute"], name="api_call_count_minute")
        ]

    def __str__(self):
        return f"{self.token_id} {self.minute:%H:%M} {self.calls}"


class CbccvcExport(LeasedJob):
    """The province's records in the shape of the national CBCCVC database, as JSON lines
    (docs/cbccvc-mapping.md), written in the background for whoever may export them."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    task_path = "api.tasks.cbccvc_export_task"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    unit = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit (with the units under it)"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("records"), default=0)
    done = models.PositiveIntegerField(_("records done"), default=0)
    file = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)

    class Meta:
        verbose_name = _("CBCCVC export")
        verbose_name_plural = _("CBCCVC exports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"CBCCVC {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def directory(self) -> Path:
        return Path(settings.MEDIA_ROOT) / "cbccvc" / str(self.pk)

    def on_abandoned(self) -> None:
        import shutil

        shutil.rmtree(self.directory, ignore_errors=True)
