"""Screens for the organisation tree. Access is decided by ``personnel.permissions`` only."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from personnel import permissions, selectors


@require_GET
def unit_list(request):
    """The organisation tree as far as the user may see it."""
    include_ended = request.GET.get("ended") == "1"
    units = list(selectors.unit_list(user=request.user, include_ended=include_ended))
    if not units and not permissions.may_browse_units(request.user):
        raise Http404
    roots = _tree(units)
    return render(
        request,
        "personnel/unit_list.html",
        {"units": units, "roots": roots, "include_ended": include_ended},
    )


def _tree(units: list) -> list:
    """The units (in path order) as a tree: each gets ``children`` and ``subtree_staff``, the
    working staff of the unit and every unit under it that the user sees."""
    by_path = {unit.path: unit for unit in units}
    roots = []
    for unit in units:
        unit.children, unit.subtree_staff = [], unit.active_staff
    for unit in units:
        parent = None
        for end in range(len(unit.path) - unit.steplen, 0, -unit.steplen):
            parent = by_path.get(unit.path[:end])
            if parent is not None:
                break
        (parent.children if parent is not None else roots).append(unit)
        for end in range(unit.steplen, len(unit.path), unit.steplen):
            ancestor = by_path.get(unit.path[:end])
            if ancestor is not None:
                ancestor.subtree_staff += unit.active_staff
    return roots


@require_GET
def unit_detail(request, pk: int):
    """One unit: its particulars, the units under it and its lineage."""
    unit = permissions.unit_or_404(request.user, pk)
    children = (
        selectors.unit_list(user=request.user, include_ended=True)
        .under(unit.path)
        .filter(depth=unit.depth + 1)
    )
    parent = unit.parent_unit()
    parent_visible = parent is not None and permissions.unit_in_scope(
        request.user, permissions.VIEW_STAFF, parent
    )
    return render(
        request,
        "personnel/unit_detail.html",
        {
            "unit": unit,
            "parent": parent,
            "parent_visible": parent_visible,
            "children": children,
            "lineage": selectors.unit_lineage(unit=unit),
        },
    )
