"""The charts page: a head's and the administrator's people at a date, as SVG with tables."""

import datetime
import io
import re

from django.urls import reverse
from openpyxl import load_workbook

from hrms.lib import svgcharts
from payroll.selectors.charts import chart_data
from personnel.models import Staff
from tests.factories import StaffFactory

D = datetime.date
OCTOBER = D(2026, 10, 15)


def by_key(user, on=OCTOBER):
    return {chart.key: chart for chart in chart_data(user=user, on=on)}


def test_the_head_counts_the_people_of_the_units_under_them(world, salaries):
    charts = by_key(world.head)
    assert charts["units"].rows == [["Sở A", 1], ["Trường A1", 2]]
    assert charts["units"].total == 3
    assert charts["category"].total == 3
    admin = by_key(world.admin)
    assert admin["units"].rows == [["Sở A", 3], ["Sở B", 1]]


def test_people_who_left_after_the_date_still_count_and_recruits_after_it_do_not(world):
    Staff.objects.filter(pk=world.staff_in_a1.pk).update(
        status="retired", status_since=D(2026, 1, 1)
    )
    StaffFactory(unit=world.unit_a1, recruitment_date=D(2026, 6, 1))
    assert by_key(world.head, on=D(2025, 12, 31))["units"].total == 3
    assert by_key(world.head, on=D(2026, 7, 1))["units"].total == 3
    assert by_key(world.head, on=D(2026, 3, 1))["units"].total == 2


def test_the_age_pyramid_bands_people_by_five_years_and_sex(world):
    Staff.objects.update(birth_date="1990")
    Staff.objects.filter(pk=world.staff_in_a.pk).update(birth_date="15/06/1971", sex="male")
    Staff.objects.filter(pk=world.own_record.pk).update(sex="female")
    Staff.objects.filter(pk=world.staff_in_a1.pk).update(sex="female")
    rows = by_key(world.head, on=D(2026, 10, 15))["age"].rows
    assert rows == [["35–39", 0, 2], ["55–59", 1, 0]]


def test_raises_due_per_quarter_follow_the_due_list(world, salaries):
    rows = by_key(world.head, on=D(2026, 10, 15))["raises"].rows
    assert rows[0] == ["Quý 4/2026", 2]  # Nguyễn Văn An (1/10) and Lê Thị Cúc (1/11)
    assert len(rows) == 4


def test_svg_escapes_labels():
    svg = svgcharts.bar_chart([("<script>x</script>", 3)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "style=" not in svg


def test_the_page_renders_a_chart_and_a_table_each_and_downloads_xlsx(world, salaries, client_for):
    client = client_for(world.head)
    page = client.get(reverse("payroll:charts"), {"on": "15/10/2026"}).content.decode()
    assert page.count("<svg") == 8
    assert page.count('<table class="data compact">') == 8
    # drawn on the server: no inline script (the only scripts are the site's static files)
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
    response = client.get(reverse("payroll:chart_export", args=["units"]), {"on": "15/10/2026"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ["Sở A", 1],
        ["Trường A1", 2],
    ]
    assert client_for(world.clerk).get(reverse("payroll:charts")).status_code == 404
