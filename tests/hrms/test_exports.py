"""Table exports: XLSX and CSV with formula injection defused and stored control characters
taken out."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from hrms.lib.exports import ExportHeading, TableExport, export_file_name, file_slug, neutralise
from hrms.lib.partial_dates import PartialDate
from hrms.lib.pdf import text as pdf_text
from hrms.lib.printable import printable


class Sample(TableExport):
    title = "Mẫu"

    def header(self):
        return ["Họ tên", "Ngày", "Số"]

    def rows(self):
        yield ['=HYPERLINK("http://evil","x")', datetime.date(2026, 7, 1), 2530000]
        yield ["Nguyễn Văn An", None, 0]
        yield ["+84 912", datetime.date(1985, 5, 17), 1]


def test_xlsx_keeps_text_as_text_and_dates_as_dates():
    sheet = load_workbook(io.BytesIO(Sample().xlsx())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Họ tên", "Ngày", "Số")
    assert rows[1][0] == '=HYPERLINK("http://evil","x")'
    cell = sheet["A2"]
    assert cell.data_type == "s"  # text, not a formula
    assert rows[1][1] == datetime.datetime(2026, 7, 1)
    assert rows[2] == ("Nguyễn Văn An", None, 0)


def test_csv_has_a_bom_and_defuses_formulas():
    content = Sample().csv()
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+84 912" in text and "01/07/2026" in text


def test_neutralise():
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-1") == "'-1"
    assert neutralise("An") == "An"


# --- Stored text that no file format accepts (pasted from Word) -------------------------------

WORD_PASTE = "Trưởng phòng\x0bKế toán\x07\x01\x1f\ufffe"


class Pasted(TableExport):
    title = "Dán từ Word"

    def header(self):
        return ["Chức vụ\x0b", "Số"]

    def rows(self):
        yield [WORD_PASTE, 1]
        yield ["=\x0bHYPERLINK(1)", 2]


def test_xlsx_takes_out_control_characters_instead_of_refusing_the_file():
    sheet = load_workbook(io.BytesIO(Pasted().xlsx())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Chức vụ\n", "Số")
    assert rows[1] == ("Trưởng phòng\nKế toán", 1)
    assert rows[2] == ("=\nHYPERLINK(1)", 2)


def test_csv_takes_out_control_characters():
    text = Pasted().csv().decode("utf-8-sig")
    assert '"Trưởng phòng\nKế toán",1' in text
    assert not any(ch in text for ch in "\x0b\x07\x01\x1f\ufffe")
    assert "'=\nHYPERLINK(1)" in text


def test_printable_keeps_tabs_and_line_breaks_and_vietnamese():
    assert printable("a\tb\r\nc\x0bd\x0ce\x00f\x1bg") == "a\tb\r\nc\nd\nefg"
    assert printable("Nguyễn Đức Thắng") == "Nguyễn Đức Thắng"


# --- Formula defusing that survives editing in Excel ------------------------------------------


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil","x")', "+84 912", "-1", "@SUM(A1)"])
def test_text_starting_with_a_formula_trigger_carries_the_quote_prefix(value):
    class One(Sample):
        def rows(self):
            yield [value, None, 1]

    sheet = load_workbook(io.BytesIO(One().xlsx())).active
    cell = sheet["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True)


def test_ordinary_text_and_numbers_have_no_quote_prefix():
    sheet = load_workbook(io.BytesIO(Sample().xlsx())).active
    assert sheet["A3"].value == "Nguyễn Văn An" and not sheet["A3"].quotePrefix
    assert sheet["C2"].value == 2530000 and not sheet["C2"].quotePrefix


def test_pdf_text_is_printable_and_escaped():
    assert pdf_text("Trưởng phòng\x0bKế toán <b>\x01") == "Trưởng phòng<br/>Kế toán &lt;b&gt;"


# --- One layout for every table: title block, filter, frozen header, print setup ------------

HEADING = ExportHeading(
    unit="Trường THCS Tân Yên",
    period="01/07/2026 – 31/12/2026",
    made_by="Lê Thị Minh Phương",
    made_at=datetime.datetime(2026, 11, 29, 2, 5, tzinfo=datetime.UTC),
)


class Headed(Sample):
    title = "Danh sách cán bộ"
    heading = HEADING


def test_the_title_block_says_what_for_which_unit_and_period_who_and_when():
    with translation.override("vi"):
        sheet = load_workbook(io.BytesIO(Headed().xlsx())).active
    rows = list(sheet.iter_rows(values_only=True))
    column = [row[0] for row in rows]
    assert column[:6] == [
        "Danh sách cán bộ",
        "Đơn vị: Trường THCS Tân Yên",
        "Kỳ: 01/07/2026 – 31/12/2026",
        "Người lập: Lê Thị Minh Phương",
        "Lập lúc: 09:05 29/11/2026",  # local time (UTC+7)
        None,
    ]
    assert sheet["A1"].font.b and rows[6] == ("Họ tên", "Ngày", "Số")
    assert sheet.freeze_panes == "A8"  # the header stays in sight when scrolling
    assert sheet.auto_filter.ref == "A7:C10"
    assert sheet.print_title_rows == "$7:$7"  # repeated on every printed page
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_without_a_heading_the_header_is_the_first_row_and_still_filtered_and_frozen():
    sheet = load_workbook(io.BytesIO(Sample().xlsx())).active
    assert next(sheet.iter_rows(values_only=True)) == ("Họ tên", "Ngày", "Số")
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", "A1:C4")
    assert sheet.page_setup.orientation == "landscape"


def test_csv_stays_a_bare_table_under_a_heading():
    lines = Headed().csv().decode("utf-8-sig").splitlines()
    assert lines[0] == "Họ tên,Ngày,Số" and len(lines) == 4


class Dates(TableExport):
    title = "Ngày sinh"

    def header(self):
        return ["Ngày sinh", "Hệ số", "Lương"]

    def rows(self):
        yield [PartialDate(1973), Decimal("3.00"), Decimal("2340000")]
        yield [PartialDate(1973, 5), Decimal("4.98"), 2340000]
        yield [PartialDate(1973, 5, 17), Decimal("0.125"), None]
        yield [datetime.date(1980, 1, 2), Decimal("10.0000"), None]


def test_partial_dates_are_kept_as_written_and_full_dates_are_dates():
    sheet = load_workbook(io.BytesIO(Dates().xlsx())).active
    year, month, day, date = (sheet.cell(row=row, column=1) for row in (2, 3, 4, 5))
    assert (year.value, year.data_type) == ("1973", "s")  # not 01/01/1973
    assert (month.value, month.data_type) == ("05/1973", "s")
    assert day.value == datetime.datetime(1973, 5, 17) and day.number_format == "DD/MM/YYYY"
    assert date.value == datetime.datetime(1980, 1, 2) and date.number_format == "DD/MM/YYYY"
    assert Dates().csv().decode("utf-8-sig").splitlines()[1:4] == [
        "1973,3.00,2340000",
        "05/1973,4.98,2340000",
        "17/05/1973,0.125,",
    ]


def test_a_coefficient_of_three_shows_two_decimals_and_money_stays_whole():
    sheet = load_workbook(io.BytesIO(Dates().xlsx())).active
    three, point_nine_eight, reserved, four_places = (
        sheet.cell(row=row, column=2) for row in (2, 3, 4, 5)
    )
    assert three.value == 3 and three.number_format == "0.00"  # "3,00" in a Vietnamese Excel
    assert point_nine_eight.value == 4.98 and point_nine_eight.number_format == "0.00"
    assert reserved.number_format == "0.00##" and four_places.number_format == "0.00##"
    assert sheet["C2"].number_format == "#,##0" and sheet["C3"].number_format == "#,##0"


@pytest.mark.parametrize(
    ("kind", "parts", "expected"),
    [
        ("danh-sach-can-bo", ["Trường THCS Tân Yên"], "danh-sach-can-bo_truong-thcs-tan-yen"),
        (
            "danh-sach-nghi-huu",
            ["Sở Giáo dục và Đào tạo"],
            "danh-sach-nghi-huu_so-giao-duc-va-dao-tao",
        ),
        (
            "danh-sach-can-bo",
            ["", "UBND xã Đồng Tâm / (cũ)"],
            "danh-sach-can-bo_ubnd-xa-dong-tam-cu",
        ),
    ],
)
def test_file_names_are_vietnamese_slugs_without_accents(kind, parts, expected):
    name = export_file_name(kind, *parts, day=datetime.date(2026, 11, 29))
    assert name == f"{expected}_2026-11-29.xlsx" and name.isascii()


def test_file_slug():
    assert file_slug("Đặng Thị Ấn") == "dang-thi-an"
    assert file_slug("<>/\\", fallback="x") == "x"
