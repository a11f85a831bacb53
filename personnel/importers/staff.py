"""Staff records from a spreadsheet: the template's columns and the check of every row.

``StaffRows.check(sheet)`` yields one ``RowResult`` per data row: what the row would do
(create a record, update one, leave it unchanged) or why it is refused, each refusal naming its
column. Rows obey the same rules as the screens: the model's field validators
(``personnel.validators``), the dates' bounds, the order of related dates, one record per
person across the province (matched by personal ID), and the user's scope (rows for units the
user may not change are refused).

Blank cells of a row that updates a record leave that item as it is; a row never moves a
person to another unit (that is a transfer, recorded with its decision on the record).
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from hrms.lib.partial_dates import PartialDate
from hrms.lib.vietnamese import fold
from personnel import permissions
from personnel.importers import columns as c
from personnel.importers.reading import Sheet, cell_text
from personnel.models import EthnicGroup, OrgUnit, Rank, Religion, Staff
from personnel.services.staff import duplicate_message

CATEGORIES = [
    (Staff.Category.CADRE, "Cán bộ", ()),
    (Staff.Category.CIVIL_SERVANT, "Công chức", ("cc",)),
    (Staff.Category.PUBLIC_EMPLOYEE, "Viên chức", ("vc",)),
    (Staff.Category.CONTRACT, "Hợp đồng lao động", ("hop dong", "hdld", "hd")),
    (Staff.Category.COMMUNE_CADRE, "Cán bộ cấp xã (trước 01/7/2025)", ("can bo cap xa",)),
    (
        Staff.Category.COMMUNE_CIVIL_SERVANT,
        "Công chức cấp xã (trước 01/7/2025)",
        ("cong chuc cap xa",),
    ),
]
SEXES = [(Staff.Sex.MALE, "Nam", ("m", "male")), (Staff.Sex.FEMALE, "Nữ", ("f", "female"))]
QUALIFICATIONS = [
    ("vocational", "Sơ cấp", ()),
    ("intermediate", "Trung cấp", ()),
    ("college", "Cao đẳng", ()),
    ("bachelor", "Đại học", ("cu nhan", "ky su")),
    ("master", "Thạc sĩ", ("thac sy",)),
    ("doctor", "Tiến sĩ", ("tien sy",)),
]
THEORY = [
    ("elementary", "Sơ cấp", ()),
    ("intermediate", "Trung cấp", ()),
    ("advanced", "Cao cấp", ()),
    ("bachelor", "Cử nhân", ()),
]
MANAGEMENT = [
    ("officer", "Chuyên viên", ()),
    ("principal", "Chuyên viên chính", ()),
    ("senior", "Chuyên viên cao cấp", ()),
]


def _max(name: str) -> int:
    return Staff._meta.get_field(name).max_length


def _text(name: str):
    return c.text(_max(name))


# The template, in order. Keys are Staff fields, except unit, rank, ethnicity and religion
# (codes or names looked up in the reference tables).
COLUMNS = [
    c.Column("personal_id", "Số định danh cá nhân (CCCD) (*)", c.digits(12),
             ("so dinh danh ca nhan", "so dinh danh", "cccd", "so cccd", "can cuoc cong dan",
              "so can cuoc", "ma dinh danh"), "001062000123", width=18),
    c.Column("staff_number", "Mã cán bộ (*)", _text("staff_number"),
             ("ma can bo", "ma so", "ma nhan vien", "so hieu can bo", "ma cb"), "CB000123"),
    c.Column("full_name", "Họ và tên (*)", _text("full_name"),
             ("ho va ten", "ho ten", "ho va ten khai sinh", "ten"), "Nguyễn Văn An", width=24),
    c.Column("birth_date", "Ngày sinh (*)", c.partial_date,
             ("ngay sinh", "ngay thang nam sinh", "nam sinh", "sinh ngay"), "17/05/1962"),
    c.Column("sex", "Giới tính (*)", c.choice(SEXES), ("gioi tinh", "gioi", "nam nu"), "Nam",
             choices=lambda: [name for _v, name, _a in SEXES], width=10),
    c.Column("unit", "Mã đơn vị", _text("staff_number"), ("ma don vi", "don vi", "ma dv"),
             "", width=12, note="unit"),
    c.Column("category", "Đối tượng (*)", c.choice(CATEGORIES),
             ("doi tuong", "loai can bo", "phan loai"), "Công chức",
             choices=lambda: [name for _v, name, _a in CATEGORIES]),
    c.Column("rank", "Mã ngạch / chức danh nghề nghiệp", _text("staff_number"),
             ("ma ngach", "ngach", "ma chuc danh", "chuc danh nghe nghiep", "ma ngach chuc danh"),
             "01.003", note="rank"),
    c.Column("position_title", "Chức vụ", _text("position_title"),
             ("chuc vu", "chuc vu hien tai"), "Chuyên viên"),
    c.Column("recruitment_date", "Ngày tuyển dụng", c.full_date,
             ("ngay tuyen dung", "ngay vao nganh"), "01/09/1985"),
    c.Column("phone", "Điện thoại", c.phone, ("dien thoai", "so dien thoai", "sdt", "dt"),
             "0912345678"),
    c.Column("other_names", "Tên gọi khác", _text("other_names"), ("ten goi khac", "ten khac")),
    c.Column("ethnicity", "Dân tộc", _text("staff_number"), ("dan toc",), "Kinh",
             note="ethnicity"),
    c.Column("religion", "Tôn giáo", _text("staff_number"), ("ton giao",), "Không",
             note="religion"),
    c.Column("birth_province", "Nơi sinh (tỉnh)", _text("birth_province"),
             ("noi sinh", "noi sinh tinh")),
    c.Column("home_province", "Quê quán (tỉnh)", _text("home_province"),
             ("que quan", "que quan tinh")),
    c.Column("permanent_residence", "Nơi thường trú", _text("permanent_residence"),
             ("noi thuong tru", "ho khau thuong tru", "thuong tru")),
    c.Column("current_residence", "Nơi ở hiện nay", _text("current_residence"),
             ("noi o hien nay", "cho o hien nay", "dia chi")),
    c.Column("personal_id_issued_on", "Ngày cấp CCCD", c.full_date, ("ngay cap", "ngay cap cccd")),
    c.Column("personal_id_issued_by", "Nơi cấp CCCD", _text("personal_id_issued_by"),
             ("noi cap", "noi cap cccd")),
    c.Column("old_id_number", "Số CMND cũ", c.digits(9), ("so cmnd", "cmnd", "so cmnd cu")),
    c.Column("tax_code", "Mã số thuế", c.digits(10), ("ma so thue", "mst", "ma so thue ca nhan")),
    c.Column("social_insurance_number", "Số sổ BHXH", c.digits(10),
             ("so so bhxh", "so bhxh", "ma so bhxh", "bhxh")),
    c.Column("general_education", "Giáo dục phổ thông", _text("general_education"),
             ("giao duc pho thong", "trinh do pho thong", "van hoa"), "12/12"),
    c.Column("qualification", "Trình độ chuyên môn", c.choice(QUALIFICATIONS),
             ("trinh do chuyen mon", "trinh do", "hoc van"), "Đại học",
             choices=lambda: [name for _v, name, _a in QUALIFICATIONS]),
    c.Column("qualification_field", "Chuyên ngành", _text("qualification_field"),
             ("chuyen nganh", "nganh dao tao")),
    c.Column("political_theory", "Lý luận chính trị", c.choice(THEORY),
             ("ly luan chinh tri", "llct"), choices=lambda: [name for _v, name, _a in THEORY]),
    c.Column("state_management", "Quản lý nhà nước", c.choice(MANAGEMENT),
             ("quan ly nha nuoc", "qlnn"), choices=lambda: [name for _v, name, _a in MANAGEMENT]),
    c.Column("foreign_languages", "Ngoại ngữ", _text("foreign_languages"), ("ngoai ngu",)),
    c.Column("it_skills", "Tin học", _text("it_skills"), ("tin hoc",)),
    c.Column("party_admission_date", "Ngày vào Đảng", c.partial_date,
             ("ngay vao dang", "ngay vao dang csvn")),
    c.Column("party_official_date", "Ngày chính thức (Đảng)", c.partial_date,
             ("ngay chinh thuc", "ngay chinh thuc dang")),
]  # fmt: skip
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
FIELDS = {field.name: field for field in Staff._meta.concrete_fields}
REQUIRED_TO_CREATE = ("staff_number", "full_name", "birth_date", "sex", "category")
SENSITIVE = ("ethnicity", "religion", "party_admission_date", "party_official_date")
# Dates that cannot come before the date of birth.
AFTER_BIRTH = ("recruitment_date", "personal_id_issued_on", "party_admission_date")
LOOKUPS = ("unit", "rank", "ethnicity", "religion")


@dataclass
class RowResult:
    """What one data row does: ``action`` created/updated/unchanged/refused."""

    row: int  # the row number in the sheet (the header is row 1)
    action: str = ""
    staff: Staff | None = None
    changed: list[str] = field(default_factory=list)
    before: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column key, message)
    personal_id: str = ""
    values: dict = field(default_factory=dict)

    def refuse(self, key: str, message) -> None:
        self.errors.append((key, str(message)))


def parse_cells(
    number: int, raw: list, header: c.Header, columns_by_key: dict
) -> tuple[RowResult, dict]:
    """Every known, non-blank cell of a row parsed by its column; a refusal per bad cell."""
    result = RowResult(row=number)
    values = {}
    for key, position in header.positions.items():
        value = raw[position] if position < len(raw) else None
        if c.blank(value):
            continue
        try:
            values[key] = columns_by_key[key].parse(value)
        except ValidationError as error:
            result.refuse(key, " ".join(error.messages))
    return result, values


def parse_keyed_row(
    number: int, raw: list, header: c.Header, columns_by_key: dict, required
) -> tuple[RowResult, dict]:
    """One row of a person-keyed import (salary history, ratings): each known column parsed,
    a refusal per bad cell, the personal ID and the ``required`` columns demanded."""
    result, values = parse_cells(number, raw, header, columns_by_key)
    result.personal_id = values.get("personal_id", "")
    if not result.personal_id and not result.errors:
        result.refuse("personal_id", _("The personal ID number is required."))
    for key in required:
        if key not in values and key not in {k for k, _m in result.errors}:
            result.refuse(key, _("Required."))
    return result, values


class StaffRows:
    """Checks the rows of a staff sheet for ``user`` (None: the command line, every unit);
    rows without a unit code go to ``default_unit``."""

    def __init__(self, *, user, default_unit: OrgUnit, lock: bool = False):
        """``lock``: the commit's check, which locks the records it will change and builds
        the model instances it will write."""
        self.user = user
        self.default_unit = default_unit
        self.lock = lock
        units = OrgUnit.objects.filter(valid_to__isnull=True)
        self.units = {fold(unit.code): unit for unit in units}
        allowed = (
            permissions.visible_units(user, permissions.CHANGE_STAFF)
            if user is not None
            else OrgUnit.objects.all()
        )
        self.allowed_units = set(allowed.values_list("pk", flat=True))
        sensitive = (
            permissions.visible_units(user, permissions.VIEW_SENSITIVE)
            if user is not None
            else OrgUnit.objects.all()
        )
        self.sensitive_units = set(sensitive.values_list("pk", flat=True))
        self.ranks = {fold(rank.code): rank for rank in Rank.objects.all()}
        self.ethnicities = _reference(EthnicGroup)
        self.religions = _reference(Religion)
        self.likely_duplicates: list[dict] = []
        self.ignored: list[str] = []

    # --- the whole sheet -----------------------------------------------------------------

    def check(self, sheet: Sheet, on_progress=None) -> Iterator[RowResult]:
        """Yield the result of every non-empty data row, in order."""
        header = c.match_header(sheet.header, COLUMNS)
        self.ignored = header.ignored
        if "personal_id" not in header.positions:
            raise_missing = RowResult(row=1, action="refused")
            raise_missing.refuse(
                "personal_id",
                _("The sheet has no “%(header)s” column; every row needs one.")
                % {"header": COLUMN_BY_KEY["personal_id"].header},
            )
            yield raise_missing
            return
        batch: list[tuple[int, dict]] = []
        seen_ids: dict[str, int] = {}
        seen_numbers: dict[str, int] = {}
        created_keys: dict[tuple, list] = defaultdict(list)
        for number, raw in enumerate(sheet.rows, start=2):
            if all(c.blank(value) for value in raw):
                continue
            batch.append((number, raw))
            if len(batch) >= 2000:
                yield from self._check_batch(batch, header, seen_ids, seen_numbers, created_keys)
                if on_progress:
                    on_progress(number - 1)
                batch = []
        if batch:
            yield from self._check_batch(batch, header, seen_ids, seen_numbers, created_keys)
        if not self.lock:  # the commit follows a dry run whose list the clerk has seen
            self._likely_duplicates(created_keys)

    def _check_batch(self, batch, header, seen_ids, seen_numbers, created_keys):
        parsed = [self._parse(number, raw, header) for number, raw in batch]
        ids = {result.personal_id for result, _values in parsed if result.personal_id}
        existing_qs = Staff.objects.filter(personal_id__in=ids)
        if self.lock:
            existing_qs = existing_qs.select_for_update(of=("self",))
        existing = {staff.personal_id: staff for staff in existing_qs.select_related("unit")}
        numbers = {values["staff_number"] for _r, values in parsed if values.get("staff_number")}
        number_owners = dict(
            Staff.objects.filter(staff_number__in=numbers).values_list("staff_number", "pk")
        )
        for result, values in parsed:
            if not result.errors:
                self._plan(result, values, existing, number_owners, seen_ids, seen_numbers)
            if result.errors:
                result.action = "refused"
            elif result.action == "created":
                values = result.values
                key = (fold(values["full_name"]), values["birth_date"].iso())
                created_keys[key].append((result.row, result.personal_id, values["full_name"]))
            yield result

    # --- one row ---------------------------------------------------------------------------

    def _parse(self, number: int, raw: list, header: c.Header) -> tuple[RowResult, dict]:
        result, values = parse_cells(number, raw, header, COLUMN_BY_KEY)
        result.personal_id = values.get("personal_id", "")
        if not result.personal_id and "personal_id" not in {k for k, _m in result.errors}:
            result.refuse(
                "personal_id",
                _(
                    "The personal ID number is required: it is how a person is recognised "
                    "across the province."
                ),
            )
        for key in LOOKUPS:
            if key in values:
                self._look_up(result, values, key)
        return result, values

    def _look_up(self, result: RowResult, values: dict, key: str) -> None:
        text = values[key]
        table = {
            "unit": self.units, "rank": self.ranks, "ethnicity": self.ethnicities,
            "religion": self.religions,
        }[key]  # fmt: skip
        found = table.get(_folded(text))
        if found is not None:
            values[key] = found
            return
        if key == "unit":
            message = _("No current unit has the code “%(value)s”.")
        elif key == "rank":
            message = _("No rank or professional title has the code “%(value)s”.")
        else:
            message = _("“%(value)s” is not in the list.")
        result.refuse(key, message % {"value": text})
        del values[key]

    def _plan(self, result, values, existing, number_owners, seen_ids, seen_numbers) -> None:
        pid = result.personal_id
        if pid in seen_ids:
            result.refuse(
                "personal_id",
                _("This personal ID number is already on row %(row)d of the file.")
                % {"row": seen_ids[pid]},
            )
            return
        seen_ids[pid] = result.row
        number = values.get("staff_number")
        if number:
            if number in seen_numbers:
                result.refuse(
                    "staff_number",
                    _("This staff number is already on row %(row)d of the file.")
                    % {"row": seen_numbers[number]},
                )
                return
            seen_numbers[number] = result.row
        person = existing.get(pid)
        unit = values.pop("unit", None)
        if person is None:
            self._plan_create(result, values, unit or self.default_unit, number_owners)
        else:
            self._plan_update(result, values, unit, person, number_owners)

    def _in_scope(self, result: RowResult, unit: OrgUnit, values: dict) -> bool:
        if unit.pk not in self.allowed_units:
            result.refuse(
                "unit",
                _("You may not import records into the unit “%(unit)s”.") % {"unit": unit.code},
            )
            return False
        if unit.pk not in self.sensitive_units:
            for key in SENSITIVE:
                if key in values:
                    result.refuse(key, _("You may not enter this item for this unit."))
        return not result.errors

    def _plan_create(self, result, values, unit, number_owners) -> None:
        if not self._in_scope(result, unit, values):
            return
        for key in REQUIRED_TO_CREATE:
            if key not in values:
                result.refuse(key, _("Required for a new record."))
        if values.get("staff_number") in number_owners:
            result.refuse("staff_number", _("Another record already has this staff number."))
        if result.errors:
            return
        self._validate(result, values, list(values))
        result.values = values
        result.action = "created"
        if self.lock:
            result.staff = Staff(unit=unit, **values)

    def _plan_update(self, result, values, unit, person, number_owners) -> None:
        if person.unit_id not in self.allowed_units:
            result.refuse("personal_id", duplicate_message(None))
            return
        if unit is not None and unit.pk != person.unit_id:
            result.refuse(
                "unit",
                _(
                    "%(name)s works in %(unit)s. A move to another unit is a transfer, "
                    "recorded on the record with its decision, not by an import."
                )
                % {"name": person.full_name, "unit": person.unit.code},
            )
            return
        if not self._in_scope(result, person.unit, values):
            return
        number = values.get("staff_number")
        if number and number_owners.get(number, person.pk) != person.pk:
            result.refuse("staff_number", _("Another record already has this staff number."))
            return
        changed = [key for key, value in values.items() if getattr(person, key) != value]
        if not changed:
            result.action = "unchanged"
            result.staff = person
            return
        result.before = {key: Staff._meta.get_field(key).value_to_string(person) for key in changed}
        self._validate(result, values, changed, current=person)
        for key in changed:
            setattr(person, key, values[key])
        result.staff = person
        result.changed = changed
        result.action = "updated"

    def _validate(self, result: RowResult, values: dict, keys: list[str], current=None) -> None:
        """The model's own field rules (its validators: personnel.validators), and the date
        rules the database also holds. Related rows were looked up by code already."""
        for key in keys:
            if key in LOOKUPS:
                continue
            try:
                values[key] = FIELDS[key].clean(values[key], None)
            except ValidationError as error:
                result.refuse(key, " ".join(error.messages))

        def value(name):
            return values[name] if name in values else getattr(current, name, None)

        birth = value("birth_date")
        born = birth.first_day if birth else None
        for key in AFTER_BIRTH:
            day = getattr(values.get(key), "first_day", values.get(key))
            if born and day and day < born and key in keys:
                result.refuse(key, _("This date is before the date of birth."))
        admitted, official = value("party_admission_date"), value("party_official_date")
        if admitted and official and official.first_day < admitted.first_day:
            result.refuse("party_official_date", _("This date is before the Party admission date."))

    def _likely_duplicates(self, created_keys: dict) -> None:
        """Records to be created with the same name and birth date as another person (in the
        province or in the file) but a different personal ID: listed for a clerk to decide."""
        found = []
        in_file = {key: rows for key, rows in created_keys.items() if len(rows) > 1}
        for key, rows in in_file.items():
            for row, pid, name in rows:
                others = [other for other in rows if other[0] != row]
                found.append(
                    {"row": row, "name": name, "birth": str(PartialDate.parse(key[1])),
                     "personal_id": pid,
                     "other": ", ".join(_("row %(row)d") % {"row": o[0]} for o in others)}
                )  # fmt: skip
        if created_keys:
            names, births = zip(*created_keys, strict=True)
            with connection.cursor() as cursor:
                cursor.execute(_LIKELY_SQL, [list(names), list(births)])
                stored = cursor.fetchall()
            for staff_number, full_name, unit_code, name_key, birth in stored:
                for row, pid, name in created_keys.get((name_key, birth), ()):
                    found.append(
                        {"row": row, "name": name, "birth": str(PartialDate.parse(birth)),
                         "personal_id": pid,
                         "other": f"{full_name} ({staff_number}, {unit_code})"}
                    )  # fmt: skip
        self.likely_duplicates = sorted(found, key=lambda item: item["row"])


# Stored records with one of the (accent-free name, birth date) pairs of the new rows.
_LIKELY_SQL = """
WITH wanted(name_key, birth) AS (SELECT * FROM unnest(%s::text[], %s::text[]))
SELECT s.staff_number, s.full_name, u.code, w.name_key, w.birth
FROM personnel_staff s
JOIN personnel_orgunit u ON u.id = s.unit_id
JOIN wanted w ON w.birth = s.birth_date
 AND w.name_key = btrim(regexp_replace(lower(hrms_unaccent(s.full_name)), '\\s+', ' ', 'g'))
"""


@lru_cache(maxsize=8192)
def _folded(text: str) -> str:
    return fold(text)


def _reference(model) -> dict:
    table = {}
    for item in model.objects.all():
        table.setdefault(fold(item.name), item)
        table.setdefault(fold(item.code), item)
    return table


def column_label(key: str) -> str:
    column = COLUMN_BY_KEY.get(key)
    return column.header if column else key


def row_texts(raw: list) -> list[str]:
    return [cell_text(value) for value in raw]
