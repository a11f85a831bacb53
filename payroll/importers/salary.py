"""Salary history from a spreadsheet: one row per salary decision already signed on paper.

Rows are matched to existing records across the province by personal ID, refused for people
outside the units the importer may change (and for the importer's own record: four eyes), and
checked by the rules the salary screens use (``payroll.services.validate_salary_values``: the
step exists in the rank's scale, the coefficient follows, dates in order after the latest
approved decision). A person's rows are taken oldest first, each one checked against the one
before. Only decisions in effect before today are imported: they are past history, written as
approved decisions attributed to the importer (docs/rules.md §8.7). A dry run writes the rows
inside a transaction it rolls back, so it checks exactly what the commit will write.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrms.lib.audit import audited
from hrms.lib.vietnamese import fold
from payroll.models import SalaryRecord
from payroll.selectors import current_records, group_scales
from payroll.services import validate_salary_values
from personnel import permissions
from personnel.importers import columns as c
from personnel.importers.keyed import foreign_keys_checked_at_once
from personnel.importers.kinds import ImportKind
from personnel.importers.reading import Sheet
from personnel.importers.staff import RowResult, parse_keyed_row
from personnel.models import Rank, RankPlacement, Staff

KINDS = [
    (SalaryRecord.Kind.INITIAL, "Tuyển dụng, xếp lương lần đầu", ("tuyen dung", "lan dau")),
    (SalaryRecord.Kind.REGULAR_RAISE, "Nâng bậc thường xuyên", ("nang bac", "thuong xuyen")),
    (SalaryRecord.Kind.EARLY_RAISE, "Nâng bậc trước thời hạn", ("truoc thoi han",)),
    (SalaryRecord.Kind.RETIREMENT_EARLY_RAISE, "Nâng bậc trước hạn khi nghỉ hưu", ()),
    (SalaryRecord.Kind.BEYOND_SCALE, "Phụ cấp thâm niên vượt khung", ("vuot khung", "tnvk")),
    (SalaryRecord.Kind.PROMOTION, "Nâng ngạch, chuyển ngạch", ("nang ngach", "chuyen ngach")),
    (SalaryRecord.Kind.ADJUSTMENT, "Điều chỉnh khác", ("khac", "dieu chinh")),
]


def whole_number(value) -> int:
    text = c.cell_text(value) if not isinstance(value, int | float) else value
    try:
        number = Decimal(str(text).strip().replace(",", "."))
    except InvalidOperation as error:
        raise ValidationError(_("Enter a whole number.")) from error
    if number != number.to_integral_value() or number < 0:
        raise ValidationError(_("Enter a whole number."))
    return int(number)


def decimal_number(value) -> Decimal:
    """A number with a decimal comma (or point): "2,34" → 2.34."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    text = c.cell_text(value).replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise ValidationError(_("Enter a number (decimal comma), for example 2,34.")) from error


COLUMNS = [
    c.Column("personal_id", "Số định danh cá nhân (CCCD) (*)", c.digits(12),
             ("so dinh danh ca nhan", "so dinh danh", "cccd", "so cccd", "ma dinh danh"),
             "001062000123", width=18),
    c.Column("full_name", "Họ và tên", c.text(200), ("ho va ten", "ho ten"), "Nguyễn Văn An",
             width=22),
    c.Column("rank", "Mã ngạch / chức danh nghề nghiệp (*)", c.text(20),
             ("ma ngach", "ngach", "ma chuc danh", "ma ngach chuc danh"), "01.003"),
    c.Column("step", "Bậc (*)", whole_number, ("bac", "bac luong"), "3", width=8),
    c.Column("effective_date", "Ngày hưởng (*)", c.full_date,
             ("ngay huong", "ngay co hieu luc", "hieu luc tu", "thoi diem huong"), "01/01/2020"),
    c.Column("kind", "Loại quyết định", c.choice(KINDS), ("loai quyet dinh", "hinh thuc"),
             "Nâng bậc thường xuyên", choices=lambda: [name for _v, name, _a in KINDS],
             width=28),
    c.Column("beyond_scale_percent", "Vượt khung (%)", decimal_number,
             ("vuot khung", "tham nien vuot khung", "tnvk"), "", width=10),
    c.Column("leadership_coefficient", "Hệ số phụ cấp chức vụ", decimal_number,
             ("he so phu cap chuc vu", "phu cap chuc vu", "pccv"), "", width=10),
    c.Column("decision_number", "Số quyết định", c.text(80), ("so quyet dinh", "so qd"),
             "125/QĐ-UBND"),
    c.Column("decision_date", "Ngày quyết định", c.full_date, ("ngay quyet dinh", "ngay qd"),
             "15/12/2019"),
    c.Column("signer", "Người ký", c.text(100), ("nguoi ky", "co quan ky"), "Chủ tịch UBND tỉnh",
             width=22),
    c.Column("note", "Ghi chú", c.text(120), ("ghi chu",), ""),
]  # fmt: skip
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED = ("rank", "step", "effective_date")
# validate_salary_values' keys that are not columns, and the column they come from
ERROR_COLUMN = {"step_since": "effective_date", "beyond_scale_since": "effective_date",
                "coefficient": "step", "reserved_coefficient": "step"}  # fmt: skip


class _DryRun(Exception):
    pass


def check_rows(*, batch, sheet: Sheet, write: bool, on_progress=None) -> list[RowResult]:
    """Every data row's result; with ``write`` the decisions are written (in the caller's
    transaction), else written and rolled back."""
    results: list[RowResult] = []
    try:
        with (
            transaction.atomic(),
            audited(batch.requested_by, _("Import from %(file)s") % {"file": batch.file_name}),
            pghistory.context(import_batch=str(batch.pk)),
        ):
            results = _check(batch, sheet, on_progress)
            if not write:
                raise _DryRun
    except _DryRun:
        pass
    return results


def _check(batch, sheet: Sheet, on_progress) -> list[RowResult]:
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
    ranks = {fold(rank.code): rank for rank in Rank.objects.all()}
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
    own = permissions.own_staff_id(user) if user is not None else None
    today = timezone.localdate()
    seen: dict[tuple, int] = {}
    for result, values in parsed:
        _match(result, values, people, ranks, allowed, own, today, seen)
    # oldest first within a person: each decision is checked against the one before it
    order = sorted(
        (item for item in parsed if not item[0].errors),
        key=lambda item: (item[1]["staff"].pk, item[1]["effective_date"], item[0].row),
    )
    # Read once for every row (docs/rules.md §8.7): the scales, each person's latest approved
    # decision (then the row accepted before, in date order), each rank's group on a date.
    reads = _Reads(
        scales=group_scales(),
        latest=current_records({values["staff"].pk for _r, values in order}),
    )
    records = []
    for done, (result, values) in enumerate(order, start=1):
        record = _decision(result, values, batch, reads)
        if record is not None:
            records.append(record)
        if on_progress and done % 2000 == 0:
            on_progress(done)
    with foreign_keys_checked_at_once():
        SalaryRecord.objects.bulk_create(records, batch_size=2000)
    for result, _values in parsed:
        if result.errors:
            result.action = "refused"
    return [result for result, _values in parsed]


def _parse(number: int, raw: list, header: c.Header) -> tuple[RowResult, dict]:
    return parse_keyed_row(number, raw, header, COLUMN_BY_KEY, REQUIRED)


def _match(result, values, people, ranks, allowed, own, today, seen) -> None:
    if result.errors:
        return
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
    if own is not None and staff.pk == own:
        result.refuse(
            "personal_id",
            _("Nobody may import salary decisions about themselves: another person must."),
        )
        return
    rank = ranks.get(fold(values["rank"]))
    if rank is None:
        result.refuse(
            "rank",
            _("No rank or professional title has the code “%(value)s”.")
            % {"value": values["rank"]},
        )
    if values["effective_date"] >= today:
        result.refuse(
            "effective_date",
            _(
                "Only past decisions (in effect before today) are imported; a decision for "
                "today or later is prepared and approved on the salary screen."
            ),
        )
    key = (result.personal_id, values["effective_date"])
    if key in seen:
        result.refuse(
            "effective_date",
            _("This person already has a decision with this date on row %(row)d of the file.")
            % {"row": seen[key]},
        )
    else:
        seen[key] = result.row
    if not result.errors:
        values["staff"] = staff
        values["rank"] = rank


@dataclass
class _Reads:
    """What checking a decision reads, read in bulk: the scales, the latest approved decision
    of each person (replaced by each row accepted), the group of a rank on a date."""

    scales: dict
    latest: dict
    placements: dict = field(default_factory=dict)  # rank id → its placements, newest first

    def __post_init__(self):
        for placement in RankPlacement.objects.order_by("-valid_from"):
            self.placements.setdefault(placement.rank_id, []).append(placement)

    def group_on(self, rank, day) -> int:
        """The group ``rank`` was placed in on ``day`` (``rank_group_on``, in memory)."""
        for placement in self.placements.get(rank.pk, ()):
            if placement.valid_from <= day and (
                placement.valid_to is None or placement.valid_to >= day
            ):
                return placement.group_id
        return rank.group_id


def _decision(result: RowResult, values: dict, batch, reads: _Reads) -> SalaryRecord | None:
    """The row's approved decision (not saved), or None with the row refused."""
    staff = values["staff"]
    latest = reads.latest.get(staff.pk)
    kind = values.get("kind") or (
        SalaryRecord.Kind.REGULAR_RAISE if latest is not None else SalaryRecord.Kind.INITIAL
    )
    note = values.get("note", "")
    if values.get("signer"):
        note = (_("Signed by: %(signer)s") % {"signer": values["signer"]} + ". " + note).strip()
    decision = {
        "kind": kind,
        "rank": values["rank"],
        "step": values["step"],
        "effective_date": values["effective_date"],
        "decision_number": values.get("decision_number", ""),
        "decision_date": values.get("decision_date"),
        "beyond_scale_percent": values.get("beyond_scale_percent") or Decimal(0),
        "leadership_coefficient": values.get("leadership_coefficient") or Decimal(0),
        "note": note[:255],
    }
    try:
        checked = validate_salary_values(
            staff=staff, values=decision, latest=latest, scales=reads.scales,
            group_id=reads.group_on(values["rank"], values["effective_date"]),
        )  # fmt: skip
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            result.refuse(ERROR_COLUMN.get(name, name), " ".join(messages))
        return None
    now = timezone.now()
    record = SalaryRecord(
        staff=staff, status=SalaryRecord.Status.APPROVED, created_by=batch.requested_by,
        decided_by=batch.requested_by, decided_at=now, import_batch=batch, **checked,
    )  # fmt: skip
    reads.latest[staff.pk] = record
    result.action = "created"
    result.staff = staff
    return record


@transaction.atomic
def undo(*, batch, actor) -> None:
    """Remove the decisions ``batch`` wrote, while none was changed since and no later
    decision was recorded for those people."""
    records = list(SalaryRecord.objects.select_for_update().filter(import_batch=batch))
    ids = [record.pk for record in records]
    staff_ids = {record.staff_id for record in records}
    changed = pghistory.models.Events.objects.filter(
        pgh_obj_model="payroll.SalaryRecord", pgh_obj_id__in=[str(pk) for pk in ids]
    ).exclude(pgh_label="insert")
    later = (
        SalaryRecord.objects.filter(staff_id__in=staff_ids)
        .exclude(import_batch=batch)
        .filter(created_at__gt=batch.committed_at)
    )
    if changed.exists() or later.exists():
        raise ValidationError(
            _(
                "Salary decisions of this import have been changed, or later ones recorded, "
                "since; the import can no longer be undone as a whole."
            )
        )
    with (
        audited(actor, _("Undo of the import of %(file)s") % {"file": batch.file_name}),
        pghistory.context(import_batch=str(batch.pk)),
    ):
        SalaryRecord.objects.filter(pk__in=ids).delete()


def template_lists(user) -> dict[str, list[str]]:
    return {
        "rank": list(Rank.objects.order_by("code").values_list("code", flat=True)),
        "kind": [name for _v, name, _a in KINDS],
    }


SALARY_KIND = ImportKind(
    key="salary",
    label=gettext_lazy("Salary decisions (history)"),
    columns=COLUMNS,
    check=check_rows,
    undo=undo,
    lists=template_lists,
    sheet_title="QuaTrinhLuong",
    file_name="mau-nhap-qua-trinh-luong.xlsx",
)
