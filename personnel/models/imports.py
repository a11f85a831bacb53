"""Spreadsheet imports: one batch per uploaded file, checked (dry run) and then committed in
the background by a task worker, under a lease (``hrms.jobs``).

A batch remembers who imported what, where the file is kept, the dry-run report, and after
the commit one ``ImportRecord`` per staff record it created or changed (with the values it
replaced), so the whole batch can be undone while nobody has changed those records since.
"""

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hrms.jobs import LeasedJob
from personnel.models.org import OrgUnit


class ImportBatch(LeasedJob):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        CHECKED = "checked", _("Checked")
        FAILED = "failed", _("Failed")
        COMMITTED = "committed", _("Imported")
        UNDONE = "undone", _("Undone")

    class Phase(models.TextChoices):
        CHECK = "check", _("Dry run")
        COMMIT = "commit", _("Import")

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff records")
        SALARY = "salary", _("Salary decisions (history)")
        RATINGS = "ratings", _("Yearly ratings")
        TRAINING = "training", _("Training")
        FAMILY = "family", _("Family relations")
        DEPENDANTS = "dependants", _("Dependants (family deduction)")
        ALLOWANCES = "allowances", _("Allowances of a person")

    task_path = "personnel.tasks.import_task"
    max_attempts = 1  # a commit is one transaction: a dead worker's attempt left nothing

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.STAFF)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="+", verbose_name=_("unit of rows without one")
    )
    file_name = models.CharField(_("file"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    phase = models.CharField(max_length=8, choices=Phase.choices, default=Phase.CHECK)
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    # {"created": n, "updated": n, "unchanged": n, "refused": n, "refusals": [{row, column,
    # message}], "likely_duplicates": [{row, name, birth, personal_id, other…}], "ignored": […]}
    report = models.JSONField(default=dict, blank=True)
    error_file = models.CharField(max_length=255, blank=True)
    duplicates_checked = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="import_batch_user")]

    def __str__(self):
        return f"{self.file_name} {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def directory(self) -> Path:
        return Path(settings.MEDIA_ROOT) / "imports" / str(self.pk)

    @property
    def source_path(self) -> Path:
        """The uploaded file, kept under a fixed name (its suffix says how to read it)."""
        return self.directory / ("source" + Path(self.file_name).suffix.lower())

    @property
    def refused(self) -> int:
        return self.report.get("refused", 0)

    @property
    def may_commit(self) -> bool:
        """A checked batch with no refused row may be imported."""
        return (
            self.status == self.Status.CHECKED
            and self.report.get("refused", 1) == 0
            and (self.report.get("created", 0) + self.report.get("updated", 0)) > 0
        )

    @property
    def refusal_list(self) -> list[dict]:
        return [
            {**item, "message": gettext(item["message"]) if item.get("msgid") else item["message"]}
            for item in self.report.get("refusals", [])
        ]

    def on_abandoned(self) -> None:
        shutil.rmtree(self.directory / "work", ignore_errors=True)


class ImportRecord(models.Model):
    """One staff record an import created or changed, with the values the import replaced."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="records")
    # Not a foreign key: undoing the batch deletes the records it created.
    staff_id = models.BigIntegerField()
    action = models.CharField(max_length=8, choices=Action.choices)
    # The record's version right after the import: a later change bumps it.
    version = models.PositiveIntegerField()
    before = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["staff_id"], name="import_record_staff")]

    def __str__(self):
        return f"{self.batch_id} {self.action} {self.staff_id}"
