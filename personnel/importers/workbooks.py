"""Workbooks written for imports (openpyxl): the blank template with its drop-down lists and
an example row, and the error workbook (the file's rows, an error column, bad cells marked)."""

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from hrms.lib.exports import FORMULA_TRIGGERS
from hrms.lib.printable import printable
from personnel.importers.columns import Column

ERROR_HEADER = "Lỗi"
BAD = PatternFill("solid", fgColor="FFC7CE")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _text_cell(sheet, value, **style):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.value = printable(value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if cell.value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def template(columns: list[Column], lists: dict[str, list[str]], title: str) -> bytes:
    """A template: the header row, one example row, a drop-down list on each coded column
    (its values on a hidden sheet "DanhMuc"), text format on the identifier columns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    codes = workbook.create_sheet("DanhMuc")
    sheet.append([column.header for column in columns])
    sheet.append([column.example for column in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[letter].width = column.width
        # identifiers and dates typed as text keep their leading zeros and partial forms
        for row in range(2, 2001):
            sheet.cell(row=row, column=index).number_format = "@"
        values = lists.get(column.key)
        if not values:
            continue
        codes.cell(row=1, column=index, value=column.header)
        for row, value in enumerate(values, start=2):
            codes.cell(row=row, column=index, value=value).data_type = "s"
        validation = DataValidation(
            type="list",
            formula1=f"DanhMuc!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Giá trị không có trong danh mục",
            error="Chọn một giá trị trong danh sách.",
        )
        validation.add(f"{letter}2:{letter}5000")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    codes.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def error_workbook(header: list[str], rows, title: str) -> bytes:
    """``rows`` yields (texts of the row, {column position: message}, row message): every row
    of the file, with its errors in a last column and the bad cells filled red."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append(
        [_text_cell(sheet, text, font=bold) for text in header]
        + [_text_cell(sheet, ERROR_HEADER, font=bold, fill=BAD)]
    )
    for values, bad_cells, message in rows:
        cells = []
        for position, value in enumerate(values):
            cell = _text_cell(sheet, value if value != "" else None)
            if position in bad_cells:
                cell.fill = BAD
                cell.comment = Comment(printable(bad_cells[position]), "hrms")
            cells.append(cell)
        cells.extend([None] * (len(header) - len(values)))
        cells.append(_text_cell(sheet, message or None, fill=BAD) if message else None)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
