"""Form widgets of our own."""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


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
            option_value = "" if option_value is None else str(option_value)
            options.append(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option_value,
                    mark_safe(" selected") if option_value in selected else "",
                    option_label,
                )
            )
        attributes = "".join(
            f' {key}="{conditional_escape(val)}"' if val is not True else f" {key}"
            for key, val in final_attrs.items()
            if val is not False and val is not None
        )
        return mark_safe(f"<select{attributes}>{''.join(options)}</select>")
