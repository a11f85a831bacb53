"""The staff list: search, filters, sorting, pagination and the spreadsheet of the list."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hrms.lib.exports import ExportHeading, export_file_name
from hrms.lib.http import query_without_page, xlsx_response
from personnel import permissions, selectors
from personnel.exporters.staff_list import StaffListExport
from personnel.forms import AGE_BANDS, StaffFilterForm
from personnel.models import AccessLogEntry
from personnel.people import display_name
from personnel.services import access_log_record

STAFF_PAGE_SIZE = 50
# The columns the list shows: fetching whole dossiers for a page would be wasted work.
LIST_COLUMNS = (
    "staff_number", "full_name", "birth_date", "category", "status", "sort_key",
    "unit__name", "rank__name",
)  # fmt: skip


def _filtered(request, perm: str):
    # Ended units are offered too (people who left stay attached to them); the picker hides
    # them until asked for (hrms/static/hrms/pickers.js).
    units = permissions.visible_units(request.user)
    form = StaffFilterForm(request.GET or None, units=units)
    filters = form.cleaned_data if form.is_valid() else {}
    staff = selectors.staff_list(
        user=request.user,
        q=filters.get("q", ""),
        unit=filters.get("unit"),
        category=filters.get("category", ""),
        rank=filters.get("rank"),
        status=filters.get("status", ""),
        age=AGE_BANDS.get(filters.get("age", "")),
        sort=filters.get("sort", ""),
        perm=perm,
    )
    return form, filters, staff


@require_GET
def staff_list(request):
    """The staff list with search, filters, sorting and pagination, scoped to the user."""
    form, _filters, staff = _filtered(request, permissions.VIEW_STAFF)
    page = Paginator(staff.only(*LIST_COLUMNS), STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "personnel/staff_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "may_export": permissions.may_export_any(request.user),
            "may_create": permissions.may_edit_any(request.user),
            "active_nav": "staff",
        },
    )


@require_GET
def staff_list_export(request):
    """The current list (all pages, same filters) as XLSX; only staff the user may export."""
    if not permissions.may_export_any(request.user):
        raise Http404
    _form, filters, staff = _filtered(request, permissions.EXPORT_STAFF)
    chosen = filters.get("unit")
    unit = chosen.name if chosen else permissions.scope_label(request.user)
    now = timezone.localtime()
    heading = ExportHeading(unit=unit, made_by=display_name(request.user), made_at=now)
    content = StaffListExport(staff, heading=heading).xlsx()
    access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.EXPORT_LIST,
        request=request,
        detail={
            "rows": staff.count(),
            "filters": {key: str(value) for key, value in filters.items() if value},
        },
    )
    return xlsx_response(content, export_file_name("danh-sach-can-bo", unit, day=now.date()))
