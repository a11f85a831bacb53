"""A due list as a spreadsheet: title block (list, unit, period, who, when), the columns the
list has (a retirement list proposes nothing), dates of birth as known, coefficients with two
decimals and a Vietnamese file name."""

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from personnel.models import Staff

SECOND_HALF = {"start": "01/07/2026", "end": "31/12/2026"}


def table(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = [row[0] for row in rows].index("STT")
    return sheet, rows[:header], rows[header], rows[header + 1 :]


def test_the_regular_list_exports_its_proposal_and_coefficients_with_two_decimals(
    world, salaries, client_for
):
    Staff.objects.filter(pk=world.staff_in_a.pk).update(birth_date="1973")
    response = client_for(world.clerk).get(
        reverse("payroll:due_list_export"), {"list": "regular", **SECOND_HALF}
    )
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="danh-sach-nang-luong-thuong-xuyen_so-a_{today}.xlsx"'
    )
    sheet, title, header, rows = table(response)
    assert [line[0] for line in title if line[0]][:3] == [
        "Nâng bậc lương thường xuyên",
        "Đơn vị: Sở A",
        "Kỳ: 01/07/2026 – 31/12/2026",
    ]
    assert header[7] == "Hệ số" and header[11] == "Hệ số mới"
    an = next(row for row in rows if row[2] == "Nguyễn Văn An")
    assert an[3] == "1973"  # as known, not 01/01/1973
    assert (an[7], an[11]) == (3.0, 3.33)
    number = len(title) + 2
    coefficient = next(row for row in sheet.iter_rows(min_row=number) if row[2].value == an[2])[7]
    assert coefficient.number_format == "0.00"  # 3,00 in a Vietnamese Excel, not 3
    assert "Đơn vị dự toán" not in header and "Chỉ tiêu" not in header  # early raises only


def test_the_retirement_list_has_no_empty_proposal_columns(world, salaries, client_for):
    Staff.objects.filter(pk=world.staff_in_a.pk).update(birth_date="1965-06")
    response = client_for(world.head).get(
        reverse("payroll:due_list_export"), {"list": "retirement", **SECOND_HALF}
    )
    assert 'filename="danh-sach-nghi-huu_so-a_' in response["Content-Disposition"]
    sheet, _title, header, rows = table(response)
    assert header == (
        "STT", "Số hiệu cán bộ", "Họ và tên", "Ngày sinh", "Đơn vị", "Ngạch/chức danh",
        "Bậc", "Hệ số", "Vượt khung (%)", "Nghỉ hưu từ", "Căn cứ",
    )  # fmt: skip
    assert [(row[2], row[3], row[9]) for row in rows] == [
        ("Nguyễn Văn An", "06/1965", datetime.datetime(2026, 12, 31))
    ]
    assert len(rows[0]) == len(header) and sheet.auto_filter.ref.startswith("A")
