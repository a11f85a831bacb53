"""The monthly change list (D02-LT) as an XLSX workbook laid out by a template (one sheet per
reporting unit): heading lines, sections with their parts, totals per part and per section.

Rows lacking both a social-insurance number and a personal ID are kept and flagged in the note
(and filled red), never dropped. Text cells are strings (never formulas) and pass through
``printable``; a value starting with a formula trigger keeps Excel's quote prefix.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hrms.lib.exports import FORMULA_TRIGGERS, number_format_of
from hrms.lib.printable import printable
from insurance.exporters.layout import NUMERIC, fill
from insurance.selectors.changes import Change, ChangeList, UnitChanges

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
ITALIC = Font(italic=True)
FLAGGED = PatternFill("solid", fgColor="FFD9D9")
WRAP = Alignment(wrap_text=True, vertical="top")
_SHEET_UNSAFE = re.compile(r"[\[\]\*\?/\\:]")


def month_text(month: int | None) -> str:
    return f"{month % 100:02d}/{month // 100}" if month else ""


def _coefficient(value: Decimal | None):
    """A coefficient as stored (two places: its cell shows 3,00, not 3)."""
    return value if value else None


def _percent(value: Decimal | None):
    """A percentage as a whole number where it is one (5, not 5,00)."""
    if not value:
        return None
    return int(value) if value == value.to_integral_value() else value


def cell_values(change: Change, number: int, layout: dict) -> dict[str, object]:
    """What each column key shows for one row."""
    detail = change.detail
    notes = [layout.get("missing_identifier", "")] if change.missing_identifier else []
    notes += [change.reason, *change.problems]
    return {
        "no": number,
        "full_name": change.full_name,
        "social_insurance_number": change.social_insurance_number,
        "personal_id": change.personal_id,
        "birth_date": change.birth_date,
        "sex": change.sex,
        "position": change.position,
        "salary": change.salary,
        "coefficient": _coefficient(detail.coefficient),
        "leadership": _coefficient(detail.leadership),
        "beyond_scale": _percent(detail.beyond_scale),
        "seniority": _percent(detail.seniority),
        "other_allowances": _coefficient(detail.other),
        "from_month": month_text(change.from_month),
        "to_month": month_text(change.to_month),
        "employee": change.employee,
        "employer": change.employer,
        "note": "; ".join(note for note in notes if note),
    }


def header_values(unit: UnitChanges, month: int) -> dict[str, str]:
    registration = unit.registration
    return {
        "unit_name": unit.unit.name,
        "insurance_code": registration.code if registration else "",
        "address": registration.address if registration else "",
        "office": registration.office if registration else "",
        "month": f"{month % 100:02d}",
        "year": str(month // 100),
    }


def _text(sheet, row: int, column: int, value: str, font=None):
    value = printable(value)
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def _value(sheet, row: int, column: int, value):
    if value is None or value == "":
        return sheet.cell(row=row, column=column)
    if isinstance(value, str):
        return _text(sheet, row, column, value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, Decimal | int):
        cell.number_format = number_format_of(value)
    return cell


def sheet_title(unit: UnitChanges, taken: set[str]) -> str:
    code = unit.registration.code if unit.registration and unit.registration.code else ""
    base = _SHEET_UNSAFE.sub("-", code or unit.unit.code)[:28] or "D02-LT"
    title, counter = base, 2
    while title.lower() in taken:
        title, counter = f"{base[:25]}-{counter}", counter + 1
    taken.add(title.lower())
    return title


class ChangeListExport:
    """D02-LT for every reporting unit of a change list, laid out by ``layout``."""

    def __init__(self, change_list: ChangeList, layout: dict):
        self.change_list = change_list
        self.layout = layout
        self.columns = layout["columns"]

    def xlsx(self) -> bytes:
        workbook = Workbook()
        workbook.remove(workbook.active)
        taken: set[str] = set()
        for unit in self.change_list.units or []:
            self._sheet(workbook.create_sheet(sheet_title(unit, taken)), unit)
        if not workbook.worksheets:  # nothing changed: an empty list still says so
            sheet = workbook.create_sheet("D02-LT")
            _text(sheet, 1, 1, self.layout.get("title", ""), TITLE)
            _text(sheet, 2, 1, f"{month_text(self.change_list.month)}: 0")
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def _sheet(self, sheet, unit: UnitChanges) -> None:
        layout, columns = self.layout, self.columns
        width = len(columns)
        values = header_values(unit, self.change_list.month)
        row = 1
        for line, font in (
            (layout.get("form", ""), ITALIC),
            (fill(layout.get("title", ""), values), TITLE),
            *((fill(line, values), None) for line in layout.get("header", [])),
        ):
            if line:
                _text(sheet, row, 1, line, font)
                sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
                row += 1
        row += 1
        for index, column in enumerate(columns, start=1):
            cell = _text(sheet, row, index, column.get("title", column["key"]), BOLD)
            cell.alignment = WRAP
            sheet.column_dimensions[get_column_letter(index)].width = column.get("width", 10)
        sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
        row += 1
        total_title = layout.get("total_title", "")
        for section in layout["sections"]:
            _text(sheet, row, 1, section.get("title", ""), BOLD)
            row += 1
            number = 0
            section_sums: dict[str, Decimal] = {}
            section_count = 0
            for part in section["parts"]:
                rows = unit.of_kind(part["kind"])
                if part.get("title"):
                    _text(sheet, row, 1, part["title"], ITALIC)
                    row += 1
                sums: dict[str, Decimal] = {}
                for change in rows:
                    number += 1
                    cells = cell_values(change, number, layout)
                    for index, column in enumerate(columns, start=1):
                        cell = _value(sheet, row, index, cells[column["key"]])
                        if change.missing_identifier:
                            cell.fill = FLAGGED
                        if column["key"] in NUMERIC and cells[column["key"]] is not None:
                            sums[column["key"]] = sums.get(column["key"], 0) + cells[column["key"]]
                    row += 1
                row = self._total(sheet, row, f"{total_title} ({len(rows)})", sums)
                section_count += len(rows)
                for key, value in sums.items():
                    section_sums[key] = section_sums.get(key, 0) + value
            if len(section["parts"]) > 1:
                row = self._total(
                    sheet, row, f"{total_title} {section.get('title', '')} ({section_count})",
                    section_sums,
                )  # fmt: skip
            row += 1

    def _total(self, sheet, row: int, label: str, sums: dict[str, Decimal]) -> int:
        label_column = next(
            (i for i, c in enumerate(self.columns, start=1) if c["key"] == "full_name"), 1
        )
        _text(sheet, row, label_column, label, BOLD)
        for index, column in enumerate(self.columns, start=1):
            if column["key"] in NUMERIC:
                cell = _value(sheet, row, index, sums.get(column["key"], Decimal(0)))
                cell.font = BOLD
        return row + 1
