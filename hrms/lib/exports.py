"""One base for table exports: a subclass yields ``header()`` and ``rows()``; the base writes
XLSX (openpyxl, write-only, streaming rows) or CSV (UTF-8 with BOM, for Excel).

Text cells are written as text. A value starting with ``= + - @``, a tab or a carriage return
would be taken for a formula by a spreadsheet (CSV/formula injection, OWASP): XLSX cells are
forced to the string type and carry Excel's quote prefix (the hidden apostrophe that keeps them
text when someone edits the cell, F2 then Enter), CSV values get a leading apostrophe.

Text goes through ``printable()`` on the way out: control characters stored in the database
(pasted from Word) would otherwise make openpyxl refuse the whole file.

Every XLSX table reads the same way: a title block (the list's name, then unit, period, who
and when, as given in ``ExportHeading``), the header row with an autofilter, panes frozen under
it, and a print setup (A4 landscape, fitted to the page width, the header repeated on every
page). One convention for dates: a full date is a real date cell shown dd/mm/yyyy; a partial
date (a year, a month and year, as old dossiers know them) is text exactly as written, never
made up into a 1 January. Numbers with decimals (coefficients) show two decimals at least
(``3,00``, not ``3``); Excel draws the decimal mark of its locale. CSV stays a bare table (the
header, then the rows) for programs to read.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from hrms.lib.partial_dates import PartialDate
from hrms.lib.printable import printable
from hrms.lib.vietnamese import fold

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(value: str) -> str:
    """A CSV-safe text value: a leading apostrophe defuses formula triggers."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def file_slug(value: str, *, fallback: str = "") -> str:
    """A file-name part in plain ASCII: Vietnamese letters without their accents, words joined
    by hyphens ("Trường THCS Tân Yên" → "truong-thcs-tan-yen")."""
    words = re.findall(r"[a-z0-9]+", fold(printable(value or "")))
    return "-".join(words)[:60].strip("-") or fallback


def export_file_name(kind: str, *parts: str, day: datetime.date | None = None) -> str:
    """``danh-sach-can-bo_truong-thcs-tan-yen_2026-11-29.xlsx``: what (a Vietnamese slug), for
    whom (unit, list), and the day it was made."""
    day = day or timezone.localdate()
    named = [file_slug(kind, fallback="danh-sach")]
    named += [slug for slug in (file_slug(part) for part in parts) if slug]
    return "_".join([*named, day.isoformat()]) + ".xlsx"


@dataclass(frozen=True)
class ExportHeading:
    """The title block above a table: for which unit and period, made by whom and when."""

    unit: str = ""
    period: str = ""
    made_by: str = ""
    made_at: datetime.datetime | None = None

    def lines(self) -> list[str]:
        made_at = timezone.localtime(self.made_at) if self.made_at else None
        lines = [
            _("Unit: %(unit)s") % {"unit": self.unit} if self.unit else "",
            _("Period: %(period)s") % {"period": self.period} if self.period else "",
            _("Prepared by: %(name)s") % {"name": self.made_by} if self.made_by else "",
            _("Prepared at: %(when)s") % {"when": f"{made_at:%H:%M %d/%m/%Y}"} if made_at else "",
        ]
        return [line for line in lines if line]


class TableExport:
    """Subclass with ``title``, ``header()`` and ``rows()`` (values: str, int, Decimal, date,
    ``PartialDate``); ``heading`` fills the title block."""

    title = "Export"
    column_widths: tuple[int, ...] = ()
    heading: ExportHeading | None = None

    def header(self) -> list[str]:
        raise NotImplementedError

    def rows(self) -> Iterable[list]:
        raise NotImplementedError

    def xlsx(self) -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_sheet_name(self.title))
        for index, width in enumerate(self.column_widths, start=1):
            sheet.column_dimensions[_column_letter(index)].width = width
        # Print setup: the sheet properties are written with the first row, the rest at the end.
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages down as the list needs
        header = [printable(str(title)) for title in self.header()]
        lines = self.heading.lines() if self.heading is not None else None
        header_row = len(lines) + 3 if lines is not None else 1  # title, lines, a blank row
        sheet.freeze_panes = f"A{header_row + 1}"  # written with the first row: set it before
        if lines is not None:
            self._write_title_block(sheet, lines)
        bold = Font(bold=True)
        header_cells = []
        for title in header:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header_cells.append(cell)
        sheet.append(header_cells)
        last_row = header_row
        for row in self.rows():
            sheet.append([self._xlsx_cell(sheet, value) for value in row])
            last_row += 1
        last_column = _column_letter(max(len(header), 1))
        sheet.auto_filter.ref = f"A{header_row}:{last_column}{last_row}"
        sheet.print_title_rows = f"{header_row}:{header_row}"
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def _write_title_block(self, sheet, lines: list[str]) -> None:
        """The list's name in bold, the heading's lines, then a blank row."""
        title = WriteOnlyCell(sheet, value=printable(str(self.title)))
        title.font = Font(bold=True, size=14)
        sheet.append([title])
        for line in lines:
            sheet.append([self._xlsx_cell(sheet, line)])
        sheet.append([])

    @staticmethod
    def _xlsx_cell(sheet, value):
        if value is None:
            return None
        if isinstance(value, str):
            value = printable(value)
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # never a formula, whatever the text starts with
            if value.startswith(FORMULA_TRIGGERS):
                cell.quotePrefix = True  # and still text after the cell is edited in Excel
            return cell
        if isinstance(value, PartialDate):
            if value.precision != "day":  # "1973", "05/1973": text exactly as known
                cell = WriteOnlyCell(sheet, value=str(value))
                cell.data_type = "s"
                return cell
            value = value.first_day
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, datetime.date):
            cell.number_format = "DD/MM/YYYY"
        elif isinstance(value, Decimal | int):
            cell.number_format = number_format_of(value)
        return cell

    def csv(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([self._csv_value(title) for title in self.header()])
        for row in self.rows():
            writer.writerow([self._csv_value(value) for value in row])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    @staticmethod
    def _csv_value(value) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, PartialDate):
            return str(value)  # 17/05/1962, 05/1962 or 1962, as known
        return neutralise(printable(value)) if isinstance(value, str) else str(value)


def number_format_of(value: Decimal | int) -> str:
    """The cell format of a number: whole amounts grouped (``#,##0``); a value with decimals
    (coefficients, as stored with two places) shows two decimals at least, so 3.00 stays
    ``3,00`` and never becomes ``3`` (Excel draws its locale's decimal mark)."""
    exponent = value.as_tuple().exponent if isinstance(value, Decimal) else 0
    if exponent >= 0:
        return "#,##0"
    return "0.00" if exponent >= -2 else "0.00##"


def _sheet_name(title: str) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    return re.sub(r"[\[\]:*?/\\]", " ", printable(str(title)))[:31] or "Sheet1"


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
