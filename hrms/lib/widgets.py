"""Form widgets of our own."""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class FastSelect(forms.Select):
    """A <select> rendered in Python rather than one template per option.

    Django renders every option through its own template; for the few hundred units of a
    province that costs more than the rest of the page. Same HTML, a fraction of the time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = []
        for option_value, option_label in self.choices:
            value_text = "" if option_value is None else str(option_value)
            options.append(
                format_html(
                    '<option value="{}"{}{}>{}</option>',
                    value_text,
                    mark_safe(" selected") if value_text in selected else "",
                    mark_safe(self.option_attributes(option_value)),
                    option_label,
                )
            )
        attributes = "".join(
            f' {key}="{conditional_escape(val)}"' if val is not True else f" {key}"
            for key, val in final_attrs.items()
            if val is not False and val is not None
        )
        return mark_safe(f"<select{attributes}>{''.join(options)}</select>")

    def option_attributes(self, option_value) -> str:
        """Extra attributes of one option (trusted HTML), none by default."""
        return ""


class DayInput(forms.DateInput):
    """A date typed as dd/mm/yyyy: the field says so, and hrms/static/hrms/pickers.js adds a
    calendar button next to it (the typed text stays the value sent)."""

    def __init__(self, attrs=None, format=None):
        attrs = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "data-date": "day",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format=format)


class UnitSelect(FastSelect):
    """A unit picker: hrms/static/hrms/pickers.js puts a search box over it that ignores
    accents ("tan yen" finds "Tân Yên") and hides ended units unless asked for."""

    def __init__(self, attrs=None, choices=()):
        attrs = {
            "data-unit-picker": "",
            "data-search-label": _("Search units (accents optional)"),
            "data-ended-label": _("Show ended units"),
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, choices=choices)

    def option_attributes(self, option_value) -> str:
        unit = getattr(option_value, "instance", None)
        if unit is not None and getattr(unit, "valid_to", None) is not None:
            return " data-ended"
        return ""


class RankSelect(FastSelect):
    """A rank picker whose options carry the coefficients of their steps
    (``data-coefficients="2.34 2.67 …"``), for the salary form's preview
    (hrms/static/hrms/salary-preview.js)."""

    coefficients: dict = {}

    def option_attributes(self, option_value) -> str:
        steps = self.coefficients.get(getattr(option_value, "value", option_value))
        if not steps:
            return ""
        return format_html(' data-coefficients="{}"', " ".join(str(c) for c in steps))
