"""Importing the office's monthly statement (C12-TS) and listing the differences per person;
hostile files are refused before anything parses them and nothing is saved
(docs/rules.md §5.13)."""

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from insurance.models import StatementImport
from insurance.rules.reconciliation import Gap
from insurance.selectors.reconciliation import statement_differences
from insurance.services.records import statement_import
from personnel.models import Staff
from tests.insurance.conftest import salary

D = Decimal


def workbook(rows, *, heading=("STT", "Họ và tên", "Mã số BHXH", "Tiền lương đóng",
                               "Tổng số tiền phải đóng")) -> bytes:  # fmt: skip
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["THÔNG BÁO KẾT QUẢ ĐÓNG BHXH, BHYT, BHTN (C12-TS)"])
    sheet.append([])
    sheet.append(list(heading))
    for row in rows:
        sheet.append(list(row))
    sheet.append(["", "Tổng cộng", "", "", 99])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def declared(recruited):
    """Two people of A1 with July 2026 contributions computed from their decisions."""
    world = recruited
    for person, number in ((world.staff_in_a1, "0100000001"), (world.own_record, "0100000002")):
        Staff.objects.filter(pk=person.pk).update(social_insurance_number=number)
        salary(person)  # 7,590,000: 721,050 + 1,555,950 = 2,277,000
    return world


def test_the_differences_person_by_person(declared):
    world = declared
    content = workbook(
        [
            (1, "Trần Thị Bình", "0100000001", 7_590_000, 2_277_000),  # agrees
            (2, "Lê Thị Cúc", "100000002", "7.590.000", "2.200.000"),  # leading 0 lost; short
            (3, "Người Lạ", "0199999999", 5_000_000, 1_500_000),  # not ours
        ]
    )
    statement = statement_import(
        unit=world.unit_a1, year=2026, month=7, filename="c12-07.xlsx", content=content,
        actor=world.clerk,
    )  # fmt: skip
    assert statement.columns == ["social_insurance_number", "full_name", "salary", "total"]
    assert len(statement.rows) == 3  # the total line is not a person
    differences = {(d.gap, d.social_insurance_number): d for d in statement_differences(statement)}
    assert set(differences) == {(Gap.TOTAL, "0100000002"), (Gap.NOT_OURS, "0199999999")}
    short = differences[(Gap.TOTAL, "0100000002")]
    assert (short.ours, short.theirs, short.amount) == (D(2_277_000), D(2_200_000), D(-77_000))


def test_someone_we_declare_whom_the_statement_misses(declared):
    world = declared
    content = workbook([(1, "Trần Thị Bình", "0100000001", 7_590_000, 2_277_000)])
    statement = statement_import(
        unit=world.unit_a1, year=2026, month=7, filename="c12.xlsx", content=content,
        actor=world.clerk,
    )  # fmt: skip
    (missing,) = statement_differences(statement)
    assert (missing.gap, missing.staff_id, missing.ours) == (
        Gap.NOT_IN_STATEMENT, world.own_record.pk, D(2_277_000),
    )  # fmt: skip


def _rezip(content: bytes, extra: dict[str, bytes], replace: dict[str, bytes] | None = None):
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = (replace or {}).get(item.filename, source.read(item.filename))
            target.writestr(item.filename, data)
        for name, data in extra.items():
            target.writestr(name, data)
    return buffer.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>"""


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("c12.xlsm", lambda good: good, "macro"),
        ("c12.csv", lambda good: b"a,b\n", ".xlsx"),
        ("c12.xlsx", lambda good: b"\xd0\xcf\x11\xe0" + b"\0" * 100, "không phải sổ tính"),
        ("c12.xlsx", lambda good: _rezip(good, {"xl/vbaProject.bin": b"\0" * 64}), "macro"),
        # 30 MB of zeros compressed to a few kilobytes: a zip bomb
        ("c12.xlsx", lambda good: _rezip(good, {"xl/media/x.xml": b"0" * 30_000_000}),
         "giải nén"),
        ("c12.xlsx", lambda good: _rezip(good, {}, {"xl/worksheets/sheet1.xml": BILLION_LAUGHS}),
         "không đọc được"),
        ("c12.xlsx", lambda good: b"x" * (6 * 1024 * 1024), "lớn hơn 5 MB"),
    ],
)  # fmt: skip
def test_hostile_files_are_refused_and_nothing_is_saved(world, name, make, message):
    good = workbook([(1, "A", "0100000001", 1, 1)])
    with pytest.raises(ValidationError) as refused:
        statement_import(
            unit=world.unit_a1, year=2026, month=7, filename=name, content=make(good),
            actor=world.clerk,
        )  # fmt: skip
    assert message in " ".join(refused.value.messages)
    assert not StatementImport.objects.exists()


def test_a_statement_without_a_heading_row_is_refused_with_what_it_needs(world):
    content = workbook([(1, "A", "0100000001")], heading=("STT", "Tên", "Số"))
    with pytest.raises(ValidationError, match="không tìm thấy dòng tiêu đề"):
        statement_import(
            unit=world.unit_a1, year=2026, month=7, filename="c12.xlsx", content=content,
            actor=world.clerk,
        )  # fmt: skip


def test_the_clerk_uploads_a_statement_and_reads_the_differences(declared, client_for):
    world = declared
    content = workbook([(1, "Người Lạ", "0199999999", 5_000_000, 1_500_000)])
    client = client_for(world.clerk)
    upload = io.BytesIO(content)
    upload.name = "c12-07.xlsx"
    response = client.post(
        reverse("insurance:statement_upload"),
        {"unit": world.unit_a1.pk, "month": "07/2026", "file": upload},
    )
    statement = StatementImport.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "insurance:statement", args=[statement.pk]
    )
    page = client.get(response.url).content.decode()
    assert "Người Lạ" in page and "Thông báo có nhưng đơn vị không kê khai" in page
    assert world.own_record.full_name in page  # declared by us, missing from the statement
    # the head of A may read it but not import one; the clerk of B may not see it
    assert client_for(world.head).get(response.url).status_code == 200
    assert client_for(world.outsider).get(response.url).status_code == 404


def test_a_refused_upload_says_why_and_saves_nothing(world, client_for):
    client = client_for(world.clerk)
    upload = io.BytesIO(b"not a workbook")
    upload.name = "c12.xlsm"
    response = client.post(
        reverse("insurance:statement_upload"),
        {"unit": world.unit_a1.pk, "month": "07/2026", "file": upload},
        follow=True,
    )
    assert "không nhận sổ tính có macro" in response.content.decode()
    assert not StatementImport.objects.exists()
