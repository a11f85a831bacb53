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
    top_depth = min((unit.depth for unit in units), default=1)
    for unit in units:
        unit.indent = unit.depth - top_depth
    return render(
        request,
        "personnel/unit_list.html",
        {"units": units, "include_ended": include_ended},
    )


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
