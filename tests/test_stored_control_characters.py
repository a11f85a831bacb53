"""Control characters pasted from Word are already stored in the database (U+000B in a position
title…). Every exporter takes them out on the way out instead of failing: the staff list and
the due list (XLSX and CSV), the printed dossier (PDF) and the command-line bulk export.
(The bulk export through the worker is in tests/personnel/test_bulk_export.py.)"""

import io
import shutil
import subprocess
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from personnel.exporters.staff_list import StaffListExport
from personnel.models import OrgUnit, Staff

PASTED_TITLE = "Tổ trưởng\x0bchuyên môn\x07"
PASTED_NAME = "Nguyễn Văn\x01 An\x1f"
PASTED_UNIT = "Sở A\x0c(cơ quan)"
CONTROL = [chr(code) for code in range(32) if chr(code) not in "\t\n\r"]


@pytest.fixture
def pasted(world):
    """The A-unit staff member's name and title and the unit's name as pasted from Word,
    stored directly (as they were before forms normalised input)."""
    Staff.objects.filter(pk=world.staff_in_a.pk).update(
        full_name=PASTED_NAME, position_title=PASTED_TITLE
    )
    OrgUnit.objects.filter(pk=world.unit_a.pk).update(name=PASTED_UNIT)
    return world.staff_in_a


def workbook_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def assert_clean(text: str) -> None:
    assert not [ch for ch in text if ch in CONTROL], repr(text)


def test_the_staff_list_exports_to_excel(world, pasted, client_for):
    response = client_for(world.clerk).get(reverse("personnel:staff_list_export"))
    assert response.status_code == 200
    row = next(row for row in workbook_rows(response.content) if row[1] == pasted.staff_number)
    assert (row[2], row[7], row[8]) == ("Nguyễn Văn An", "Sở A\n(cơ quan)", "Tổ trưởng\nchuyên môn")


def test_the_staff_list_exports_to_csv(world, pasted):
    content = StaffListExport(Staff.objects.select_related("unit", "rank")).csv().decode()
    assert "Nguyễn Văn An" in content and '"Tổ trưởng\nchuyên môn"' in content
    assert_clean(content.replace("\r\n", "\n"))


def test_the_due_list_exports_to_excel(world, salaries, pasted, client_for):
    response = client_for(world.head).get(
        reverse("payroll:due_list_export"),
        {"list": "regular", "start": "01/07/2026", "end": "31/12/2026"},
    )
    assert response.status_code == 200
    row = next(row for row in workbook_rows(response.content) if row[1] == pasted.staff_number)
    assert (row[2], row[4]) == ("Nguyễn Văn An", "Sở A\n(cơ quan)")


@pytest.fixture
def pdftotext():
    path = shutil.which("pdftotext")
    if path is None:
        pytest.fail("poppler-utils is needed (apt-get install poppler-utils).", pytrace=False)
    return path


def test_the_printed_dossier(world, pasted, client_for, pdftotext, tmp_path):
    response = client_for(world.clerk).get(reverse("personnel:staff_dossier_pdf", args=[pasted.pk]))
    assert response.status_code == 200
    path = tmp_path / "hoso.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(
        [pdftotext, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "NGUYỄN VĂN AN" in text and "Tổ trưởng\nchuyên môn" in text
    assert_clean(text.replace("\f", ""))  # pdftotext ends each page with a form feed


def test_the_command_line_bulk_export(world, pasted, tmp_path):
    target = tmp_path / "a.zip"
    call_command(
        "export_dossiers", "--unit", "A", "--out", str(target),
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    archive = zipfile.ZipFile(target)
    names = archive.namelist()
    assert f"{pasted.staff_number}-nguyen-van-an.pdf" in names
    summary = next(name for name in names if name.startswith("trich-ngang"))
    rows = workbook_rows(archive.read(summary))
    assert "Nguyễn Văn An" in [row[2] for row in rows]
