"""Template filters shared by every page."""

from django import template

from hrms.lib.money import format_vnd
from hrms.lib.numbers import localized_coefficient

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """Money as ``1.234.567 đ``."""
    return format_vnd(amount)


@register.filter
def coefficient(value) -> str:
    """A coefficient with two decimals at least and the language's decimal mark (``4,98``)."""
    return localized_coefficient(value)


@register.filter
def lookup(mapping, key):
    """``mapping[key]``, or nothing: a dictionary entry named by a variable."""
    return (mapping or {}).get(key)
