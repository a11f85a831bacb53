"""Screens for org units and staff. Access is decided by ``personnel.permissions`` only."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from personnel import permissions, selectors
from personnel.forms import StaffFilterForm

STAFF_PAGE_SIZE = 50


@require_GET
def unit_list(request):
    """The organisation tree as far as the user may see it."""
    include_ended = request.GET.get("ended") == "1"
    units = list(selectors.unit_list(user=request.user, include_ended=include_ended))
    if not units and permissions.granted_paths(request.user, permissions.VIEW_STAFF) == []:
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
    children = selectors.unit_list(user=request.user, include_ended=True).filter(
        path__startswith=unit.path, depth=unit.depth + 1
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


@require_GET
def staff_list(request):
    """The staff list with filters, sorting and pagination, scoped to the user."""
    units = permissions.visible_units(request.user).filter(valid_to__isnull=True)
    form = StaffFilterForm(request.GET or None, units=units)
    filters = form.cleaned_data if form.is_valid() else {}
    staff = selectors.staff_list(
        user=request.user,
        unit=filters.get("unit"),
        category=filters.get("category", ""),
        status=filters.get("status", ""),
        sort=filters.get("sort") or "name",
    )
    page = Paginator(staff, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "personnel/staff_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require_GET
def staff_detail(request, pk: int):
    """One staff member's record."""
    staff = permissions.staff_or_404(request.user, pk)
    return render(request, "personnel/staff_detail.html", {"staff": staff})


@require_GET
def my_record(request):
    """The signed-in user's own record."""
    staff = getattr(request.user, "staff", None)
    if staff is None:
        raise Http404
    return redirect("personnel:staff_detail", pk=staff.pk)
