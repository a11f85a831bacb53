"""Rows that belong to a person, imported from a spreadsheet: one row per item (a training
course, a family member, a dependant, an allowance), the person named by personal ID.

``KeyedRows`` is the flow every such kind shares (docs/rules.md §8.8); a kind says how its
cells are read, how a row is identified within a person, how it compares with what the record
already holds, and how it is checked and written (by the rules its screen uses).

- A row names an existing person, matched across the province by personal ID; an unknown ID
  is refused (an import of rows never creates a record), and so is a person whose unit the
  importer may not change, and the importer's own record (nobody edits their own record).
- The same item twice in one file is refused (the second row names the first).
- An item the record already holds with the same values is "unchanged"; one it holds with
  other values is refused (a stored item is corrected on the record, where the change is seen).
- The rows are written in the file's order inside one transaction, each checked against what
  is stored and the rows before it; a dry run writes them and rolls back, so it checks exactly
  what the commit will write. Every row is attributed to the importer and the batch (history
  context) and listed as an ``ImportRecord`` so the batch can be undone while none was changed.
"""

from contextlib import contextmanager

import pghistory
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from hrms.lib.audit import audited
from personnel import permissions
from personnel.importers import columns as c
from personnel.importers.reading import Sheet
from personnel.importers.staff import RowResult, parse_keyed_row
from personnel.models import ImportRecord, Staff

SAME, OTHER = "same", "other"


@contextmanager
def foreign_keys_checked_at_once():
    """Foreign keys checked row by row while many tracked rows are inserted: with deferred
    checks PostgreSQL walks the growing queue of pending checks after each history trigger's
    insert, and inserting n rows takes time in n² (see ``personnel.services.imports``)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class _DryRun(Exception):
    pass


class KeyedRows:
    """One kind of person-keyed rows. Subclasses set ``model``, ``columns``, ``required`` and
    ``duplicate_column`` and implement ``identity``, ``compare`` and ``build``."""

    model = None
    columns: list[c.Column] = []
    required: tuple[str, ...] = ()
    duplicate_column = ""

    def __init__(self):
        self.column_by_key = {column.key: column for column in self.columns}

    # --- what a kind says ---------------------------------------------------------------

    def prepare(self, staff_ids: set[int]) -> None:
        """Load what the rows are compared with (the stored items of these people)."""

    def resolve(self, result: RowResult, values: dict) -> None:
        """Look up codes (refusing unknown ones) before the row is identified."""

    def identity(self, values: dict) -> tuple:
        """What makes the row one item of the person (two rows with it are duplicates)."""
        raise NotImplementedError

    def compare(self, staff: Staff, values: dict) -> str | None:
        """SAME when the record holds this item with these values, OTHER when it holds it with
        other values, None when it does not hold it."""
        raise NotImplementedError

    def build(self, staff: Staff, values: dict, batch):
        """The row's model instance, checked by the screen's rules; ValidationError (a dict
        by column key) when refused. It is saved by the caller."""
        raise NotImplementedError

    def duplicate_message(self) -> str:
        return _("This item of the person is already on row %(row)d of the file.")

    def conflict_message(self) -> str:
        return _("The record already holds this item with other values; correct it on the record.")

    # --- the flow -------------------------------------------------------------------------

    def check_rows(self, *, batch, sheet: Sheet, write: bool, on_progress=None) -> list:
        """Every data row's result; with ``write`` the rows are written in the caller's
        transaction, else written and rolled back."""
        results: list[RowResult] = []
        try:
            with (
                transaction.atomic(),
                audited(batch.requested_by, _("Import from %(file)s") % {"file": batch.file_name}),
                pghistory.context(import_batch=str(batch.pk)),
            ):
                # a fresh instance per run: what ``prepare`` loads belongs to this run only
                results = type(self)()._check(batch, sheet, on_progress)
                if not write:
                    raise _DryRun
        except _DryRun:
            pass
        return results

    def _check(self, batch, sheet: Sheet, on_progress) -> list[RowResult]:
        user = batch.requested_by
        header = c.match_header(sheet.header, self.columns)
        if "personal_id" not in header.positions:
            missing = RowResult(row=1, action="refused")
            message = _("The sheet has no “%(header)s” column; every row needs one.")
            missing.refuse(
                "personal_id", message % {"header": self.column_by_key["personal_id"].header}
            )
            return [missing]
        parsed = []
        for number, raw in enumerate(sheet.rows, start=2):
            if all(c.blank(value) for value in raw):
                continue
            parsed.append(parse_keyed_row(number, raw, header, self.column_by_key, self.required))
        ids = {result.personal_id for result, _v in parsed if result.personal_id}
        people = {
            staff.personal_id: staff
            for staff in Staff.objects.select_for_update(of=("self",)).filter(personal_id__in=ids)
        }
        allowed = (
            set(
                permissions.visible_units(user, permissions.CHANGE_STAFF).values_list(
                    "pk", flat=True
                )
            )
            if user is not None
            else None
        )
        own = permissions.own_staff_id(user) if user is not None else None
        self.prepare({staff.pk for staff in people.values()})
        seen: dict[tuple, int] = {}
        records = []
        for done, (result, values) in enumerate(parsed, start=1):
            if not result.errors:
                item = self._row(result, values, people, allowed, own, seen, batch)
                if item is not None:
                    records.append(
                        ImportRecord(batch=batch, staff_id=result.staff.pk,
                                     action=ImportRecord.Action.CREATED,
                                     version=result.staff.version, before={"row": item.pk})
                    )  # fmt: skip
            if result.errors:
                result.action = "refused"
            if on_progress and done % 500 == 0:
                on_progress(done)
        ImportRecord.objects.bulk_create(records)
        return [result for result, _values in parsed]

    def _row(self, result, values, people, allowed, own, seen, batch):
        staff = people.get(result.personal_id)
        if staff is None:
            result.refuse("personal_id", _("No staff record has this personal ID number."))
            return None
        if allowed is not None and staff.unit_id not in allowed:
            result.refuse(
                "personal_id",
                _("This person's record is in a unit whose records you may not change."),
            )
            return None
        if own is not None and staff.pk == own:
            result.refuse(
                "personal_id",
                _("Nobody may import items of their own record: another person must."),
            )
            return None
        self.resolve(result, values)
        if result.errors:
            return None
        key = (staff.pk, *self.identity(values))
        if key in seen:
            result.refuse(self.duplicate_column, self.duplicate_message() % {"row": seen[key]})
            return None
        seen[key] = result.row
        result.staff = staff
        stored = self.compare(staff, values)
        if stored == SAME:
            result.action = "unchanged"
            return None
        if stored == OTHER:
            result.refuse(self.duplicate_column, self.conflict_message())
            return None
        try:
            item = self.build(staff, values, batch)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                key = name if name in self.column_by_key else self.duplicate_column
                result.refuse(key, " ".join(messages))
            return None
        item.save()
        result.action = "created"
        return item

    @transaction.atomic
    def undo(self, *, batch, actor) -> None:
        """Remove the rows ``batch`` added, while none was changed or removed since."""
        ids = [record.before["row"] for record in batch.records.all()]
        rows = self.model.objects.select_for_update().filter(pk__in=ids)
        changed = pghistory.models.Events.objects.filter(
            pgh_obj_model=self.model._meta.label, pgh_obj_id__in=[str(pk) for pk in ids]
        ).exclude(pgh_label__in=("insert", "snapshot"))
        if changed.exists() or rows.count() != len(ids):
            raise ValidationError(
                _(
                    "Rows of this import have been changed or removed since; the import can no "
                    "longer be undone as a whole."
                )
            )
        with (
            audited(actor, _("Undo of the import of %(file)s") % {"file": batch.file_name}),
            pghistory.context(import_batch=str(batch.pk)),
        ):
            rows.delete()
