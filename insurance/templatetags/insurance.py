"""Template filters for the insurance screens: ``{{ 202607|month }}``, ``{{ fund|fund_label }}``."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

FUND_LABELS = {
    "retirement": _("Retirement and survivorship"),
    "sickness": _("Sickness and maternity"),
    "work_accident": _("Work accident and occupational disease"),
    "health": _("Health insurance"),
    "unemployment": _("Unemployment insurance"),
    "union_fee": _("Union fee"),
}


@register.filter
def month(value) -> str:
    """A month kept as year × 100 + month, as MM/YYYY ("" for none)."""
    if not value:
        return ""
    value = int(value)
    return f"{value % 100:02d}/{value // 100}"


@register.filter
def fund_label(fund) -> str:
    """The name of a fund in the user's language."""
    return str(FUND_LABELS.get(str(fund), fund))
