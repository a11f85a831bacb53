"""Insurance screens: a unit subtree's month (changes with why, the register, the D02-LT and
register files, the reconciliation with the office's statement), a unit's registration with the
office, and each person's insurance history (their own for staff).

Access is decided by ``personnel.permissions``: what lies outside the user's units answers 404
like something missing; an action the user may not take on something they may see answers 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrms.lib.http import query_without_page, xlsx_response
from insurance.exporters.d02lt import ChangeListExport
from insurance.exporters.register import register_workbook
from insurance.forms import (
    AbsenceForm,
    MonthUnitForm,
    ProfileForm,
    RegistrationForm,
    StatementForm,
    month_label,
    this_month,
)
from insurance.models import InsuranceProfile, InsuranceUnit, StatementImport
from insurance.selectors.changes import change_list
from insurance.selectors.contributions import month_rows
from insurance.selectors.history import insurance_history
from insurance.selectors.participants import participation_of
from insurance.selectors.reconciliation import statement_differences
from insurance.selectors.register import register
from insurance.selectors.templates import d02lt_layout
from insurance.services import records
from insurance.services.participation import participation_rebuild, participation_refresh
from payroll.selectors.month import reuses_month_contexts
from personnel import permissions
from personnel.models import AccessLogEntry, OrgUnit, Staff
from personnel.services import access_log_record

REGISTER_PAGE_SIZE = 100


def _month_and_unit(request, perm: str = permissions.VIEW_STAFF):
    """The unit subtree and month asked for (the first visible unit and this month by
    default); 404 for a unit outside the user's scope."""
    if not permissions.may_browse_insurance(request.user):
        raise Http404
    units = permissions.insurance_units_visible(request.user).order_by("path")
    data = request.GET if "unit" in request.GET or "month" in request.GET else None
    form = MonthUnitForm(data, units=units)
    if data is None:
        first = units.first()
        form = MonthUnitForm(
            {"unit": first.pk if first else "", "month": month_label(this_month())}, units=units
        )
    if not form.is_valid():
        if "unit" in form.errors and request.GET.get("unit"):
            raise Http404
        return form, None, None
    unit = form.cleaned_data["unit"]
    if not permissions.unit_in_scope(request.user, perm, unit):
        raise Http404
    return form, unit, form.cleaned_data["month"]


def _subtree(unit: OrgUnit) -> list[int]:
    return list(OrgUnit.objects.under(unit.path).values_list("pk", flat=True))


def _query(unit: OrgUnit, month: int) -> str:
    return f"unit={unit.pk}&month={month_label(month)}"


@require_GET
@reuses_month_contexts
def month_page(request):
    """The clerk's month for a unit subtree: changes detected with why, the summary per
    reporting unit, the files, the reconciliation."""
    form, unit, month = _month_and_unit(request)
    context = {"form": form, "active_nav": "insurance"}
    if unit is None:
        return render(request, "insurance/month.html", context)
    subtree = _subtree(unit)
    participation_refresh(unit_ids=subtree, actor=request.user)
    participation = participation_of(month, subtree)
    now = month_rows(
        month, {staff_id: p.reporting_unit_id for staff_id, p in participation.now.items()}
    )
    changes = change_list(month=month, unit_ids=subtree, participation=participation, now=now)
    found = register(month=month, unit_ids=subtree, participation=participation, now=now)
    layout, layout_errors = d02lt_layout(month)
    manage = permissions.may_manage_insurance(request.user, unit)
    reporting = [summary.unit for summary in found.summaries]
    for item in changes.units:
        if item.unit not in reporting:
            reporting.append(item.unit)
    statement_form = None
    if manage:
        statement_form = StatementForm(
            initial={"unit": reporting[0].pk if reporting else None, "month": month_label(month)},
            units=OrgUnit.objects.filter(pk__in=[u.pk for u in reporting]).order_by("path"),
        )
    context.update(
        {
            "unit": unit,
            "month": month,
            "month_text": month_label(month),
            "query": _query(unit, month),
            "changes": changes,
            "register": found,
            "unregistered": [s.unit for s in found.summaries if not (s.registration and
                                                                      s.registration.code)],
            "layout_errors": layout_errors,
            "may_export": permissions.may_export_insurance(request.user, unit),
            "may_manage": manage,
            "statement_form": statement_form,
            "statements": StatementImport.objects.filter(
                unit__in=reporting, year=month // 100, month=month % 100
            ).select_related("unit", "uploaded_by__staff"),
        }
    )  # fmt: skip
    return render(request, "insurance/month.html", context)


@require_GET
@reuses_month_contexts
def register_page(request):
    """The month's register: every participant with contribution salary and shares."""
    form, unit, month = _month_and_unit(request)
    if unit is None:
        return redirect("insurance:month")
    subtree = _subtree(unit)
    participation_refresh(unit_ids=subtree, actor=request.user)
    found = register(month=month, unit_ids=subtree)
    page = Paginator(found.rows, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    names = {summary.unit.pk: summary.unit.name for summary in found.summaries}
    return render(
        request,
        "insurance/register.html",
        {
            "form": form,
            "unit": unit,
            "month_text": month_label(month),
            "register": found,
            "page": page,
            "rows": [(item, names.get(item.reporting_unit_id, "")) for item in page],
            "query": query_without_page(request),
            "unit_query": _query(unit, month),
            "may_export": permissions.may_export_insurance(request.user, unit),
            "active_nav": "insurance",
        },
    )


def _export_scope(request):
    form, unit, month = _month_and_unit(request)
    if unit is None:
        raise Http404
    if not permissions.may_export_insurance(request.user, unit):
        raise PermissionDenied
    subtree = _subtree(unit)
    participation_refresh(unit_ids=subtree, actor=request.user)
    return unit, month, subtree


@require_GET
@reuses_month_contexts
def d02lt_export(request):
    """The D02-LT change list of the month as XLSX (one sheet per reporting unit)."""
    unit, month, subtree = _export_scope(request)
    found = change_list(month=month, unit_ids=subtree)
    layout, _errors = d02lt_layout(month)
    access_log_record(
        user=request.user, action=AccessLogEntry.Action.EXPORT_LIST, request=request,
        detail={"report": "D02-LT", "unit": unit.code, "month": month_label(month),
                "rows": len(found.changes)},
    )  # fmt: skip
    filename = f"D02-LT-{unit.code}-{month // 100}-{month % 100:02d}.xlsx"
    return xlsx_response(ChangeListExport(found, layout).xlsx(), _ascii(filename))


@require_GET
@reuses_month_contexts
def register_export(request):
    """The month's summary per reporting unit and the register as XLSX."""
    unit, month, subtree = _export_scope(request)
    found = register(month=month, unit_ids=subtree, funds=True)
    access_log_record(
        user=request.user, action=AccessLogEntry.Action.EXPORT_LIST, request=request,
        detail={"report": "insurance register", "unit": unit.code, "month": month_label(month),
                "rows": len(found.rows)},
    )  # fmt: skip
    filename = f"dang-ky-bhxh-{unit.code}-{month // 100}-{month % 100:02d}.xlsx"
    return xlsx_response(register_workbook(found), _ascii(filename))


def _ascii(name: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in name)


@require_POST
def statement_upload(request):
    """Import the office's statement (C12-TS) of a month for a reporting unit."""
    if not permissions.may_browse_insurance(request.user):
        raise Http404
    if not permissions.may_edit_any(request.user):
        raise PermissionDenied
    units = permissions.insurance_units_visible(request.user, permissions.CHANGE_STAFF)
    form = StatementForm(request.POST, request.FILES, units=units)
    back = reverse("insurance:month")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        unit_id, month = request.POST.get("unit", ""), request.POST.get("month", "")
        return redirect(f"{back}?unit={unit_id}&month={month}")
    unit = form.cleaned_data["unit"]
    month = form.cleaned_data["month"]
    if not permissions.may_manage_insurance(request.user, unit):
        raise PermissionDenied
    upload = form.cleaned_data["file"]
    try:
        statement = records.statement_import(
            unit=unit, year=month // 100, month=month % 100, filename=upload.name,
            content=upload.read(), actor=request.user,
        )  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"{back}?{_query(unit, month)}")
    messages.success(
        request, _("The statement was read: %(rows)s rows.") % {"rows": len(statement.rows)}
    )
    return redirect("insurance:statement", pk=statement.pk)


@require_GET
def statement_detail(request, pk: int):
    """Person by person, what differs between an imported statement and our month."""
    statement = StatementImport.objects.select_related("unit", "uploaded_by__staff").filter(pk=pk)
    statement = statement.first()
    if statement is None or not permissions.may_view_insurance(request.user, statement.unit):
        raise Http404
    differences = statement_differences(statement)
    month = statement.year * 100 + statement.month
    return render(
        request,
        "insurance/statement.html",
        {
            "statement": statement,
            "differences": differences,
            "month_text": month_label(month),
            "query": _query(statement.unit, month),
            "active_nav": "insurance",
        },
    )


@require_http_methods(["GET", "POST"])
def unit_registration(request, pk: int):
    """A unit's insurance-office code, the office it reports to and its address."""
    unit = permissions.unit_or_404(request.user, pk)
    if not permissions.may_manage_insurance(request.user, unit):
        raise PermissionDenied
    instance = InsuranceUnit.objects.filter(unit=unit).first() or InsuranceUnit(unit=unit)
    form = RegistrationForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            records.insurance_unit_update(unit=unit, values=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The unit's insurance-office details were saved."))
            return redirect(f"{reverse('insurance:month')}?unit={unit.pk}")
    return render(
        request,
        "insurance/unit_form.html",
        {"unit": unit, "form": form, "active_nav": "insurance"},
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- A person's insurance record ----------------------------------------------------------


def _person(request, pk: int):
    staff = permissions.staff_or_404(
        request.user, pk, queryset=Staff.objects.select_related("unit", "rank")
    )
    if not permissions.may_view_insurance_record(request.user, staff):
        raise Http404
    return staff


@require_GET
@reuses_month_contexts
def my_insurance(request):
    """The signed-in person's own insurance history."""
    own = permissions.own_staff_id(request.user)
    if own is None:
        raise Http404
    return redirect("insurance:staff", pk=own)


@require_GET
@reuses_month_contexts
def staff_insurance(request, pk: int):
    """A person's insurance history: card and hospital, periods, months (staff: their own)."""
    staff = _person(request, pk)
    history = insurance_history(staff=staff, today=timezone.localdate())
    access_log_record(
        user=request.user, action=AccessLogEntry.Action.VIEW, staff=staff, request=request,
        detail={"page": "insurance"},
    )  # fmt: skip
    return render(
        request,
        "insurance/staff.html",
        {
            "staff": staff,
            "history": history,
            "own": permissions.is_own_record(request.user, staff),
            "may_edit": permissions.may_edit_insurance_record(request.user, staff),
            "active_nav": (
                "my_insurance" if permissions.is_own_record(request.user, staff) else "insurance"
            ),
        },
    )


def _editable_person(request, pk: int):
    staff = _person(request, pk)
    if not permissions.may_edit_insurance_record(request.user, staff):
        raise PermissionDenied
    return staff


@require_http_methods(["GET", "POST"])
def staff_insurance_edit(request, pk: int):
    """Edit a person's card, initial-care hospital and who holds the insurance book."""
    staff = _editable_person(request, pk)
    profile = InsuranceProfile.objects.filter(staff=staff).first() or InsuranceProfile(staff=staff)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in records.PROFILE_FIELDS}
        try:
            records.insurance_profile_update(
                staff=staff, values=values,
                expected_version=form.cleaned_data.get("version") if profile.pk else None,
                actor=request.user,
            )  # fmt: skip
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The insurance record was saved."))
            return redirect("insurance:staff", pk=staff.pk)
    return render(
        request,
        "insurance/staff_form.html",
        {"staff": staff, "form": form, "title": _("Insurance record"), "active_nav": "insurance"},
    )


@require_http_methods(["GET", "POST"])
def staff_absence_new(request, pk: int):
    """Record an absence without contributions (maternity leave…)."""
    staff = _editable_person(request, pk)
    form = AbsenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            records.absence_record(staff=staff, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The absence was recorded; the periods were rebuilt."))
            return redirect("insurance:staff", pk=staff.pk)
    return render(
        request,
        "insurance/staff_form.html",
        {
            "staff": staff,
            "form": form,
            "title": _("Absence without contributions"),
            "active_nav": "insurance",
        },
    )


@require_POST
def staff_periods_rebuild(request, pk: int):
    """Rebuild a person's participation periods from the dossier now."""
    staff = _editable_person(request, pk)
    participation_rebuild(staff_ids=[staff.pk], actor=request.user)
    messages.success(request, _("The participation periods were rebuilt from the dossier."))
    return redirect("insurance:staff", pk=staff.pk)
