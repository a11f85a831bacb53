"""Bulk dossier exports: creating a job, running it in the worker, expiring its files.

The worker re-checks the requester's scope when it runs: only records the requester may export
at that moment are included, so a transfer or a withdrawn grant between the request and the run
is respected. Every exported record is written to the access log.

One record that cannot be printed never fails the export: it is left out, logged with its
traceback, and listed on the job (``problems``) with the reason in plain words; the rest is
exported. The job runs under a lease (``hrms.jobs``) renewed with each record: if the worker
dies, the job is retried once by another worker, then failed. Messages stored on a job are
msgids (``gettext_noop``), translated when shown; exception text never reaches the page.

One export uses every worker (issue 17): the job cuts its records into parts (``ExportPart``,
``settings.EXPORT_PART_SIZE`` records each), each with a lease and a task of its own, which any
free worker renders into the job's ``parts/`` folder (a PDF per dossier); the worker holding the
job renders parts too, waits for the others, and assembles the files by streaming the parts
(``assemble``): the ZIP entry by entry, the merged PDF through ``StreamingPdfWriter`` (a title,
a bookmark per person, memory flat whatever the number of dossiers). Payroll runs and imports
meet their targets in one process and do not use parts.
"""

import datetime
import logging
import shutil
import time
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from reportlab.platypus.doctemplate import LayoutError

from hrms import jobs
from hrms.lib.pdf_stream import PdfFragmentWriter, StreamingPdfWriter
from hrms.lib.printable import printable
from personnel import permissions, selectors
from personnel.exporters.dossier_pdf import DossierPDF
from personnel.exporters.summary_list import SummaryListExport
from personnel.models import AccessLogEntry, ExportJob, ExportPart, Notification, OrgUnit, Staff
from personnel.people import display_name
from personnel.presentation import dossier_queryset
from personnel.salary_source import current_salaries
from personnel.services.requests import notify

logger = logging.getLogger(__name__)
CHUNK = 200
FRAGMENT = "merged.frag"  # a part's share of the merged PDF

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
    title: str = "",
    on_progress=None,
    on_problem=None,
) -> tuple[Path, Path, list[int]]:
    """Render every dossier of ``staff`` into ``target_dir`` (a ZIP of PDFs, or one merged PDF)
    and the summary list (XLSX), in this process (the command line; the background job spreads
    the same parts over its workers). Returns the two files and the ids exported.

    A dossier that cannot be printed is left out: ``on_problem(person, reason)`` is told why
    (``reason`` a msgid) and the export goes on. ``on_progress(done, total)`` is called after
    every record."""
    target_dir.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    ids = list(staff.values_list("pk", flat=True))
    parts = target_dir / "parts"
    written = []
    for start in range(0, len(ids), settings.EXPORT_PART_SIZE):
        folder = parts / f"{len(written):05d}"
        records = render_part(
            ids[start : start + settings.EXPORT_PART_SIZE],
            folder,
            merged=format == ExportJob.Format.MERGED,
            show_sensitive_for=show_sensitive_for,
            extracted_by=extracted_by,
            extracted_at=now,
            on_record=(lambda done, start=start: on_progress(start + done, len(ids)))
            if on_progress
            else None,
            on_problem=on_problem,
        )
        written.append((folder, records))
    exported = [record["staff"] for _, records in written for record in records]
    main, summary = assemble(
        written,
        exported,
        target_dir=target_dir,
        base_name=base_name,
        format=format,
        title=title,
    )
    shutil.rmtree(parts, ignore_errors=True)
    return main, summary, exported


def render_part(
    ids: list[int],
    folder: Path,
    *,
    merged: bool,
    show_sensitive_for,
    extracted_by: str,
    extracted_at: datetime.datetime,
    on_record=None,
    on_problem=None,
) -> list[dict]:
    """Render the dossiers of ``ids`` into ``folder`` (emptied first), in name order: one PDF
    each, or (``merged``) one fragment of the merged PDF (``PdfFragmentWriter``: the copying
    work done here, in parallel, rather than by the worker assembling). Returns what was
    written (see ``ExportPart.records``). ``on_record(done)`` is called after every record."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    records = []
    fragment = PdfFragmentWriter(folder / FRAGMENT) if merged else None
    people = dossier_queryset().filter(pk__in=ids).order_by("sort_key", "id")
    try:
        for index, person in enumerate(people, start=1):
            pdf = _render(person, show_sensitive_for, extracted_by, extracted_at, on_problem)
            if pdf is not None:
                title = printable(f"{person.full_name} ({person.staff_number})")
                name = f"{index:04d}.pdf"
                if fragment is not None:
                    fragment.append(pdf, bookmark=title)
                else:
                    (folder / name).write_bytes(pdf)
                records.append(
                    {"staff": person.pk, "file": name,
                     "name": printable(f"{person.staff_number}-{_slug(person.full_name)}.pdf"),
                     "title": title}
                )  # fmt: skip
            if on_record:
                on_record(index)
    finally:
        if fragment is not None:
            fragment.close()
    return records


def assemble(
    parts,
    exported: list[int],
    *,
    target_dir: Path,
    base_name: str,
    format: str,
    title: str,
    on_progress=None,
) -> tuple[Path, Path]:
    """Write the export's files into ``target_dir`` from the rendered ``parts`` (an iterable
    of ``(folder, records)``, in order), streaming: each part is read from its folder and
    written out at once, so memory stays flat whatever the number of dossiers. Returns the
    main file (ZIP, or merged PDF with a bookmark per person and ``title``) and the summary
    list."""
    target_dir.mkdir(parents=True, exist_ok=True)
    summary = target_dir / f"trich-ngang-{base_name}.xlsx"
    salaries = {}  # of the chunk of people being written
    summary.write_bytes(
        SummaryListExport(_people_in_order(exported, salaries, on_progress), salaries).xlsx()
    )
    if format == ExportJob.Format.ZIP:
        main = target_dir / f"{base_name}.zip"
        with zipfile.ZipFile(main, "w", zipfile.ZIP_DEFLATED) as archive:
            for folder, records in parts:
                for record in records:
                    archive.write(folder / record["file"], record["name"])
                if on_progress:
                    on_progress()
            archive.write(summary, summary.name)
    else:
        main = target_dir / f"{base_name}.pdf"
        with open(main, "wb") as handle:
            writer = StreamingPdfWriter(handle, title=title)
            for folder, records in parts:
                if records:
                    writer.place(folder / FRAGMENT)
                if on_progress:
                    on_progress()
            writer.close()
    return main, summary


def _people_in_order(ids: list[int], salaries: dict, on_progress=None):
    """The people of ``ids`` in that order, read a chunk at a time, the current salaries of
    the chunk put in ``salaries`` (for the summary list's rows)."""
    for start in range(0, len(ids), CHUNK * 5):
        chunk = ids[start : start + CHUNK * 5]
        people = Staff.objects.select_related("unit").in_bulk(chunk)
        salaries.clear()
        salaries.update(current_salaries(chunk))
        for pk in chunk:
            if pk in people:
                yield people[pk]
        if on_progress:
            on_progress()
    salaries.clear()


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


def merged_title(unit: OrgUnit, when: datetime.datetime) -> str:
    """The merged PDF's title (a Vietnamese document, whatever the interface language)."""
    return f"Sơ yếu lý lịch - {unit.name} - trích ngày {timezone.localtime(when):%d/%m/%Y}"


def run_export_job(job_id) -> dict | None:
    """Run one queued export (called by the worker) under the job's lease; records the outcome
    on the job. Returns a summary for the task result, or None if the job was not queued.

    The first attempt cuts the records into parts (``ExportPart``) and queues a task for each,
    so that every free worker renders some; this worker renders parts too, then waits for the
    others' (renewing its lease, and recovering a part whose worker died), and assembles the
    files. A retry of the job keeps the parts already rendered."""
    lease = jobs.claim(ExportJob, job_id)
    if lease is None:
        return None
    job = ExportJob.objects.select_related("requested_by", "unit").get(pk=lease.job.pk)
    user = job.requested_by
    # Each attempt assembles into its own folder; what an earlier (dead) attempt left goes,
    # but not the parts already rendered.
    for stale in job.directory.glob("*"):
        if stale.name != "parts":
            shutil.rmtree(stale, ignore_errors=True)
    target = job.directory / str(job.attempts)
    problems = []
    try:
        if not job.parts.exists():
            ids = list(
                exported_staff(
                    user=user, unit=job.unit, category=job.category, staff_status=job.staff_status
                ).values_list("pk", flat=True)
            )
            _plan_parts(job, ids)
            lease.renew(total=len(ids), done=0, problems=[])
        _work_on_parts(lease, job)
        exported = []
        for records, part_problems in (
            job.parts.order_by("number").values_list("records", "problems").iterator()
        ):
            exported.extend(record["staff"] for record in records)
            problems.extend(part_problems)
        if problems and not exported:
            shutil.rmtree(job.directory, ignore_errors=True)
            lease.fail(NOTHING_PRINTED, problems=problems)
            return {"exported": 0, "left_out": len(problems)}
        main, summary = assemble(
            _parts(job),
            exported,
            target_dir=target,
            base_name=f"ho-so-{_slug(job.unit.code)}",
            format=job.format,
            title=merged_title(job.unit, job.created_at),
            on_progress=lambda: lease.renew(),
        )
        media = Path(settings.MEDIA_ROOT)
        with transaction.atomic():
            for start in range(0, len(exported), 2000):
                AccessLogEntry.objects.bulk_create(
                    AccessLogEntry(user=user, action=AccessLogEntry.Action.EXPORT_BULK,
                                   staff_id=pk, detail={"job": str(job.pk), "unit": job.unit.code})
                    for pk in exported[start : start + 2000]
                )  # fmt: skip
            lease.finish(
                status=ExportJob.Status.DONE,
                done=job.total if job.total else len(exported) + len(problems),
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
        shutil.rmtree(job.directory / "parts", ignore_errors=True)
        return {"exported": len(exported), "left_out": len(problems)}
    except jobs.LeaseLost:
        logger.warning("Export %s: lease lost, leaving the job to its new worker", job.pk)
        shutil.rmtree(target, ignore_errors=True)
        raise
    except Exception as error:
        logger.exception("Export %s failed", job.pk)
        _stop_parts(job)
        shutil.rmtree(job.directory, ignore_errors=True)
        # a part given up because its workers died twice says so; anything else is an error
        lease.fail(getattr(error, "reason", EXPORT_FAILED), problems=problems)
        raise


class PartFailed(Exception):
    """A part of the export failed (an error, or its worker died twice): ``reason`` is the
    part's message (a msgid), which the job takes."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


@transaction.atomic
def _plan_parts(job: ExportJob, ids: list[int]) -> None:
    size = settings.EXPORT_PART_SIZE
    parts = ExportPart.objects.bulk_create(
        ExportPart(job=job, number=number, staff_ids=ids[start : start + size])
        for number, start in enumerate(range(0, len(ids), size))
    )
    for part in parts:
        jobs.enqueue(part)


def _work_on_parts(lease: jobs.Lease, job: ExportJob) -> None:
    """Render queued parts here until none is left, then wait for the other workers' parts;
    the job's lease (and its progress: every part's records) is renewed meanwhile."""
    parts = ExportPart.objects.filter(job=job)
    renewed = recovered = 0.0

    def renew(force=False):
        nonlocal renewed
        if force or time.monotonic() - renewed >= 0.5:
            lease.renew(done=parts.aggregate(done=Sum("done"))["done"] or 0)
            renewed = time.monotonic()

    while True:
        queued = parts.filter(status=ExportPart.Status.QUEUED).order_by("number").first()
        if queued is not None:
            part_lease = jobs.claim(ExportPart, queued.pk)
            if part_lease is not None:
                run_part(part_lease, on_record=renew)
            continue
        states = set(parts.values_list("status", flat=True).distinct())
        if ExportPart.Status.FAILED in states:
            failed = parts.filter(status=ExportPart.Status.FAILED).order_by("number").first()
            raise PartFailed(
                f"export {job.pk}: part {failed.number} failed", failed.error or EXPORT_FAILED
            )
        if ExportPart.Status.RUNNING not in states:
            renew(force=True)
            return
        renew()
        if time.monotonic() - recovered >= 2:
            jobs.recover_expired(models=[ExportPart])
            recovered = time.monotonic()
        time.sleep(0.2)


def _parts(job: ExportJob):
    for part in job.parts.order_by("number").only("number", "records", "job").iterator():
        part.job = job
        yield part.directory, part.records


def _stop_parts(job: ExportJob) -> None:
    """The job is over: parts nobody has started are not rendered."""
    ExportPart.objects.filter(job=job, status=ExportPart.Status.QUEUED).update(
        status=ExportPart.Status.FAILED
    )


def run_export_part(part_id) -> dict | None:
    """Render one queued part of an export (called by any worker) under the part's lease."""
    lease = jobs.claim(ExportPart, part_id)
    if lease is None:
        return None
    return run_part(lease)


def run_part(lease: jobs.Lease, *, on_record=None) -> dict:
    """Render the part ``lease`` holds into its folder and record what was written."""
    part = ExportPart.objects.select_related("job__requested_by").get(pk=lease.job.pk)
    job = part.job
    if job.status not in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING):
        lease.finish(status=ExportPart.Status.FAILED)  # the job is over: nothing to do
        return {"part": part.number, "records": 0}
    user = job.requested_by
    problems = []

    def problem(person, reason):
        problems.append(
            {"staff": person.pk, "number": person.staff_number, "name": person.full_name,
             "reason": reason}
        )  # fmt: skip

    def progress(done):
        lease.renew(done=done)
        if on_record:
            on_record()

    try:
        records = render_part(
            part.staff_ids,
            part.directory,
            merged=job.format == ExportJob.Format.MERGED,
            show_sensitive_for=lambda person: permissions.may_see_sensitive(user, person),
            extracted_by=display_name(user),
            extracted_at=job.started_at or timezone.now(),
            on_record=progress,
            on_problem=problem,
        )
        lease.finish(
            status=ExportPart.Status.DONE,
            done=len(part.staff_ids),
            records=records,
            problems=problems,
        )
    except jobs.LeaseLost:
        logger.warning("Export part %s: lease lost, leaving it to its new worker", part)
        raise
    except Exception:
        logger.exception("Export part %s failed", part)
        lease.fail(EXPORT_FAILED, problems=problems)
        raise
    return {"part": part.number, "records": len(records)}


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
