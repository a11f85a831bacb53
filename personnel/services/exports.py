"""Bulk dossier exports: creating a job, running it in the worker, expiring its files.

The worker re-checks the requester's scope when it runs: only records the requester may export
at that moment are included, so a transfer or a withdrawn grant between the request and the run
is respected. Every exported record is written to the access log.

One record that cannot be printed never fails the export: it is left out, logged with its
traceback, and listed on the job (``problems``) with the reason in plain words; the rest is
exported. The job runs under a lease (``hrms.jobs``) renewed with each record: if the worker
dies, the job is retried once by another worker, then failed. Messages stored on a job are
msgids (``gettext_noop``), translated when shown; exception text never reaches the page.
"""

import datetime
import io
import logging
import shutil
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pypdf import PdfWriter
from reportlab.platypus.doctemplate import LayoutError

from hrms import jobs
from hrms.lib.printable import printable
from personnel import permissions, selectors
from personnel.exporters.dossier_pdf import DossierPDF
from personnel.exporters.summary_list import SummaryListExport
from personnel.models import AccessLogEntry, ExportJob, Notification, OrgUnit, Staff
from personnel.people import display_name
from personnel.presentation import dossier_queryset
from personnel.salary_source import current_salaries
from personnel.services.requests import notify

logger = logging.getLogger(__name__)
CHUNK = 200

EXPORT_FAILED = gettext_noop(
    "The export could not be completed because of an unexpected error; the details are in the "
    "server log. Please try again, and tell the administrator if it fails again."
)
NOTHING_PRINTED = gettext_noop("None of the dossiers could be printed; the reasons are below.")
RECORD_LAYOUT = gettext_noop(
    "Part of the dossier could not be laid out on the page; the details are in the server log."
)
RECORD_FAILED = gettext_noop(
    "The dossier could not be printed because of an unexpected error; the details are in the "
    "server log."
)


def exported_staff(
    *, user, unit: OrgUnit, category: str = "", staff_status: str = ""
) -> QuerySet[Staff]:
    """The records of ``unit``'s subtree that ``user`` may export (``user`` None: the command
    line, everything), narrowed by category and status, in name order."""
    staff = (
        permissions.visible_staff(user, permissions.EXPORT_STAFF)
        if user is not None
        else Staff.objects.all()
    )
    staff = staff.in_subtree(unit)
    if category:
        staff = staff.filter(category=category)
    if staff_status:
        staff = staff.filter(status=staff_status)
    return staff.order_by("sort_key", "id")


@transaction.atomic
def export_job_create(
    *, user, unit: OrgUnit, format: str, category: str = "", staff_status: str = ""
) -> ExportJob:
    """Queue a bulk export of ``unit``'s dossiers for ``user`` (who must be allowed to export
    that unit); the worker picks it up."""
    if not permissions.unit_in_scope(user, permissions.EXPORT_STAFF, unit):
        raise ValidationError({"unit": _("You may not export the dossiers of this unit.")})
    job = ExportJob.objects.create(
        requested_by=user, unit=unit, format=format, category=category, staff_status=staff_status
    )
    jobs.enqueue(job)  # the task row is committed with the job
    return job


def write_export(
    *,
    staff: QuerySet[Staff],
    target_dir: Path,
    base_name: str,
    format: str,
    show_sensitive_for,
    extracted_by: str,
    on_progress=None,
    on_problem=None,
) -> tuple[Path, Path, list[int]]:
    """Render every dossier of ``staff`` into ``target_dir`` (a ZIP of PDFs, or one merged PDF)
    and the summary list (XLSX). Returns the two files and the ids exported.

    A dossier that cannot be printed is left out: ``on_problem(person, reason)`` is told why
    (``reason`` a msgid) and the export goes on. ``on_progress(done, total)`` is called after
    every record and before each long final step (it renews the job's lease)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    ids = list(staff.values_list("pk", flat=True))
    main = target_dir / (
        f"{base_name}.zip" if format == ExportJob.Format.ZIP else f"{base_name}.pdf"
    )
    merged = PdfWriter() if format == ExportJob.Format.MERGED else None
    archive = zipfile.ZipFile(main, "w", zipfile.ZIP_DEFLATED) if merged is None else None
    people = []
    handled = 0
    try:
        for start in range(0, len(ids), CHUNK):
            chunk = list(
                dossier_queryset()
                .filter(pk__in=ids[start : start + CHUNK])
                .order_by("sort_key", "id")
            )
            for person in chunk:
                pdf = _render(person, show_sensitive_for, extracted_by, now, on_problem)
                handled += 1
                if pdf is not None:
                    if archive is not None:
                        name = f"{person.staff_number}-{_slug(person.full_name)}.pdf"
                        archive.writestr(printable(name), pdf)
                    else:
                        merged.append(io.BytesIO(pdf))
                    people.append(person)
                if on_progress:
                    on_progress(handled, len(ids))
        salaries = current_salaries([person.pk for person in people])
        summary = target_dir / f"trich-ngang-{base_name}.xlsx"
        summary.write_bytes(SummaryListExport(people, salaries).xlsx())
        if archive is not None:
            archive.write(summary, summary.name)
    finally:
        if archive is not None:
            archive.close()
    if merged is not None:
        if on_progress:
            on_progress(handled, len(ids))
        with open(main, "wb") as handle:
            merged.write(handle)
    return main, summary, [person.pk for person in people]


def _render(person, show_sensitive_for, extracted_by, now, on_problem) -> bytes | None:
    """One dossier as PDF bytes, or None (``on_problem`` told why) if it cannot be printed.
    Database errors are not the record's fault: they stop the export."""
    try:
        return DossierPDF(
            selectors.dossier_data(staff=person),
            show_sensitive=show_sensitive_for(person),
            extracted_by=extracted_by,
            extracted_at=timezone.localtime(now),
        ).render()
    except (DatabaseError, jobs.LeaseLost):
        raise
    except Exception as error:
        logger.exception("Dossier %s (%s) could not be printed", person.pk, person.staff_number)
        if on_problem:
            on_problem(person, RECORD_LAYOUT if isinstance(error, LayoutError) else RECORD_FAILED)
        return None


def run_export_job(job_id) -> dict | None:
    """Run one queued export (called by the worker) under the job's lease; records the outcome
    on the job. Returns a summary for the task result, or None if the job was not queued."""
    lease = jobs.claim(ExportJob, job_id)
    if lease is None:
        return None
    job = ExportJob.objects.select_related("requested_by", "unit").get(pk=lease.job.pk)
    user = job.requested_by
    # Each attempt writes into its own folder; what an earlier (dead) attempt left goes.
    for stale in job.directory.glob("*"):
        shutil.rmtree(stale, ignore_errors=True)
    target = job.directory / str(job.attempts)
    problems = []

    def problem(person, reason):
        problems.append(
            {"staff": person.pk, "number": person.staff_number, "name": person.full_name,
             "reason": reason}
        )  # fmt: skip

    try:
        staff = exported_staff(
            user=user, unit=job.unit, category=job.category, staff_status=job.staff_status
        )
        lease.renew(total=staff.count(), done=0, problems=[])
        main, summary, ids = write_export(
            staff=staff,
            target_dir=target,
            base_name=f"ho-so-{_slug(job.unit.code)}",
            format=job.format,
            show_sensitive_for=lambda person: permissions.may_see_sensitive(user, person),
            extracted_by=display_name(user),
            on_progress=lambda done, total: lease.renew(done=done, total=total),
            on_problem=problem,
        )
        if problems and not ids:
            shutil.rmtree(target, ignore_errors=True)
            lease.fail(NOTHING_PRINTED, problems=problems)
            return {"exported": 0, "left_out": len(problems)}
        media = Path(settings.MEDIA_ROOT)
        with transaction.atomic():
            AccessLogEntry.objects.bulk_create(
                AccessLogEntry(user=user, action=AccessLogEntry.Action.EXPORT_BULK, staff_id=pk,
                               detail={"job": str(job.pk), "unit": job.unit.code})
                for pk in ids
            )  # fmt: skip
            lease.finish(
                status=ExportJob.Status.DONE,
                expires_at=timezone.now()
                + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS),
                main_file=str(main.relative_to(media)),
                summary_file=str(summary.relative_to(media)),
                problems=problems,
            )
            notify(
                user=user,
                kind=Notification.Kind.EXPORT_READY,
                text=_("Your export of %(unit)s is ready.") % {"unit": job.unit.name},
                link=reverse("personnel:exports"),
            )
        return {"exported": len(ids), "left_out": len(problems)}
    except jobs.LeaseLost:
        logger.warning("Export %s: lease lost, leaving the job to its new worker", job.pk)
        shutil.rmtree(target, ignore_errors=True)
        raise
    except Exception:
        logger.exception("Export %s failed", job.pk)
        shutil.rmtree(target, ignore_errors=True)
        lease.fail(EXPORT_FAILED, problems=problems)
        raise


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of finished exports past their date; returns how many expired."""
    now = now or timezone.now()
    expired = ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now)
    count = 0
    for job in expired:
        shutil.rmtree(job.directory, ignore_errors=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.EXPIRED, main_file="", summary_file=""
        )
        count += 1
    return count


def _slug(value: str) -> str:
    from hrms.lib.vietnamese import fold

    return "-".join(fold(printable(value)).replace("/", " ").split())[:60] or "ho-so"
