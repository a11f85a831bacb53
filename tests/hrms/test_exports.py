"""Table exports: XLSX and CSV with formula injection defused and stored control characters
taken out."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from hrms.lib.exports import TableExport, neutralise
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
