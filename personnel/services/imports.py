"""Importing staff records from a spreadsheet: upload, dry run, commit, undo.

1. ``import_batch_create`` keeps the uploaded file and queues its dry run (a background job
   under a lease, ``hrms.jobs``); the worker reads and checks every row
   (``personnel.importers.staff``) and stores the report: rows to be created, updated,
   unchanged and refused (row, column, message), likely duplicates, and an error workbook.
2. ``import_batch_confirm`` queues the commit of a batch whose dry run refused nothing. The
   commit checks every row again, under locks, and writes everything in one transaction, or
   nothing if a row is refused now: new records with COPY (and their work-history row, as the
   screen opens one), changes through a temporary table, one ``ImportRecord`` per record.
   Database triggers (django-pghistory) record each row change with the importer and the batch
   as context (``import_batch``).
3. ``import_batch_undo`` reverses a committed batch as a whole while none of its records has
   been changed since (their version is still the one the import left).
"""

import datetime
import json
import logging
import shutil
from pathlib import Path

import pghistory
import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hrms import jobs
from hrms.lib.audit import audited
from hrms.lib.db import constraint_refusal, ids
from hrms.lib.partial_dates import PartialDate
from personnel import permissions
from personnel.importers import workbooks
from personnel.importers.columns import match_header
from personnel.importers.kinds import column_label as kind_column_label
from personnel.importers.kinds import import_kind
from personnel.importers.reading import FileRefused, cell_text, check_file, read_sheet
from personnel.importers.staff import COLUMNS, StaffRows, column_label
from personnel.models import ImportBatch, ImportRecord, OrgUnit, Staff, WorkHistory

logger = logging.getLogger(__name__)

REPORT_LIMIT = 1000  # refusals kept on the page; the error workbook has them all
IMPORT_FAILED = gettext_noop(
    "The import could not be completed because of an unexpected error; nothing was written. "
    "The details are in the server log."
)
NO_LONGER_PASSES = gettext_noop(
    "The file no longer passes the check (records changed since the dry run); nothing was "
    "written. The new report is below."
)


class ImportRefused(Exception):
    """The commit found refused rows: nothing was written."""

    def __init__(self, report: dict):
        self.report = report
        super().__init__("refused rows")


# --- Creating and confirming --------------------------------------------------------------


@transaction.atomic
def import_batch_create(
    *, user, unit: OrgUnit, upload, file_name: str, queue: bool = True, kind: str = "staff"
) -> ImportBatch:
    """Keep an uploaded file and queue its dry run (``user`` must be allowed to change
    ``unit``'s records; None: the command line). ``upload`` is a file-like object or bytes;
    ``queue`` False leaves the run to the caller (the command runs it at once). ``kind``:
    staff records, or a kind another app registered (``personnel.importers.kinds``)."""
    if kind != ImportBatch.Kind.STAFF and import_kind(kind) is None:
        raise ValidationError({"kind": _("Choose what the file holds.")})
    if user is not None and not permissions.unit_in_scope(user, permissions.CHANGE_STAFF, unit):
        raise ValidationError({"unit": _("You may not import records into this unit.")})
    suffix = Path(file_name).suffix.lower()
    if suffix not in (".xlsx", ".csv", ".xlsm", ".xls"):
        raise ValidationError({"file": _("Upload an Excel file (.xlsx) or a CSV file (.csv).")})
    batch = ImportBatch.objects.create(
        requested_by=user, unit=unit, file_name=Path(file_name).name[:255], kind=kind
    )
    batch.directory.mkdir(parents=True, exist_ok=True)
    with open(batch.source_path, "wb") as handle:
        if isinstance(upload, bytes):
            handle.write(upload)
        else:
            for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
                handle.write(chunk)
    if queue:
        jobs.enqueue(batch)
    return batch


@transaction.atomic
def import_batch_confirm(*, batch: ImportBatch, actor, duplicates_checked: bool) -> ImportBatch:
    """Queue the commit of a checked batch that refused nothing (likely duplicates must have
    been looked at)."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not batch.may_commit:
        raise ValidationError(_("Only a dry run without refused rows can be imported."))
    if batch.report.get("likely_duplicates") and not duplicates_checked:
        raise ValidationError(
            {"duplicates_checked": _("Confirm that you checked the likely duplicates.")}
        )
    batch.status = ImportBatch.Status.QUEUED
    batch.phase = ImportBatch.Phase.COMMIT
    batch.duplicates_checked = duplicates_checked
    batch.done = 0
    batch.save(update_fields=["status", "phase", "duplicates_checked", "done"])
    jobs.enqueue(batch)
    return batch


# --- The worker ------------------------------------------------------------------------------


def run_import_job(batch_id) -> dict | None:
    """Run the queued dry run or commit of one batch (called by the worker)."""
    lease = jobs.claim(ImportBatch, batch_id)
    if lease is None:
        return None
    batch = ImportBatch.objects.select_related("requested_by", "unit").get(pk=lease.job.pk)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            if batch.phase == ImportBatch.Phase.CHECK:
                report = import_check(batch=batch, on_progress=lambda done: lease.renew(done=done))
                lease.finish(status=ImportBatch.Status.CHECKED, report=report,
                             total=report["rows"], done=report["rows"],
                             error_file=report.pop("_error_file", ""))  # fmt: skip
                return _counts(report)
            try:
                report = import_commit(batch=batch, on_progress=lambda done: lease.renew(done=done))
            except ImportRefused as refused:
                lease.finish(status=ImportBatch.Status.CHECKED, report=refused.report,
                             error=NO_LONGER_PASSES,
                             error_file=refused.report.pop("_error_file", ""))  # fmt: skip
                return _counts(refused.report)
            lease.finish(status=ImportBatch.Status.COMMITTED, report=report,
                         committed_at=timezone.now(), done=report["rows"])  # fmt: skip
            return _counts(report)
    except jobs.LeaseLost:
        raise
    except FileRefused as refused:
        lease.fail(str(refused.message))
        return None
    except Exception:
        logger.exception("Import %s failed", batch.pk)
        lease.fail(IMPORT_FAILED)
        raise


def _counts(report: dict) -> dict:
    return {key: report.get(key, 0) for key in ("created", "updated", "unchanged", "refused")}


def _rows_checker(batch: ImportBatch, *, lock: bool = False) -> StaffRows:
    return StaffRows(user=batch.requested_by, default_unit=batch.unit, lock=lock)


def _read(batch: ImportBatch):
    kind = check_file(batch.source_path, batch.file_name)
    return kind, read_sheet(batch.source_path, kind)


def import_check(*, batch: ImportBatch, on_progress=None) -> dict:
    """The dry run: check every row and write the report (and the error workbook)."""
    kind, sheet = _read(batch)
    if batch.kind != ImportBatch.Kind.STAFF:
        return _other_kind(batch, kind, sheet, write=False, on_progress=on_progress)
    checker = _rows_checker(batch)
    report = _empty_report()
    errors: dict[int, list] = {}
    for result in checker.check(sheet, on_progress=on_progress):
        _count(report, result, errors)
    _finish_report(report, checker, errors)
    if errors:
        report["_error_file"] = _write_error_workbook(batch, kind, errors)
    return report


def _empty_report() -> dict:
    return {"rows": 0, "created": 0, "updated": 0, "unchanged": 0, "refused": 0,
            "refusals": [], "likely_duplicates": [], "ignored": []}  # fmt: skip


def _label(batch: ImportBatch):
    """The column label function of the batch's kind."""
    kind = import_kind(batch.kind) if batch.kind != ImportBatch.Kind.STAFF else None
    if kind is None:
        return column_label
    return lambda key: kind_column_label(kind.columns, key)


def _count(report: dict, result, errors: dict, label=column_label) -> None:
    report["rows"] += 1
    report[result.action] += 1
    if result.errors:
        errors[result.row] = result.errors
        for key, message in result.errors:
            if len(report["refusals"]) < REPORT_LIMIT:
                report["refusals"].append(
                    {"row": result.row, "column": label(key), "message": message}
                )


def _finish_report(report: dict, checker: StaffRows, errors: dict) -> None:
    report["likely_duplicates"] = checker.likely_duplicates[:REPORT_LIMIT]
    report["ignored"] = checker.ignored


def _other_kind(batch: ImportBatch, kind: str, sheet, *, write: bool, on_progress=None) -> dict:
    """The dry run or the commit of a registered kind (``personnel.importers.kinds``)."""
    handler = import_kind(batch.kind)
    label = _label(batch)
    report = _empty_report()
    errors: dict[int, list] = {}
    for result in handler.check(batch=batch, sheet=sheet, write=write, on_progress=on_progress):
        _count(report, result, errors, label)
    if errors:
        report["_error_file"] = _write_error_workbook(batch, kind, errors)
        if write:
            raise ImportRefused(report)
    return report


def _write_error_workbook(batch: ImportBatch, kind: str, errors: dict) -> str:
    """The file's rows again, each refused row with its messages and its bad cells marked."""
    sheet = read_sheet(batch.source_path, kind)
    handler = import_kind(batch.kind) if batch.kind != ImportBatch.Kind.STAFF else None
    column_label = _label(batch)
    header = match_header(sheet.header, handler.columns if handler else COLUMNS)
    header_texts = [cell_text(value) for value in sheet.header]

    def rows():
        for number, raw in enumerate(sheet.rows, start=2):
            problems = errors.get(number, [])
            bad = {}
            messages = []
            for key, message in problems:
                position = header.positions.get(key)
                if position is not None:
                    bad[position] = message
                messages.append(f"{column_label(key)}: {message}")
            yield [cell_text(value) for value in raw], bad, "; ".join(messages)

    content = workbooks.error_workbook(header_texts, rows(), "Loi")
    path = batch.directory / "loi.xlsx"
    path.write_bytes(content)
    return str(path.relative_to(Path(settings.MEDIA_ROOT)))


# --- Commit ------------------------------------------------------------------------------

_SKIPPED = {"id", "sort_key", "search_text", "date_of_birth"}


def _staff_columns() -> list:
    return [
        field for field in Staff._meta.concrete_fields
        if field.name not in _SKIPPED and not field.generated
    ]  # fmt: skip


def _db_value(field, staff: Staff):
    value = field.get_db_prep_save(getattr(staff, field.attname), connection)
    if value is None and not field.null:
        value = field.get_default()
    return value


@transaction.atomic
def import_commit(*, batch: ImportBatch, on_progress=None) -> dict:
    """Check the batch's file again and write it as one transaction; ``ImportRefused`` (and
    nothing written) if any row is refused now."""
    kind, sheet = _read(batch)
    if batch.kind != ImportBatch.Kind.STAFF:
        return _other_kind(batch, kind, sheet, write=True, on_progress=on_progress)
    checker = _rows_checker(batch, lock=True)
    report = _empty_report()
    errors: dict[int, list] = {}
    created, updated = [], []
    for result in checker.check(sheet, on_progress=on_progress):
        _count(report, result, errors)
        if result.action == "created":
            created.append(result.staff)
        elif result.action == "updated":
            updated.append(result)
    _finish_report(report, checker, errors)
    if errors:
        report["_error_file"] = _write_error_workbook(batch, kind, errors)
        raise ImportRefused(report)
    now = timezone.now()
    with (
        audited(batch.requested_by, _("Import from %(file)s") % {"file": batch.file_name}),
        pghistory.context(import_batch=str(batch.pk)),
    ):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")  # sets the history context for the COPYs below
            # Foreign keys checked row by row: with deferred checks, PostgreSQL walks the
            # growing queue of pending checks after each history trigger's insert, and the
            # COPY of n rows takes time in n² (20,000 rows: 60 s instead of 3 s).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        try:
            with transaction.atomic():
                records = _insert_created(created, now) + _apply_updates(updated, now)
        except IntegrityError as error:
            refusal = constraint_refusal(error, Staff, WorkHistory)
            raise ValidationError(refusal or str(error)) from error
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        _copy("personnel_importrecord", ["batch_id", "staff_id", "action", "version", "before"],
              [(batch.pk, *record) for record in records])  # fmt: skip
    return report


def _copy(table: str, names: list[str], rows) -> None:
    with connection.cursor() as cursor:
        quoted = ", ".join(connection.ops.quote_name(name) for name in names)
        statement = f"COPY {table} ({quoted}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)


def _insert_created(created: list[Staff], now) -> list[tuple]:
    if not created:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('personnel_staff', 'id')) "
            "FROM generate_series(1, %s)",
            [len(created)],
        )
        new_ids = [row[0] for row in cursor.fetchall()]
    fields = _staff_columns()
    rows = []
    for staff, pk in zip(created, new_ids, strict=True):
        staff.pk = pk
        staff.version = 1
        staff.created_at = staff.updated_at = now
        rows.append((pk, *(_db_value(field, staff) for field in fields)))
    _copy("personnel_staff", ["id", *(field.column for field in fields)], rows)
    today = timezone.localdate()
    _copy(
        "personnel_workhistory",
        ["staff_id", "row_order", "start", "end", "position", "unit_name", "unit_id"],
        (
            (staff.pk, 0, _month(staff.recruitment_date or today), "", staff.position_title,
             staff.unit.name, staff.unit_id)
            for staff in created
        ),
    )  # fmt: skip
    return [(staff.pk, ImportRecord.Action.CREATED, 1, "{}") for staff in created]


def _month(day: datetime.date) -> str:
    return PartialDate(day.year, day.month).iso()


def _apply_updates(updated: list, now) -> list[tuple]:
    """Write the changed records through a temporary table (one UPDATE for all)."""
    if not updated:
        return []
    fields = _staff_columns()
    names = [field.column for field in fields if field.name not in ("created_at",)]
    by_name = {field.column: field for field in fields}
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE import_staff_changes ON COMMIT DROP AS SELECT id, "
            f"{', '.join(f'{chr(34)}{name}{chr(34)}' for name in names)} FROM personnel_staff "
            "WITH NO DATA"
        )
    rows = []
    for result in updated:
        staff = result.staff
        staff.version += 1
        staff.updated_at = now
        rows.append((staff.pk, *(_db_value(by_name[name], staff) for name in names)))
    _copy("import_staff_changes", ["id", *names], rows)
    assignments = ", ".join(f'"{name}" = c."{name}"' for name in names)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE personnel_staff AS s SET {assignments} FROM import_staff_changes AS c "
            "WHERE s.id = c.id"
        )
        cursor.execute("DROP TABLE import_staff_changes")
    return [
        (result.staff.pk, ImportRecord.Action.UPDATED, result.staff.version,
         json.dumps(result.before, ensure_ascii=False))
        for result in updated
    ]  # fmt: skip


# --- Undo ----------------------------------------------------------------------------------


def import_batch_undo(*, batch: ImportBatch, actor) -> ImportBatch:
    """Reverse a committed batch: remove the records it created, put back the values it
    replaced. Refused (nothing changed) if any of its records was changed since."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.COMMITTED:
            raise ValidationError(_("Only an import that was committed can be undone."))
        if batch.kind != ImportBatch.Kind.STAFF:
            import_kind(batch.kind).undo(batch=batch, actor=actor)
            batch.status = ImportBatch.Status.UNDONE
            batch.undone_at = timezone.now()
            batch.undone_by = actor
            batch.save(update_fields=["status", "undone_at", "undone_by"])
            return batch
        records = list(batch.records.all())
        staff_ids = [record.staff_id for record in records]
        current = dict(
            Staff.objects.select_for_update()
            .filter(pk__any=ids(staff_ids))
            .values_list("pk", "version")
        )
        touched = [r for r in records if current.get(r.staff_id) != r.version]
        if touched:
            raise ValidationError(
                _(
                    "%(count)d records of this import have been changed since; the import can "
                    "no longer be undone as a whole."
                )
                % {"count": len(touched)}
            )
        created = [r.staff_id for r in records if r.action == ImportRecord.Action.CREATED]
        with audited(actor, _("Undo of the import of %(file)s") % {"file": batch.file_name}), \
                pghistory.context(import_batch=str(batch.pk)):  # fmt: skip
            _restore(records)
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute(
                        "DELETE FROM personnel_workhistory WHERE staff_id = ANY(%s::bigint[])",
                        [ids(created).literal],
                    )
                    # The one place records are deleted: they were created by this batch and
                    # nobody has touched them since.
                    with pgtrigger.ignore("personnel.Staff:staff_never_deleted"):
                        cursor.execute(
                            "DELETE FROM personnel_staff WHERE id = ANY(%s::bigint[])",
                            [ids(created).literal],
                        )
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            except IntegrityError as error:
                raise ValidationError(
                    _(
                        "Other data now refers to records of this import (salary decisions, "
                        "dossier rows…); it can no longer be undone as a whole."
                    )
                ) from error
        batch.status = ImportBatch.Status.UNDONE
        batch.undone_at = timezone.now()
        batch.undone_by = actor
        batch.save(update_fields=["status", "undone_at", "undone_by"])
    return batch


def _restore(records: list[ImportRecord]) -> None:
    for record in records:
        if record.action != ImportRecord.Action.UPDATED:
            continue
        staff = Staff.objects.get(pk=record.staff_id)
        for name, text in record.before.items():
            field = Staff._meta.get_field(name)
            setattr(staff, field.attname, field.to_python(text) if text != "" else
                    (None if field.null else field.get_default()))  # fmt: skip
        staff.version += 1
        staff.save(update_fields=[*(Staff._meta.get_field(n).attname for n in record.before),
                                  "version", "updated_at"])  # fmt: skip


def import_batch_discard(*, batch: ImportBatch) -> None:
    """Forget the file of a batch that will not be imported."""
    shutil.rmtree(batch.directory, ignore_errors=True)
