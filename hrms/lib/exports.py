"""One base for table exports: a subclass yields ``header()`` and ``rows()``; the base writes
XLSX (openpyxl, write-only, streaming rows) or CSV (UTF-8 with BOM, for Excel).

Text cells are written as text. A value starting with ``= + - @``, a tab or a carriage return
would be taken for a formula by a spreadsheet (CSV/formula injection, OWASP): XLSX cells are
forced to the string type and carry Excel's quote prefix (the hidden apostrophe that keeps them
text when someone edits the cell, F2 then Enter), CSV values get a leading apostrophe.

Text goes through ``printable()`` on the way out: control characters stored in the database
(pasted from Word) would otherwise make openpyxl refuse the whole file.
"""

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from hrms.lib.printable import printable

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(value: str) -> str:
    """A CSV-safe text value: a leading apostrophe defuses formula triggers."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


class TableExport:
    """Subclass with ``title``, ``header()`` and ``rows()`` (values: str, int, Decimal, date)."""

    title = "Export"
    column_widths: tuple[int, ...] = ()

    def header(self) -> list[str]:
        raise NotImplementedError

    def rows(self) -> Iterable[list]:
        raise NotImplementedError

    def xlsx(self) -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(self.title[:31])
        for index, width in enumerate(self.column_widths, start=1):
            sheet.column_dimensions[_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header_cells = []
        for title in self.header():
            cell = WriteOnlyCell(sheet, value=printable(str(title)))
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in self.rows():
            sheet.append([self._xlsx_cell(sheet, value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

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
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, datetime.date):
            cell.number_format = "DD/MM/YYYY"
        elif isinstance(value, Decimal) and value != value.to_integral_value():
            cell.number_format = "0.00##"  # coefficients, percentages
        elif isinstance(value, Decimal | int):
            cell.number_format = "#,##0"
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
        return neutralise(printable(value)) if isinstance(value, str) else str(value)


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
