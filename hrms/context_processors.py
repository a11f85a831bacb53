"""Template context shared by every page: the navigation the current user may use."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from personnel import permissions


def navigation(request):
    """Navigation entries for the user (only what they may open)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(reverse("home"), _("Home"), "home")]
    if permissions.may_browse_units(user):
        items.append((reverse("personnel:unit_list"), _("Units"), "units"))
        items.append((reverse("personnel:staff_list"), _("Staff"), "staff"))
        items.append((reverse("payroll:due_list"), _("Salary raises"), "salary"))
        items.append((reverse("payroll:run_list"), _("Payroll"), "payroll"))
    if permissions.may_browse_insurance(user):
        items.append((reverse("insurance:month"), _("Insurance"), "insurance"))
    if permissions.may_export_any(user):
        items.append((reverse("personnel:exports"), _("Exports"), "exports"))
    if permissions.may_edit_any(user):
        items.append((reverse("personnel:imports"), _("Imports"), "imports"))
    if permissions.own_staff_id(user) is not None:
        items.append((reverse("personnel:my_record"), _("My record"), "me"))
        items.append((reverse("insurance:mine"), _("My insurance"), "my_insurance"))
    if permissions.may_edit_any(user):
        items.append((reverse("personnel:change_requests"), _("Requests"), "requests"))
    if permissions.may_approve_any(user) or permissions.province_wide(user, permissions.VIEW_STAFF):
        items.append((reverse("payroll:charts"), _("Charts"), "charts"))
    if permissions.can_use_admin_site(user):
        items.append((reverse("admin:index"), _("Administration"), "admin"))
    return {"nav_items": items, "unread_notifications": _unread(user)}


def _unread(user) -> int:
    from personnel.models import Notification

    return Notification.objects.filter(user=user, read_at__isnull=True).count()
