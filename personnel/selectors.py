"""Reads of units and staff, always already scoped to the requesting user."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from personnel import permissions
from personnel.models import LineageEvent, OrgUnit, Staff

# Sort orders a user may ask for (never user input straight into order_by()).
STAFF_SORTS = {
    "name": ("sort_key", "id"),
    "-name": ("-sort_key", "-id"),
    "number": ("staff_number",),
    "-number": ("-staff_number",),
    "birth": ("date_of_birth", "id"),
    "-birth": ("-date_of_birth", "id"),
}


@dataclass(frozen=True)
class ScopeSummary:
    units: int
    staff: int
    province_wide: bool


def scope_summary(*, user) -> ScopeSummary:
    """How many current units and working staff ``user`` may view."""
    province_wide = permissions.granted_paths(user, permissions.VIEW_STAFF) is None
    units = permissions.visible_units(user).filter(valid_to__isnull=True).count()
    staff = permissions.visible_staff(user).filter(status=Staff.Status.ACTIVE).count()
    return ScopeSummary(units=units, staff=staff, province_wide=province_wide)


def unit_list(*, user, include_ended: bool = False) -> QuerySet[OrgUnit]:
    """Units ``user`` may view, in tree order, with their number of working staff."""
    units = permissions.visible_units(user)
    if not include_ended:
        units = units.filter(valid_to__isnull=True)
    return units.annotate(
        active_staff=Count("staff", filter=Q(staff__status=Staff.Status.ACTIVE))
    ).order_by("path")


def unit_subtree(*, unit: OrgUnit, include_ended: bool = True) -> QuerySet[OrgUnit]:
    """``unit`` and every unit under it: one indexed prefix query whatever the depth."""
    units = OrgUnit.objects.filter(path__startswith=unit.path)
    if not include_ended:
        units = units.filter(valid_to__isnull=True)
    return units


def unit_lineage(*, unit: OrgUnit) -> QuerySet[LineageEvent]:
    """Lineage events that involve ``unit`` as a source or a result, newest first."""
    return (
        LineageEvent.objects.filter(Q(sources=unit) | Q(results=unit))
        .distinct()
        .prefetch_related("sources", "results")
        .select_related("old_parent", "new_parent")
    )


def staff_list(
    *,
    user,
    unit: OrgUnit | None = None,
    category: str = "",
    status: str = "",
    sort: str = "name",
) -> QuerySet[Staff]:
    """Staff ``user`` may view, narrowed by the given filters and ordered by an allowed sort."""
    staff = permissions.visible_staff(user, permissions.VIEW_STAFF)
    if unit is not None:
        staff = staff.filter(unit__in=unit_subtree(unit=unit).values("id"))
    if category:
        staff = staff.filter(category=category)
    if status:
        staff = staff.filter(status=status)
    return staff.select_related("unit").order_by(*STAFF_SORTS.get(sort, STAFF_SORTS["name"]))
