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


def test_kept_figures_are_shared_and_shown_with_their_time_until_too_old(
    world, salaries, client_for
):
    """Issue 14: the figures are kept in the database (every process reads them); a change shows
    once they are older than MAX_AGE, and the page says when kept figures were computed."""
    from django.utils import timezone

    from payroll.models import ChartSnapshot
    from payroll.selectors import charts as charts_module

    client = client_for(world.head)
    first = client.get(reverse("payroll:charts"), {"on": "15/10/2026"}).content.decode()
    assert "Số liệu tính lúc" not in first  # computed for this visit
    snapshot = ChartSnapshot.objects.get()
    assert snapshot.on == OCTOBER and snapshot.user == world.head
    StaffFactory(unit=world.unit_a1, recruitment_date=D(2020, 1, 1))
    again = client.get(reverse("payroll:charts"), {"on": "15/10/2026"}).content.decode()
    local = timezone.localtime(snapshot.computed_at)
    assert f"Số liệu tính lúc {local:%H:%M %d/%m/%Y}" in again
    assert by_key(world.head)["units"].total == 3  # the kept figures, not yet the new person
    ChartSnapshot.objects.update(computed_at=snapshot.computed_at - charts_module.MAX_AGE)
    assert by_key(world.head)["units"].total == 4  # too old: computed again for the visitor
    assert ChartSnapshot.objects.get().computed_at > snapshot.computed_at


def test_a_slow_scope_is_kept_warm_by_one_queued_refresh(world, salaries, monkeypatch):
    """A scope whose figures are slow to compute is refreshed in the background every
    REFRESH_EVERY while it is visited: one refresh queued at a time, none once unvisited."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from payroll.models import ChartSnapshot
    from payroll.selectors import charts as charts_module
    from payroll.tasks import refresh_chart_figures_task

    monkeypatch.setattr(charts_module, "WARM_SECONDS", 0)
    today = timezone.localdate()
    charts_module.chart_figures(user=world.admin, on=today)
    charts_module.chart_figures(user=world.admin, on=today)
    queued = DBTaskResult.objects.get(task_path="payroll.tasks.refresh_chart_figures_task")
    snapshot = ChartSnapshot.objects.get()
    assert queued.run_after == snapshot.refresh_due_at
    assert queued.run_after - snapshot.computed_at >= charts_module.REFRESH_EVERY
    StaffFactory(unit=world.unit_b1, recruitment_date=D(2020, 1, 1))
    # the worker runs the refresh when it is due (here called as the worker would call it):
    # new figures, and the next refresh queued
    refresh_chart_figures_task.call(*queued.args_kwargs["args"])
    refreshed = ChartSnapshot.objects.get()
    assert refreshed.computed_at > snapshot.computed_at
    assert sum(n for _unit, n in refreshed.figures["units"]) == 5
    assert DBTaskResult.objects.filter(run_after__gt=queued.run_after).count() == 1
    # a refresh that is no longer the queued one (a duplicate) does nothing
    refresh_chart_figures_task.call(*queued.args_kwargs["args"])
    assert ChartSnapshot.objects.get().computed_at == refreshed.computed_at
    # unvisited for over a day: the next refresh is the last
    ChartSnapshot.objects.update(visited_at=timezone.now() - charts_module.KEEP_WARM * 2)
    charts_module.chart_figures_refresh(snapshot_id=refreshed.pk, follow_today=True)
    assert ChartSnapshot.objects.get().refresh_due_at is None
