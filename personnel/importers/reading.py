"""Opening an uploaded spreadsheet safely and reading its first sheet as rows of values.

Every check that protects the server runs before anything parses the file:

- only ``.xlsx`` and ``.csv``; a macro workbook (``.xlsm``, or an ``.xlsx`` that holds macros)
  is refused, and so is an OLE file (a password-protected workbook is stored as one, and so is
  the old ``.xls`` format: each gets its own message);
- a ZIP bomb: the uncompressed size (declared in the ZIP directory, and counted again while a
  part is inflated), the compression ratio and the number of parts are capped;
- sheets over ``MAX_ROWS`` rows or ``MAX_COLUMNS`` columns are refused.

Workbooks are read with python-calamine, which never evaluates a formula: a formula cell gives
its cached value (empty when it has none). CSV is UTF-8, with or without a byte-order mark,
separated by commas, semicolons or tabs.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from python_calamine import CalamineError, CalamineWorkbook

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 150
MAX_PARTS = 500
MAX_ROWS = 100_000
MAX_COLUMNS = 200
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class FileRefused(Exception):
    """The file cannot be read; ``message`` says why, in the user's language."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass
class Sheet:
    """The first sheet: its header row and an iterator over the rows below it."""

    header: list
    rows: Iterator[list]
    height: int


def check_file(path: Path, name: str) -> str:
    """Refuse a hostile or unreadable file before parsing it; returns its kind (xlsx or csv)."""
    suffix = Path(name).suffix.lower()
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileRefused(_("The file is larger than 50 MB. Split it into several files."))
    with open(path, "rb") as handle:
        head = handle.read(8)
    if suffix in (".xlsm", ".xltm", ".xlam"):
        raise FileRefused(
            _("Workbooks with macros (.xlsm) are not accepted. Save the file as .xlsx.")
        )
    if head.startswith(OLE_MAGIC):
        if _is_encrypted_ole(path):
            raise FileRefused(
                _(
                    "The file is protected by a password and cannot be read. Open it in Excel, "
                    "remove the password (File › Info › Protect Workbook) and upload it again."
                )
            )
        raise FileRefused(
            _("This is an old Excel file (.xls). Open it in Excel and save it as .xlsx.")
        )
    if suffix == ".csv":
        return "csv"
    if suffix != ".xlsx":
        raise FileRefused(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))
    if not head.startswith(ZIP_MAGIC):
        raise FileRefused(_("The file is not a valid Excel workbook (.xlsx)."))
    _check_zip(path)
    return "xlsx"


def _is_encrypted_ole(path: Path) -> bool:
    """An encrypted OOXML file is an OLE container with an EncryptionInfo stream (the stream
    names sit in the container's directory, in UTF-16)."""
    marker = "EncryptionInfo".encode("utf-16-le")
    with open(path, "rb") as handle:
        return marker in handle.read(MAX_FILE_BYTES)


def _check_zip(path: Path) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise FileRefused(_("The file is not a valid Excel workbook (.xlsx).")) from error
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise FileRefused(_("The workbook has too many parts to be a spreadsheet."))
        total = sum(part.file_size for part in parts)
        compressed = sum(part.compress_size for part in parts) or 1
        ratio = max(
            (part.file_size / max(part.compress_size, 1) for part in parts if part.file_size),
            default=0,
        )
        if total > MAX_UNCOMPRESSED_BYTES or ratio > MAX_RATIO or total / compressed > MAX_RATIO:
            raise FileRefused(
                _(
                    "The workbook expands to far more data than a spreadsheet holds (a "
                    "compressed bomb?); it was not opened."
                )
            )
        names = {part.filename.lower() for part in parts}
        if any(name.endswith("vbaproject.bin") for name in names):
            raise FileRefused(
                _("Workbooks with macros (.xlsm) are not accepted. Save the file as .xlsx.")
            )
        # The declared sizes can lie: inflate the parts with a budget.
        budget = MAX_UNCOMPRESSED_BYTES
        for part in parts:
            with archive.open(part) as stream:
                while chunk := stream.read(1 << 20):
                    budget -= len(chunk)
                    if budget < 0:
                        raise FileRefused(
                            _(
                                "The workbook expands to far more data than a spreadsheet "
                                "holds (a compressed bomb?); it was not opened."
                            )
                        )


def read_sheet(path: Path, kind: str) -> Sheet:
    """The first sheet of a checked file (``check_file``)."""
    if kind == "csv":
        return _read_csv(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        if not workbook.sheet_names:
            raise FileRefused(_("The workbook has no sheet."))
        sheet = workbook.get_sheet_by_index(0)
    except CalamineError as error:
        raise FileRefused(_("The file is not a valid Excel workbook (.xlsx).")) from error
    if sheet.total_height > MAX_ROWS + 1 or sheet.total_width > MAX_COLUMNS:
        raise FileRefused(_too_big())
    rows = sheet.iter_rows()
    header = next(rows, [])
    return Sheet(header=list(header), rows=(list(row) for row in rows), height=sheet.height - 1)


def _too_big():
    return _(
        "The sheet has more than %(rows)s rows or %(columns)s columns. Split it into several files."
    ) % {"rows": f"{MAX_ROWS:,}".replace(",", "."), "columns": MAX_COLUMNS}


def _read_csv(path: Path) -> Sheet:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            _("The CSV file is not in UTF-8. Save it from Excel as “CSV UTF-8”.")
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if len(rows) > MAX_ROWS + 1 or any(len(row) > MAX_COLUMNS for row in rows):
        raise FileRefused(_too_big())
    header = rows[0] if rows else []
    return Sheet(header=header, rows=iter(rows[1:]), height=max(len(rows) - 1, 0))


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value) -> str:
    """A cell as text: whole numbers without ".0", dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()
