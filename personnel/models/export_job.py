"""Bulk dossier exports, run in the background by a task worker (django-tasks, database backend).

A job remembers who asked for what; the worker decides again, when it runs, which records the
requester may export, so nobody's dossier ends up in an export its requester may not see.
Files expire (``expires_at``); expired files are deleted by ``manage.py expire_exports``.
The job runs under a lease (``hrms.jobs``): if its worker dies it is retried once, then failed.
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


class ExportJob(LeasedJob):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    class Format(models.TextChoices):
        ZIP = "zip", _("One PDF per person, in a ZIP file")
        MERGED = "merged", _("One merged PDF")

    task_path = "personnel.tasks.export_dossiers_task"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="+", verbose_name=_("unit (with the units under it)")
    )
    category = models.CharField(_("category"), max_length=24, blank=True)
    staff_status = models.CharField(_("status of the staff"), max_length=16, blank=True)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices, default=Format.ZIP)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("records"), default=0)
    done = models.PositiveIntegerField(_("records done"), default=0)
    # Records left out, each {"staff": id, "number": …, "name": …, "reason": msgid}.
    problems = models.JSONField(_("records left out"), default=list, blank=True)
    main_file = models.CharField(max_length=255, blank=True)
    summary_file = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk export")
        verbose_name_plural = _("bulk exports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="export_job_user")]

    def __str__(self):
        return f"{self.unit} {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def exported(self) -> int:
        """How many dossiers the finished export holds."""
        return self.total - len(self.problems)

    @property
    def directory(self) -> Path:
        """Where the job's files are written (one folder per attempt inside)."""
        return Path(settings.MEDIA_ROOT) / "exports" / str(self.pk)

    @property
    def problem_list(self) -> list[dict]:
        """The records left out, with the reason in the reader's language."""
        return [{**problem, "reason": gettext(problem["reason"])} for problem in self.problems]

    def on_abandoned(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


class ExportPart(LeasedJob):
    """One chunk of an export's records, rendered by whichever worker takes it (any number of
    ``db_worker`` processes, on any machine sharing the database), under a lease of its own:
    a part whose worker died is retried once. The job assembles the parts when all are done.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    task_path = "personnel.tasks.export_part_task"

    job = models.ForeignKey(ExportJob, models.CASCADE, related_name="parts")
    number = models.PositiveIntegerField()
    staff_ids = models.JSONField(default=list)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    # What was written, in order: {"staff": id, "file": name in the part's folder,
    # "name": name in the ZIP, "title": the bookmark in the merged PDF}.
    records = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("part of a bulk export")
        verbose_name_plural = _("parts of bulk exports")
        ordering = ["job", "number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="export_part_number_unique")
        ]
        indexes = [models.Index(fields=["job", "status"], name="export_part_job_status")]

    def __str__(self):
        return f"{self.job_id} #{self.number}"

    @property
    def directory(self) -> Path:
        """Where this part's files are written (kept across the job's attempts)."""
        return self.job.directory / "parts" / f"{self.number:05d}"
