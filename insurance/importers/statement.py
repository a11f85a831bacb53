"""Reading the insurance office's monthly statement (C12-TS) from an XLSX file a clerk uploads.

The file comes from outside, so it is checked before anything parses it: a plain ``.xlsx``
(a macro-enabled workbook is refused), at most ``MAX_FILE_BYTES``, a real ZIP archive whose
entries add up to at most ``MAX_UNCOMPRESSED_BYTES`` uncompressed and none compressed more than
``MAX_RATIO`` times (zip bombs), no VBA project inside. The XML is parsed by openpyxl through
defusedxml (entity expansion refused); only the first sheet's first ``MAX_ROWS`` rows and
``MAX_COLUMNS`` columns are read, values only (never formulas).

The statement's layout varies with the office's software, so columns are found by their
headings (accents and case ignored): an identifier (social-insurance number or personal ID) and
at least one amount (contribution salary, employee, employer or total).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import openpyxl
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

from hrms.lib.vietnamese import fold

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 500
MAX_RATIO = 100
MAX_ROWS = 20_000
MAX_COLUMNS = 40
HEADER_SEARCH_ROWS = 30
_MACRO_PARTS = re.compile(r"(vbaproject\.bin|vbadata\.xml|\.bin$)", re.IGNORECASE)

# field → heading fragments (folded), most specific first
HEADINGS: dict[str, tuple[str, ...]] = {
    "social_insurance_number": ("ma so bhxh", "so so bhxh", "ma bhxh", "so bhxh",
                                "social insurance number", "si number"),
    "personal_id": ("cccd", "so dinh danh", "can cuoc", "personal id", "cmnd"),
    "full_name": ("ho va ten", "ho ten", "full name"),
    "employee": ("nguoi lao dong", "nld", "employee"),
    "employer": ("don vi dong", "nguoi su dung lao dong", "nsdld", "employer"),
    "total": ("tong so tien", "so tien phai dong", "so phai dong", "tong cong", "phai nop",
              "total"),
    "salary": ("tien luong dong", "muc luong dong", "luong dong", "tien luong",
               "contribution salary", "salary"),
}  # fmt: skip
AMOUNTS = ("salary", "employee", "employer", "total")
FIELDS = ("social_insurance_number", "personal_id", "full_name", *AMOUNTS)


@dataclass
class Statement:
    """The rows read from a statement: identifiers, name and amounts (None when the statement
    has no such column or the cell is empty)."""

    columns: list[str]
    rows: list[dict] = field(default_factory=list)
    skipped: int = 0  # rows without an identifier (totals, notes)


def _refuse(message: str):
    raise ValidationError({"file": message})


def check_file(name: str, content: bytes) -> None:
    """Refuse anything that is not a plain, reasonably sized XLSX workbook."""
    lowered = (name or "").lower()
    if lowered.endswith((".xlsm", ".xltm", ".xlam")):
        _refuse(_("File: macro-enabled workbooks are refused; save it as .xlsx without macros."))
    if not lowered.endswith(".xlsx"):
        _refuse(_("File: upload the statement as an Excel workbook (.xlsx)."))
    if len(content) > MAX_FILE_BYTES:
        _refuse(
            _("File: the statement is larger than %(size)s MB.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if not content.startswith(b"PK\x03\x04"):
        _refuse(_("File: this is not an .xlsx workbook (or it is password-protected)."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        _refuse(_("File: the workbook is damaged and cannot be read."))
    if len(entries) > MAX_ENTRIES:
        _refuse(_("File: the workbook has too many parts to be a statement."))
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_RATIO * max(
            entry.compress_size, 1
        ):
            _refuse(_("File: the workbook expands to far more than its size; it is refused."))
        if _MACRO_PARTS.search(entry.filename):
            _refuse(_("File: the workbook contains macros; save it as .xlsx without macros."))
    if total > MAX_UNCOMPRESSED_BYTES:
        _refuse(_("File: the workbook expands to far more than its size; it is refused."))
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        _refuse(_("File: this is not an .xlsx workbook (or it is password-protected)."))
    types = archive.read("[Content_Types].xml")
    if b"macroEnabled" in types or b"vbaProject" in types:
        _refuse(_("File: the workbook contains macros; save it as .xlsx without macros."))


def _match(heading: str) -> str | None:
    folded = fold(heading)
    if not folded:
        return None
    for name, fragments in HEADINGS.items():
        if any(fragment in folded for fragment in fragments):
            return name
    return None


def _columns(row: tuple) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        if value is None:
            continue
        name = _match(str(value))
        if name is not None and name not in found:
            found[name] = index
    return found


def _identifier(value, length: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    digits = re.sub(r"\D", "", str(value))
    if not digits:
        return ""
    return digits.zfill(length) if len(digits) < length else digits


def _amount(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value)).quantize(Decimal(1))
    text = re.sub(r"[\s đ]|VND|vnd", "", str(value))
    text = text.replace(".", "").replace(",", "")  # thousands separators, whole đồng
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def read_statement(content: bytes) -> Statement:
    """The statement's rows, from the first sheet (call ``check_file`` first)."""
    if not openpyxl.DEFUSEDXML:
        raise ImproperlyConfigured("defusedxml must be installed to read uploaded workbooks.")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise ValidationError({"file": _("File: the workbook cannot be read.")}) from error
    try:
        return _rows_of(workbook)
    except ValidationError:
        raise
    except Exception as error:  # a sheet is parsed lazily: bad XML (entities…) surfaces here
        raise ValidationError({"file": _("File: the workbook cannot be read.")}) from error
    finally:
        workbook.close()


def _rows_of(workbook) -> Statement:
    """The heading row, then one item per row with an identifier (totals and notes skipped)."""
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    columns: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        found = _columns(row)
        if ("social_insurance_number" in found or "personal_id" in found) and any(
            name in found for name in AMOUNTS
        ):
            columns = found
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if not columns:
        _refuse(
            _(
                "File: no heading row found. The statement needs a column for the "
                "social-insurance number (or the personal ID) and one for an amount "
                "(contribution salary, employee, employer or total)."
            )
        )
    statement = Statement(columns=[name for name in FIELDS if name in columns])
    for count, row in enumerate(rows, start=1):
        if count > MAX_ROWS:
            _refuse(_("File: more than %(rows)s rows.") % {"rows": MAX_ROWS})

        def cell(name, row=row):
            index = columns.get(name)
            return row[index] if index is not None and index < len(row) else None

        si_number = _identifier(cell("social_insurance_number"), 10)
        personal_id = _identifier(cell("personal_id"), 12)
        if not si_number and not personal_id:
            if any(value not in (None, "") for value in row):
                statement.skipped += 1
            continue
        item = {
            "social_insurance_number": si_number,
            "personal_id": personal_id,
            "full_name": str(cell("full_name") or "").strip()[:120],
        }
        for name in AMOUNTS:
            item[name] = _amount(cell(name))
        statement.rows.append(item)
    return statement
