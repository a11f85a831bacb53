"""Bulk payslips of a run (one PDF per person in a ZIP, or one merged PDF), made in the
background by a task worker under a lease (``hrms.jobs``), like bulk dossier exports.

The worker checks again, when it runs, that the requester may still export the run's payroll;
every payslip it prints is written to the access log. Files expire (``expires_at``).
"""

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hrms.jobs import LeasedJob


class PayslipExportJob(LeasedJob):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    class Format(models.TextChoices):
        ZIP = "zip", _("One PDF per person, in a ZIP file")
        MERGED = "merged", _("One merged PDF")

    task_path = "payroll.tasks.export_payslips_task"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    run = models.ForeignKey(
        "payroll.PayrollRun", models.PROTECT, related_name="+", verbose_name=_("payroll run")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    format = models.CharField(_("format"), max_length=8, choices=Format.choices, default=Format.ZIP)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("payslips"), default=0)
    done = models.PositiveIntegerField(_("payslips done"), default=0)
    # Payslips left out, each {"staff": id, "number": …, "name": …, "reason": msgid}.
    problems = models.JSONField(_("payslips left out"), default=list, blank=True)
    file = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk payslips")
        verbose_name_plural = _("bulk payslips")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["run", "requested_by", "-created_at"], name="payslip_export_run")
        ]

    def __str__(self):
        return f"{self.run} {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def exported(self) -> int:
        """How many payslips the finished file holds."""
        return self.total - len(self.problems)

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def directory(self) -> Path:
        """Where the job's files are written (one folder per attempt inside)."""
        return Path(settings.MEDIA_ROOT) / "payslips" / str(self.pk)

    @property
    def problem_list(self) -> list[dict]:
        """The payslips left out, with the reason in the reader's language."""
        return [{**problem, "reason": gettext(problem["reason"])} for problem in self.problems]

    def on_abandoned(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
