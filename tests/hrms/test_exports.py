"""Table exports: XLSX and CSV with formula injection defused."""

import datetime
import io

from openpyxl import load_workbook

from hrms.lib.exports import TableExport, neutralise


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
