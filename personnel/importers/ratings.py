"""Yearly ratings from a spreadsheet: one row per person and year (NĐ 90/2020/NĐ-CP).

Rows are matched to existing records across the province by personal ID and refused for people
outside the units the importer may change. The level is found by code or name and checked by
the rules the dossier's rating rows obey (``AnnualRating.clean``: the level is in use in that
year and applies to the person's regime; one rating per person and year). A row for a year
the person already has a rating for is refused: a rating is corrected on the record, where the
change is seen, not overwritten by a file. A dry run writes the rows in a transaction it rolls
back, so it checks exactly what the commit will write.
"""

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrms.lib.audit import audited
from hrms.lib.vietnamese import fold
from personnel import permissions
from personnel.importers import columns as c
from personnel.importers.keyed import foreign_keys_checked_at_once
from personnel.importers.kinds import ImportKind
from personnel.importers.reading import Sheet
from personnel.importers.staff import RowResult, parse_keyed_row
from personnel.models import AnnualRating, ImportRecord, RatingLevel, Staff, StaffGroup
from personnel.validators import EARLIEST_DATE


def _year(value) -> int:
    text = c.cell_text(value)
    if not text.isdigit() or len(text) != 4:
        raise ValidationError(_("Enter the year as four digits (yyyy)."))
    if int(text) < EARLIEST_DATE.year:  # the database's bound (year_check)
        raise ValidationError(_("Enter the year as four digits (yyyy)."))
    return int(text)


COLUMNS = [
    c.Column("personal_id", "Số định danh cá nhân (CCCD) (*)", c.digits(12),
             ("so dinh danh ca nhan", "so dinh danh", "cccd", "so cccd", "ma dinh danh"),
             "001062000123", width=18),
    c.Column("full_name", "Họ và tên", c.text(200), ("ho va ten", "ho ten"), "Nguyễn Văn An",
             width=22),
    c.Column("year", "Năm (*)", _year, ("nam", "nam danh gia"), "2024", width=8),
    c.Column("level", "Mức xếp loại (*)", c.text(120),
             ("muc xep loai", "xep loai", "ket qua xep loai", "muc danh gia"),
             "Hoàn thành tốt nhiệm vụ", width=30),
    c.Column("note", "Ghi chú", c.text(255), ("ghi chu",), ""),
]  # fmt: skip
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED = ("year", "level")


class _DryRun(Exception):
    pass


def check_rows(*, batch, sheet: Sheet, write: bool, on_progress=None) -> list[RowResult]:
    results: list[RowResult] = []
    try:
        with (
            transaction.atomic(),
            audited(batch.requested_by, _("Import from %(file)s") % {"file": batch.file_name}),
            pghistory.context(import_batch=str(batch.pk)),
        ):
            results = _check(batch, sheet)
            if not write:
                raise _DryRun
    except _DryRun:
        pass
    return results


def _check(batch, sheet: Sheet) -> list[RowResult]:
    user = batch.requested_by
    header = c.match_header(sheet.header, COLUMNS)
    if "personal_id" not in header.positions:
        missing = RowResult(row=1, action="refused")
        message = _("The sheet has no “%(header)s” column; every row needs one.")
        missing.refuse("personal_id", message % {"header": COLUMN_BY_KEY["personal_id"].header})
        return [missing]
    parsed = []
    for number, raw in enumerate(sheet.rows, start=2):
        if all(c.blank(value) for value in raw):
            continue
        parsed.append(_parse(number, raw, header))
    ids = {result.personal_id for result, _v in parsed if result.personal_id}
    people = {
        staff.personal_id: staff
        for staff in Staff.objects.select_for_update(of=("self",)).filter(personal_id__in=ids)
    }
    allowed = (
        set(permissions.visible_units(user, permissions.CHANGE_STAFF).values_list("pk", flat=True))
        if user is not None
        else None
    )
    levels: dict[str, list[RatingLevel]] = {}
    for level in RatingLevel.objects.all():
        for key in {fold(level.code), fold(level.name)}:
            levels.setdefault(key, []).append(level)
    rated = set(
        AnnualRating.objects.filter(staff__personal_id__in=ids).values_list("staff_id", "year")
    )
    seen: dict[tuple, int] = {}
    records = []
    for result, values in parsed:
        if not result.errors:
            _row(result, values, people, allowed, levels, rated, seen)
        if result.errors:
            result.action = "refused"
        else:
            records.append(result)
    # one INSERT for all (the uniqueness per person and year was checked above, in memory)
    with foreign_keys_checked_at_once():
        AnnualRating.objects.bulk_create([result.values["rating"] for result in records], 2000)
    for result in records:
        result.values = {"pk": result.values["rating"].pk}
    ImportRecord.objects.bulk_create(
        ImportRecord(batch=batch, staff_id=result.staff.pk, action=ImportRecord.Action.CREATED,
                     version=result.staff.version, before={"annual_rating": result.values["pk"]})
        for result in records
    )  # fmt: skip
    return [result for result, _values in parsed]


def _parse(number: int, raw: list, header: c.Header) -> tuple[RowResult, dict]:
    return parse_keyed_row(number, raw, header, COLUMN_BY_KEY, REQUIRED)


def _row(result, values, people, allowed, levels, rated, seen) -> None:
    staff = people.get(result.personal_id)
    if staff is None:
        result.refuse("personal_id", _("No staff record has this personal ID number."))
        return
    if allowed is not None and staff.unit_id not in allowed:
        result.refuse(
            "personal_id",
            _("This person's record is in a unit whose records you may not change."),
        )
        return
    year = values["year"]
    key = (staff.pk, year)
    if key in seen:
        result.refuse(
            "year",
            _("This person's rating for this year is already on row %(row)d of the file.")
            % {"row": seen[key]},
        )
        return
    seen[key] = result.row
    if key in rated:
        result.refuse(
            "year",
            _("The record already has a rating for this year; correct it on the record."),
        )
        return
    candidates = levels.get(fold(values["level"]), [])
    if not candidates:
        result.refuse("level", _("“%(value)s” is not a rating level.") % {"value": values["level"]})
        return
    regime = StaffGroup.of_category(staff.category)
    fitting = [
        level for level in candidates
        if level.valid_from.year <= year and (level.valid_to is None or level.valid_to.year >= year)
        and (not level.applies_to or level.applies_to == regime)
    ]  # fmt: skip
    rating = AnnualRating(
        staff=staff, year=year, level=(fitting or candidates)[0], note=values.get("note", "")
    )
    try:
        # the one-per-year rule is checked above (stored and in the file), without a query
        rating.full_clean(exclude=["row_order"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            result.refuse(name if name in COLUMN_BY_KEY else "level", " ".join(messages))
        return
    result.action = "created"
    result.staff = staff
    result.values = {"rating": rating}


@transaction.atomic
def undo(*, batch, actor) -> None:
    """Remove the ratings ``batch`` added, while none was changed since."""
    ids = [record.before["annual_rating"] for record in batch.records.all()]
    ratings = AnnualRating.objects.select_for_update().filter(pk__in=ids)
    changed = pghistory.models.Events.objects.filter(
        pgh_obj_model="personnel.AnnualRating", pgh_obj_id__in=[str(pk) for pk in ids]
    ).exclude(pgh_label="insert")
    if changed.exists() or ratings.count() != len(ids):
        raise ValidationError(
            _(
                "Ratings of this import have been changed since; the import can no longer be "
                "undone as a whole."
            )
        )
    with (
        audited(actor, _("Undo of the import of %(file)s") % {"file": batch.file_name}),
        pghistory.context(import_batch=str(batch.pk)),
    ):
        ratings.delete()


def template_lists(user) -> dict[str, list[str]]:
    names = RatingLevel.objects.order_by("sort_order", "name").values_list("name", flat=True)
    return {"level": list(dict.fromkeys(names))}


RATINGS_KIND = ImportKind(
    key="ratings",
    label=gettext_lazy("Yearly ratings"),
    columns=COLUMNS,
    check=check_rows,
    undo=undo,
    lists=template_lists,
    sheet_title="XepLoai",
    file_name="mau-nhap-xep-loai.xlsx",
)
