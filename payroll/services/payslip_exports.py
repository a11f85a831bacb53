"""Bulk payslips of a run: queuing the job, running it in the worker, expiring its files.

The worker checks again, when it runs, that the requester may still export the run's payroll
(a grant withdrawn in between is respected), prints every payslip the run holds, and logs each
one in the access log. A payslip that cannot be printed never fails the job: it is left out,
logged with its traceback and listed on the job with the reason; the rest is exported. The job
runs under a lease renewed with each payslip (``hrms.jobs``). Messages stored on a job are
msgids (``gettext_noop``), translated when shown.
"""

from __future__ import annotations

import datetime
import io
import logging
import shutil
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pypdf import PdfWriter
from reportlab.platypus.doctemplate import LayoutError

from hrms import jobs
from hrms.lib.printable import printable
from hrms.lib.vietnamese import fold
from payroll.exporters.payslip_pdf import PayslipPDF, payslip_data, payslip_queryset, rank_names
from payroll.models import PayrollRun, Payslip, PayslipExportJob
from personnel import permissions
from personnel.models import AccessLogEntry, Notification
from personnel.people import display_name
from personnel.services import notify

logger = logging.getLogger(__name__)
CHUNK = 200

EXPORT_FAILED = gettext_noop(
    "The payslips could not be made because of an unexpected error; the details are in the "
    "server log. Please try again, and tell the administrator if it fails again."
)
NO_LONGER_ALLOWED = gettext_noop(
    "You may no longer export this unit's payroll, so the payslips were not made."
)
NOTHING_PRINTED = gettext_noop("None of the payslips could be printed; the reasons are below.")
PAYSLIP_LAYOUT = gettext_noop(
    "Part of the payslip could not be laid out on the page; the details are in the server log."
)
PAYSLIP_FAILED = gettext_noop(
    "The payslip could not be printed because of an unexpected error; the details are in the "
    "server log."
)


@transaction.atomic
def payslip_export_create(*, user, run: PayrollRun, format: str) -> PayslipExportJob:
    """Queue the bulk payslips of ``run`` for ``user`` (who must be allowed to export the run's
    payroll); the worker picks the job up."""
    if not permissions.may_export_payroll(user, run.unit):
        raise ValidationError(_("You may not export this unit's payroll."))
    if format not in PayslipExportJob.Format.values:
        raise ValidationError({"format": _("Format: choose a ZIP file or one merged PDF.")})
    if not Payslip.objects.filter(run=run).exists():
        raise ValidationError(_("This month has no payslips yet: compute it first."))
    job = PayslipExportJob.objects.create(run=run, requested_by=user, format=format)
    jobs.enqueue(job)  # the task row is committed with the job
    return job


def slug(value: str) -> str:
    """A file-name-safe ASCII form of ``value`` (Vietnamese letters folded)."""
    return "-".join(fold(printable(value)).replace("/", " ").split())[:60] or "phieu-luong"


def payslip_file_name(payslip: Payslip) -> str:
    """``<staff number>-<name>-<yyyy-mm>.pdf``."""
    staff = payslip.staff
    return (
        f"{slug(staff.staff_number)}-{slug(staff.full_name)}-{payslip.year}-{payslip.month:02d}.pdf"
    )


def write_payslips(
    *, run: PayrollRun, target: Path, format: str, extracted_by: str, on_progress=None,
    on_problem=None,
) -> list[int]:  # fmt: skip
    """Print every payslip of ``run`` into ``target`` (a ZIP of PDFs or one merged PDF);
    returns the staff ids printed. ``on_problem(payslip, reason)`` hears of a payslip left out,
    ``on_progress(done, total)`` is called after each one (it renews the job's lease)."""
    now = timezone.localtime()
    ids = list(
        Payslip.objects.filter(run=run)
        .order_by("unit__path", "staff__sort_key", "staff_id")
        .values_list("pk", flat=True)
    )
    merged = PdfWriter() if format == PayslipExportJob.Format.MERGED else None
    archive = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) if merged is None else None
    printed: list[int] = []
    handled = 0
    try:
        for start in range(0, len(ids), CHUNK):
            chunk = list(
                payslip_queryset()
                .filter(pk__in=ids[start : start + CHUNK])
                .order_by("unit__path", "staff__sort_key", "staff_id")
            )
            names = rank_names(payslip.rank_code for payslip in chunk)
            for payslip in chunk:
                pdf = _render(payslip, names, extracted_by, now, on_problem)
                handled += 1
                if pdf is not None:
                    if archive is not None:
                        archive.writestr(payslip_file_name(payslip), pdf)
                    else:
                        merged.append(io.BytesIO(pdf))
                    printed.append(payslip.staff_id)
                if on_progress:
                    on_progress(handled, len(ids))
    finally:
        if archive is not None:
            archive.close()
    if merged is not None:
        with open(target, "wb") as handle:
            merged.write(handle)
    return printed


def _render(payslip, names, extracted_by, now, on_problem) -> bytes | None:
    try:
        return PayslipPDF(
            payslip_data(payslip, names), extracted_by=extracted_by, extracted_at=now
        ).render()
    except (DatabaseError, jobs.LeaseLost):
        raise
    except Exception as error:
        logger.exception("Payslip %s (staff %s) could not be printed", payslip.pk,
                         payslip.staff_id)  # fmt: skip
        if on_problem:
            on_problem(
                payslip, PAYSLIP_LAYOUT if isinstance(error, LayoutError) else PAYSLIP_FAILED
            )
        return None


def run_payslip_export(job_id) -> dict | None:
    """Run one queued bulk-payslip job (called by the worker) under its lease; records the
    outcome on the job. Returns a summary for the task result, or None if it was not queued."""
    lease = jobs.claim(PayslipExportJob, job_id)
    if lease is None:
        return None
    job = PayslipExportJob.objects.select_related("requested_by", "run", "run__unit").get(
        pk=lease.job.pk
    )
    user = job.requested_by
    run = job.run
    for stale in job.directory.glob("*"):
        shutil.rmtree(stale, ignore_errors=True)
    folder = job.directory / str(job.attempts)
    problems: list[dict] = []

    def problem(payslip, reason):
        problems.append(
            {"staff": payslip.staff_id, "number": payslip.staff.staff_number,
             "name": payslip.staff.full_name, "reason": reason}
        )  # fmt: skip

    try:
        if not permissions.may_export_payroll(user, run.unit):
            lease.fail(NO_LONGER_ALLOWED)
            return {"exported": 0, "refused": True}
        total = Payslip.objects.filter(run=run).count()
        lease.renew(total=total, done=0, problems=[])
        folder.mkdir(parents=True, exist_ok=True)
        base = f"phieu-luong-{slug(run.unit.code)}-{run.year}-{run.month:02d}"
        target = folder / (
            f"{base}.zip" if job.format == PayslipExportJob.Format.ZIP else f"{base}.pdf"
        )
        printed = write_payslips(
            run=run,
            target=target,
            format=job.format,
            extracted_by=display_name(user),
            on_progress=lambda done, count: lease.renew(done=done, total=count),
            on_problem=problem,
        )
        if problems and not printed:
            shutil.rmtree(folder, ignore_errors=True)
            lease.fail(NOTHING_PRINTED, problems=problems)
            return {"exported": 0, "left_out": len(problems)}
        media = Path(settings.MEDIA_ROOT)
        expires_at = timezone.now() + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS)
        with transaction.atomic():
            AccessLogEntry.objects.bulk_create(
                AccessLogEntry(user=user, action=AccessLogEntry.Action.PAYSLIP, staff_id=pk,
                               detail={"job": str(job.pk), "run": run.pk,
                                       "month": f"{run.year}-{run.month:02d}"})
                for pk in printed
            )  # fmt: skip
            lease.finish(
                status=PayslipExportJob.Status.DONE,
                expires_at=expires_at,
                file=str(target.relative_to(media)),
                problems=problems,
            )
            notify(
                user=user,
                kind=Notification.Kind.EXPORT_READY,
                text=_("The payslips of %(run)s are ready.") % {"run": run},
                link=reverse("payroll:run_outputs", args=[run.pk]),
            )
            # any worker deletes the files when they expire, without waiting for a cron job
            from payroll.tasks import expire_payslips_task

            expire_payslips_task.using(run_after=expires_at).enqueue(str(job.pk))
        return {"exported": len(printed), "left_out": len(problems)}
    except jobs.LeaseLost:
        logger.warning("Payslips %s: lease lost, leaving the job to its new worker", job.pk)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    except Exception:
        logger.exception("Payslips %s failed", job.pk)
        shutil.rmtree(folder, ignore_errors=True)
        lease.fail(EXPORT_FAILED, problems=problems)
        raise


def payslip_exports_expire(*, now: datetime.datetime | None = None, pk=None) -> int:
    """Delete the files of finished bulk payslips past their date (only job ``pk``'s when
    given); returns how many expired."""
    now = now or timezone.now()
    count = 0
    expired = PayslipExportJob.objects.filter(
        status=PayslipExportJob.Status.DONE, expires_at__lte=now
    )
    if pk is not None:
        expired = expired.filter(pk=pk)
    for job in expired:
        shutil.rmtree(job.directory, ignore_errors=True)
        PayslipExportJob.objects.filter(pk=job.pk).update(
            status=PayslipExportJob.Status.EXPIRED, file=""
        )
        count += 1
    return count
