"""The report template in force for a month (docs/rules.md §5.12)."""

from __future__ import annotations

import datetime

from insurance.exporters.layout import DEFAULT_LAYOUT, layout_errors
from insurance.models import ReportTemplate
from payroll.selectors.month import in_force


def d02lt_layout(month: int) -> tuple[dict, list[str]]:
    """The D02-LT layout in force on the month's first day (the built-in one when no row is),
    and what is wrong with the stored one (then the built-in layout is used)."""
    first_day = datetime.date(month // 100, month % 100, 1)
    row = (
        in_force(ReportTemplate.objects.filter(report=ReportTemplate.Report.D02LT), first_day)
        .order_by("-valid_from")
        .first()
    )
    if row is None:
        return DEFAULT_LAYOUT, []
    errors = layout_errors(row.layout)
    if errors:
        return DEFAULT_LAYOUT, errors
    return row.layout, []
