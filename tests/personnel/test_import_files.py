"""Hostile and unreadable files are refused before anything parses them, with a message."""

import io
import zipfile

import pytest

from personnel.importers import reading
from personnel.importers.reading import FileRefused, check_file, read_sheet
from tests.personnel.import_helpers import person, xlsx


def refused(tmp_path, content: bytes, name: str) -> str:
    path = tmp_path / "upload"
    path.write_bytes(content)
    with pytest.raises(FileRefused) as error:
        kind = check_file(path, name)
        read_sheet(path, kind)
    return str(error.value.message)


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_parsing(tmp_path):
    bomb = zipped(
        {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"\0" * 20_000_000}
    )
    assert "giải nén lớn bất thường" in refused(tmp_path, bomb, "bom.xlsx")


def test_a_zip_whose_total_size_is_over_the_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNCOMPRESSED_BYTES", 1000)
    assert "giải nén" in refused(tmp_path, xlsx([person()]), "nhan-su.xlsx")


def test_a_macro_workbook_is_refused_by_its_name_and_by_its_content(tmp_path):
    assert ".xlsm" in refused(tmp_path, xlsx([person()]), "nhan-su.xlsm")
    with_macros = zipped({"[Content_Types].xml": b"<Types/>", "xl/vbaProject.bin": b"macro"})
    assert ".xlsm" in refused(tmp_path, with_macros, "nhan-su.xlsx")


def test_a_password_protected_workbook_is_refused_with_a_message(tmp_path):
    encrypted = reading.OLE_MAGIC + b"\0" * 500 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100
    assert "mật khẩu" in refused(tmp_path, encrypted, "nhan-su.xlsx")


def test_an_old_xls_file_is_refused_with_what_to_do(tmp_path):
    assert "lưu lại dạng .xlsx" in refused(tmp_path, reading.OLE_MAGIC + b"\0" * 500, "cu.xls")


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    assert "không phải sổ tính" in refused(tmp_path, b"hello", "nhan-su.xlsx")
    assert "không phải sổ tính" in refused(tmp_path, b"PK\x03\x04broken", "nhan-su.xlsx")
    assert ".xlsx" in refused(tmp_path, b"%PDF-1.4", "nhan-su.pdf")


def test_sheets_over_the_row_or_column_cap_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    rows = [person(personal_id=f"00108500000{n}", staff_number=f"N{n}") for n in range(5)]
    assert "Hãy chia thành nhiều tệp" in refused(tmp_path, xlsx(rows), "nhieu.xlsx")
    csv = "\n".join(["a,b"] * 6).encode()
    assert "Hãy chia thành nhiều tệp" in refused(tmp_path, csv, "nhieu.csv")
    monkeypatch.setattr(reading, "MAX_ROWS", 100)
    monkeypatch.setattr(reading, "MAX_COLUMNS", 5)
    assert "5 cột" in refused(tmp_path, xlsx([person()]), "rong.xlsx")


def test_a_csv_not_in_utf8_is_refused(tmp_path):
    text = "Họ và tên\nĐỗ Minh Khoa\n".encode("cp1258", errors="replace")
    assert "UTF-8" in refused(tmp_path, text, "nhan-su.csv")


def test_a_large_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 100)
    assert "50 MB" in refused(tmp_path, xlsx([person()]), "nhan-su.xlsx")
