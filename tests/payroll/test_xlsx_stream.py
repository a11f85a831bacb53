"""The streaming XLSX writer read back with openpyxl: types, styles, the formula-injection and
control-character rules of hrms.lib.exports, sheet names, merges and print titles."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from payroll.exporters.xlsx_stream import Cell, Style, XlsxStream, column_letter

TRIGGERS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")']


def written(build) -> bytes:
    buffer = io.BytesIO()
    with XlsxStream(buffer) as book:
        build(book)
    return buffer.getvalue()


def test_values_keep_their_type_and_text_never_becomes_a_formula():
    def build(book):
        with book.sheet("Dữ liệu") as sheet:
            sheet.row(
                ["Nguyễn Văn An", Decimal("1234567"), Decimal("3.33"), 7, 2.5,
                 datetime.date(2026, 7, 1), None, "0123456789", Decimal("-5"), True]
            )  # fmt: skip
            sheet.row(TRIGGERS)
            sheet.row(TRIGGERS, bold=True)

    sheet = load_workbook(io.BytesIO(written(build))).active
    first = list(sheet[1])
    assert [cell.value for cell in first] == [
        "Nguyễn Văn An", 1234567, 3.33, 7, 2.5, datetime.datetime(2026, 7, 1), None,
        "0123456789", -5, 1,
    ]  # fmt: skip
    assert first[1].number_format == "#,##0" and first[2].number_format == "0.00##"
    assert first[5].number_format == "DD/MM/YYYY"
    assert first[7].data_type == "s"  # an account number keeps its leading zero
    for row in (2, 3):
        cells = next(sheet.iter_rows(min_row=row, max_row=row, max_col=len(TRIGGERS)))
        assert [cell.value for cell in cells] == TRIGGERS
        assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells), row
    assert all(cell.font.b for cell in sheet[3] if cell.value is not None)


def test_formula_triggers_are_text_with_the_quote_prefix_in_every_style():
    def build(book):
        with book.sheet("x") as sheet:
            sheet.row([Cell("=1+1", style) for style in Style])

    raw = zipfile.ZipFile(io.BytesIO(written(build))).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in raw and raw.count('t="inlineStr"') == len(Style)
    sheet = load_workbook(io.BytesIO(written(build))).active
    assert all(cell.quotePrefix and cell.data_type == "s" for cell in sheet[1])


def test_control_characters_and_markup_are_cleaned_and_escaped():
    def build(book):
        with book.sheet("x") as sheet:
            sheet.row(["Tổ trưởng\x0bchuyên môn\x07", "a<b>&c", "  spaced  ", "x\x00y"])

    sheet = load_workbook(io.BytesIO(written(build))).active
    assert [cell.value for cell in sheet[1]] == [
        "Tổ trưởng\nchuyên môn", "a<b>&c", "  spaced  ", "xy"
    ]  # fmt: skip


def test_sheet_names_are_made_valid_and_unique():
    def build(book):
        for title in ("Bảng: lương/07?", "Bảng: lương/07?", "x" * 40, "'quoted'"):
            with book.sheet(title) as sheet:
                sheet.row([title])

    book = load_workbook(io.BytesIO(written(build)))
    assert book.sheetnames == ["Bảng lương 07", "Bảng lương 07 (2)", "x" * 31, "quoted"]


def test_layout_widths_merges_freeze_and_print_titles():
    def build(book):
        with book.sheet("Bảng lương", widths=(6, 30), freeze="C3", landscape=True) as sheet:
            sheet.row(["TIÊU ĐỀ"], style=Style.TITLE)
            sheet.merge(1, 0, 1, 4)
            top = sheet.row(["STT", "Họ tên"], style=Style.HEADER)
            sheet.print_title_rows = (top, top)
            sheet.skip(2)
            assert sheet.row([1]) == 5

    sheet = load_workbook(io.BytesIO(written(build))).active
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:E1"]
    assert sheet.freeze_panes == "C3" and sheet.print_title_rows == "$2:$2"
    assert sheet.column_dimensions["B"].width == 30
    assert sheet.page_setup.orientation == "landscape"
    assert sheet["A5"].value == 1


def test_an_empty_workbook_still_opens_and_sheets_are_written_one_at_a_time():
    assert load_workbook(io.BytesIO(written(lambda book: None))).sheetnames == ["Sheet1"]

    def two_at_once(book):
        with book.sheet("a"):
            book.sheet("b")

    with pytest.raises(RuntimeError):
        written(two_at_once)


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_column_letters(index, letters):
    assert column_letter(index) == letters
