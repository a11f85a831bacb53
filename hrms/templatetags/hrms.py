"""Template filters shared by every page."""

from django import template

from hrms.lib.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """Money as ``1.234.567 đ``."""
    return format_vnd(amount)


@register.filter
def lookup(mapping, key):
    """``mapping[key]``, or nothing: a dictionary entry named by a variable."""
    return (mapping or {}).get(key)
