"""Template filters shared by every page."""

from django import template

from hrms.lib.money import format_vnd

register = template.Library()


@register.filter
def person_name(user) -> str:
    """A user's name in Vietnamese order (family name first), or the username."""
    staff = getattr(user, "staff", None)
    if staff is not None:
        return staff.full_name
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


@register.filter
def vnd(amount) -> str:
    """Money as ``1.234.567 đ``."""
    return format_vnd(amount)
