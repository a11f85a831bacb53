"""Charts for heads and the provincial administrator: their people at a date, drawn on the
server as SVG (no script: the strict CSP holds), each with its table and an XLSX download."""

import datetime

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from hrms.lib import svgcharts
from hrms.lib.exports import TableExport
from hrms.lib.http import xlsx_response
from payroll.selectors.charts import CHARTS, chart_data, chart_figures
from personnel import permissions
from personnel.validators import validate_planned

VIEW = permissions.VIEW_STAFF


class ChartDateForm(forms.Form):
    on = forms.DateField(label=_("At the date"), required=False, validators=[validate_planned])


def _allowed(user) -> None:
    """Heads (the approval permission somewhere) and the provincial administrator."""
    if not (permissions.may_approve_any(user) or permissions.province_wide(user, VIEW)):
        raise Http404


def _on(request) -> tuple[ChartDateForm, datetime.date]:
    form = ChartDateForm(request.GET or None)
    on = timezone.localdate()
    if form.is_valid() and form.cleaned_data.get("on"):
        on = form.cleaned_data["on"]
    return form, on


@require_GET
def charts(request):
    """Every chart of the user's scope at a date."""
    _allowed(request.user)
    form, on = _on(request)
    figures = chart_figures(user=request.user, on=on)
    shown = []
    for chart in chart_data(user=request.user, on=on, figures=figures):
        if chart.key == "age":
            svg = svgcharts.pyramid(
                [(row[0], row[1], row[2]) for row in chart.rows],
                left=chart.header[1],
                right=chart.header[2],
            )
        else:
            svg = svgcharts.bar_chart([(row[0], row[1]) for row in chart.rows])
        shown.append((chart, svg))
    return render(
        request,
        "payroll/charts.html",
        {
            "form": form,
            "on": on,
            "charts": shown,
            "figures": figures,
            "province": permissions.province_wide(request.user, VIEW),
            "active_nav": "charts",
        },
    )


class ChartExport(TableExport):
    def __init__(self, chart, on: datetime.date):
        self.chart = chart
        # A sheet's name may not hold / \\ ? * [ ] :
        self.title = "".join(" " if c in "/\\?*[]:" else c for c in str(chart.title))

    def header(self):
        return self.chart.header

    def rows(self):
        return self.chart.rows


@require_GET
def chart_export(request, key: str):
    """One chart's table as XLSX."""
    _allowed(request.user)
    if key not in CHARTS:
        raise Http404
    _form, on = _on(request)
    (chart,) = chart_data(user=request.user, on=on, only=key)
    return xlsx_response(ChartExport(chart, on).xlsx(), f"bieu-do-{key}-{on:%Y%m%d}.xlsx")
