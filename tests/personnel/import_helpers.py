"""Spreadsheets made for the import tests."""

import io

from openpyxl import Workbook

from personnel.importers.staff import COLUMNS

HEADER = [column.header for column in COLUMNS]


def person(**values) -> dict:
    row = {
        "personal_id": "001085000001", "staff_number": "IMP0001", "full_name": "Đỗ Minh Khoa",
        "birth_date": "12/03/1985", "sex": "Nam", "unit": "A1", "category": "Viên chức",
        "rank": "V.07.03.29", "position_title": "Giáo viên",
    }  # fmt: skip
    row.update(values)
    return row


def xlsx(
    rows: list[dict],
    header: list[str] | None = None,
    keys: list[str] | None = None,
    formulas: tuple[str, ...] = (),
) -> bytes:
    """A workbook whose first sheet has ``header`` (the template's by default) and ``rows``.
    Text starting with "=" is stored as text, except in the columns named in ``formulas``
    (real formulas, saved without a cached value as openpyxl does)."""
    keys = keys or [column.key for column in COLUMNS]
    header = header or [column.header for column in COLUMNS if column.key in keys]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(key) for key in keys])
        for key, cell in zip(keys, sheet[sheet.max_row], strict=False):
            if isinstance(cell.value, str) and key not in formulas:
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
