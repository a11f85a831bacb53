"""Bulk dossier exports: creating a job, running it in the worker, expiring its files.

The worker re-checks the requester's scope when it runs: only records the requester may export
at that moment are included, so a transfer or a withdrawn grant between the request and the run
is respected. Every exported record is written to the access log.
"""

import datetime
import io
import logging
import shutil
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfWriter

from personnel import permissions, selectors
from personnel.exporters.dossier_pdf import DossierPDF
from personnel.exporters.summary_list import SummaryListExport
from personnel.models import AccessLogEntry, ExportJob, OrgUnit, Staff
from personnel.people import display_name
from personnel.presentation import dossier_queryset
from personnel.salary_source import current_salaries

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 10
CHUNK = 200


def export_dir(job_id) -> Path:
    return Path(settings.MEDIA_ROOT) / "exports" / str(job_id)


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
    from personnel.tasks import export_dossiers_task

    if not permissions.unit_in_scope(user, permissions.EXPORT_STAFF, unit):
        raise ValidationError({"unit": _("You may not export the dossiers of this unit.")})
    job = ExportJob.objects.create(
        requested_by=user, unit=unit, format=format, category=category, staff_status=staff_status
    )
    transaction.on_commit(lambda: _enqueue(export_dossiers_task, job))
    return job


def _enqueue(task, job: ExportJob) -> None:
    result = task.enqueue(str(job.pk))
    ExportJob.objects.filter(pk=job.pk).update(task_result_id=str(result.id))


def write_export(
    *,
    staff: QuerySet[Staff],
    target_dir: Path,
    base_name: str,
    format: str,
    show_sensitive_for,
    extracted_by: str,
    on_progress=None,
) -> tuple[Path, Path, list[int]]:
    """Render every dossier of ``staff`` into ``target_dir`` (a ZIP of PDFs, or one merged PDF)
    and the summary list (XLSX). Returns the two files and the ids exported."""
    target_dir.mkdir(parents=True, exist_ok=True)
    now = timezone.localtime()
    ids = list(staff.values_list("pk", flat=True))
    main = target_dir / (
        f"{base_name}.zip" if format == ExportJob.Format.ZIP else f"{base_name}.pdf"
    )
    merged = PdfWriter() if format == ExportJob.Format.MERGED else None
    archive = zipfile.ZipFile(main, "w", zipfile.ZIP_DEFLATED) if merged is None else None
    people = []
    try:
        for start in range(0, len(ids), CHUNK):
            chunk = list(
                dossier_queryset()
                .filter(pk__in=ids[start : start + CHUNK])
                .order_by("sort_key", "id")
            )
            for person in chunk:
                pdf = DossierPDF(
                    selectors.dossier_data(staff=person),
                    show_sensitive=show_sensitive_for(person),
                    extracted_by=extracted_by,
                    extracted_at=now,
                ).render()
                if archive is not None:
                    archive.writestr(f"{person.staff_number}-{_slug(person.full_name)}.pdf", pdf)
                else:
                    merged.append(io.BytesIO(pdf))
                people.append(person)
                if on_progress and len(people) % PROGRESS_EVERY == 0:
                    on_progress(len(people), len(ids))
        salaries = current_salaries([person.pk for person in people])
        summary = target_dir / f"trich-ngang-{base_name}.xlsx"
        summary.write_bytes(SummaryListExport(people, salaries).xlsx())
        if archive is not None:
            archive.write(summary, summary.name)
    finally:
        if archive is not None:
            archive.close()
    if merged is not None:
        with open(main, "wb") as handle:
            merged.write(handle)
    if on_progress:
        on_progress(len(people), len(ids))
    return main, summary, [person.pk for person in people]


def run_export_job(job_id) -> None:
    """Run one queued export (called by the worker). Records failure on the job."""
    job = ExportJob.objects.select_related("requested_by", "unit").get(pk=job_id)
    if job.status != ExportJob.Status.QUEUED:
        return
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now()
    )
    user = job.requested_by
    try:
        staff = exported_staff(
            user=user, unit=job.unit, category=job.category, staff_status=job.staff_status
        )
        ExportJob.objects.filter(pk=job.pk).update(total=staff.count())

        def progress(done, total):
            ExportJob.objects.filter(pk=job.pk).update(done=done, total=total)

        main, summary, ids = write_export(
            staff=staff,
            target_dir=export_dir(job.pk),
            base_name=f"ho-so-{_slug(job.unit.code)}",
            format=job.format,
            show_sensitive_for=lambda person: permissions.may_see_sensitive(user, person),
            extracted_by=display_name(user),
            on_progress=progress,
        )
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(user=user, action=AccessLogEntry.Action.EXPORT_BULK, staff_id=pk,
                           detail={"job": str(job.pk), "unit": job.unit.code})
            for pk in ids
        )  # fmt: skip
        media = Path(settings.MEDIA_ROOT)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.DONE,
            finished_at=timezone.now(),
            expires_at=timezone.now() + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS),
            main_file=str(main.relative_to(media)),
            summary_file=str(summary.relative_to(media)),
        )
    except Exception as error:
        logger.exception("Export %s failed", job.pk)
        shutil.rmtree(export_dir(job.pk), ignore_errors=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED,
            finished_at=timezone.now(),
            error=_("The export could not be completed: %(reason)s") % {"reason": error},
        )
        raise


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of finished exports past their date; returns how many expired."""
    now = now or timezone.now()
    expired = ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now)
    count = 0
    for job in expired:
        shutil.rmtree(export_dir(job.pk), ignore_errors=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.EXPIRED, main_file="", summary_file=""
        )
        count += 1
    return count


def _slug(value: str) -> str:
    from hrms.lib.vietnamese import fold

    return "-".join(fold(value).replace("/", " ").split())[:60] or "ho-so"
