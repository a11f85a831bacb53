"""Salary screens: due lists, preparing and approving decisions, a person's salary history.

Access is decided by ``personnel.permissions``: lists need the view permission on the units,
preparing decisions the change permission, approving them the approval permission.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrms.lib.exports import ExportHeading, export_file_name
from hrms.lib.http import query_without_page, xlsx_response
from payroll import selectors, services
from payroll.exporters.due_list import DueListExport
from payroll.forms import DecisionActionForm, DueListForm, SalaryRecordForm, ranks_for
from payroll.models import SalaryRecord
from payroll.rules import pay
from payroll.selectors.due_lists import LISTS, due_list, scoped_staff
from personnel import permissions
from personnel.models import AccessLogEntry, Rank, Staff
from personnel.people import display_name
from personnel.services import access_log_record

DUE_PAGE_SIZE = 200
DECISIONS_PAGE_SIZE = 50


def _require(allowed: bool) -> None:
    """Screens a user may not use at all answer 404, like missing pages."""
    if not allowed:
        raise Http404


def _due_rows(request):
    units = permissions.visible_units(request.user).filter(valid_to__isnull=True)
    form = DueListForm(request.GET, units=units)  # the defaults fill what the URL leaves out
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    staff = scoped_staff(user=request.user, unit=data.get("unit"))
    rows = due_list(staff=staff, kind=data["list"], start=data["start"], end=data["end"])
    return form, rows


@require_GET
def due_list_view(request):
    """A due list for a unit subtree and a date range, each row with its reasons."""
    _require(permissions.may_browse_units(request.user))
    form, rows = _due_rows(request)
    may_prepare = permissions.may_edit_any(request.user)
    page = Paginator(rows, DUE_PAGE_SIZE).get_page(request.GET.get("page")) if rows else None
    drafted = set()
    if page is not None:
        drafted = set(
            SalaryRecord.objects.filter(
                status=SalaryRecord.Status.DRAFT, staff_id__in=[row.staff_id for row in page]
            ).values_list("staff_id", flat=True)
        )
    return render(
        request,
        "payroll/due_list.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "drafted": drafted,
            "query": query_without_page(request),
            "may_prepare": may_prepare
            and form.is_bound
            and form.cleaned_data.get("list") != "retirement",
            "lists": LISTS,
            "own_staff_id": permissions.own_staff_id(request.user),
            "active_nav": "salary",
        },
    )


# File names in Vietnamese (without accents), whatever the interface language.
DUE_LIST_FILE_NAMES = {
    "regular": "danh-sach-nang-luong-thuong-xuyen",
    "beyond": "danh-sach-phu-cap-tham-nien-vuot-khung",
    "early": "danh-sach-nang-luong-truoc-thoi-han",
    "retirement": "danh-sach-nghi-huu",
}


@require_GET
def due_list_export(request):
    """The same list as XLSX."""
    _require(permissions.may_export_any(request.user))
    form, rows = _due_rows(request)
    if rows is None:
        raise Http404
    exportable = (
        permissions.visible_staff(request.user, permissions.EXPORT_STAFF)
        .filter(pk__in=rows.staff_ids())
        .values_list("pk", flat=True)
    )
    rows = rows.only(exportable)
    kind = form.cleaned_data["list"]
    access_log_record(
        user=request.user, action=AccessLogEntry.Action.EXPORT_LIST, request=request,
        detail={"due_list": kind, "rows": len(rows)},
    )  # fmt: skip
    data = form.cleaned_data
    unit = data["unit"].name if data.get("unit") else permissions.scope_label(request.user)
    now = timezone.localtime()
    heading = ExportHeading(
        unit=unit,
        period=f"{data['start']:%d/%m/%Y} – {data['end']:%d/%m/%Y}",
        made_by=display_name(request.user),
        made_at=now,
    )
    filename = export_file_name(DUE_LIST_FILE_NAMES[kind], unit, day=now.date())
    return xlsx_response(DueListExport(rows, kind, heading=heading).xlsx(), filename)


@require_POST
def due_list_prepare(request):
    """Draft decisions for the rows the clerk ticked (recomputed, never trusted from the form)."""
    _require(permissions.may_edit_any(request.user))
    form, rows = _due_rows(request)
    if rows is None:
        messages.error(request, _("The list's filters are not valid; nothing was prepared."))
        return redirect(reverse("payroll:due_list"))
    chosen = {int(pk) for pk in request.POST.getlist("staff") if pk.isdigit()}
    editable = set(
        permissions.visible_staff(request.user, permissions.CHANGE_STAFF)
        .filter(pk__in=chosen)
        .values_list("pk", flat=True)
    )
    selected = rows.only(editable)
    if not selected:
        messages.error(request, _("Tick at least one person you may edit."))
        return redirect(f"{reverse('payroll:due_list')}?{request.GET.urlencode()}")
    created, skipped = services.salary_drafts_from_due_list(rows=selected, actor=request.user)
    if created:
        messages.success(
            request,
            _("%(count)s draft decisions prepared; they take effect once approved.")
            % {"count": len(created)},
        )
    for row, reason in skipped:
        messages.warning(request, f"{row.full_name}: {reason}")
    return redirect(f"{reverse('payroll:decisions')}?status=draft")


@require_GET
def decisions(request):
    """Salary decisions of the units the user sees, drafts first; each draft says whether the
    user may approve it, and why not."""
    _require(permissions.may_browse_units(request.user))
    status = request.GET.get("status", "draft")
    if status not in SalaryRecord.Status.values:
        status = "draft"
    page = _uncounted_page(
        selectors.decisions_list(user=request.user, status=status),
        request.GET.get("page"),
        related=("staff", "staff__unit", "rank", "created_by__staff", "decided_by__staff"),
    )
    records = page.records
    may_approve = permissions.may_approve_any(request.user) and status == "draft"
    if may_approve:
        approvable = set(
            selectors.approvable_drafts(user=request.user)
            .filter(pk__in=[record.pk for record in records])
            .values_list("pk", flat=True)
        )
        for record in records:
            record.refusal = (
                permissions.four_eyes_refusal(
                    actor=request.user,
                    act=permissions.Act.APPROVE,
                    concerns=[record.staff_id],
                    prepared_by_id=record.created_by_id,
                )
                if record.pk in approvable
                else _("Outside the units where you approve decisions.")
            )
    return render(
        request,
        "payroll/decisions.html",
        {
            "records": records,
            "page": page,
            "query": query_without_page(request),
            "status": status,
            "statuses": SalaryRecord.Status,
            "may_approve": may_approve,
            "active_nav": "salary",
        },
    )


@dataclass
class UncountedPage:
    """A page of a long list, without counting the list (hundreds of thousands of decisions
    province-wide): its rows and whether there are pages before and after."""

    number: int
    records: list
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _uncounted_page(queryset, number, *, related) -> UncountedPage:
    """The ids of one page first (the index walk stops after a page), then their rows."""
    try:
        number = max(1, min(int(number or 1), 100_000))
    except ValueError:
        number = 1
    start = (number - 1) * DECISIONS_PAGE_SIZE
    ids = list(queryset.values_list("pk", flat=True)[start : start + DECISIONS_PAGE_SIZE + 1])
    shown = ids[:DECISIONS_PAGE_SIZE]
    rows = SalaryRecord.objects.select_related(*related).in_bulk(shown)
    return UncountedPage(
        number=number,
        records=[rows[pk] for pk in shown if pk in rows],
        has_next=len(ids) > DECISIONS_PAGE_SIZE,
    )


def _decided(request, approve: bool):
    _require(permissions.may_approve_any(request.user))
    form = DecisionActionForm(
        request.POST, records=selectors.approvable_drafts(user=request.user), approve=approve
    )
    back = f"{reverse('payroll:decisions')}?status=draft"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    records = list(form.cleaned_data["records"])
    try:
        if approve:
            services.salary_records_approve(
                records=records,
                actor=request.user,
                decision_number=form.cleaned_data["decision_number"],
            )
            messages.success(request, _("%(count)s decisions approved.") % {"count": len(records)})
        else:
            services.salary_records_reject(
                records=records, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("%(count)s drafts rejected.") % {"count": len(records)})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(back)


@require_POST
def decisions_approve(request):
    """Approve the ticked drafts (needs the approval permission on their units)."""
    return _decided(request, approve=True)


@require_POST
def decisions_reject(request):
    """Reject the ticked drafts."""
    return _decided(request, approve=False)


def _own_draft_or_404(request, pk: int) -> SalaryRecord:
    """A draft about a person the user sees (else 404) that the user prepared (else 403)."""
    record = (
        SalaryRecord.objects.select_related("staff", "rank")
        .filter(pk=pk, staff__in=permissions.visible_staff(request.user).values("pk"))
        .first()
    )
    if record is None:
        raise Http404
    if record.status != SalaryRecord.Status.DRAFT or record.created_by_id != request.user.pk:
        raise PermissionDenied
    return record


@require_http_methods(["GET", "POST"])
def decision_draft_edit(request, pk: int):
    """Its preparer corrects a draft before it is decided."""
    record = _own_draft_or_404(request, pk)
    staff = record.staff
    ranks = Rank.objects.all()
    scales = selectors.group_scales()
    coefficients = {
        rank_pk: scales[group_id].coefficients
        for rank_pk, group_id in ranks.values_list("pk", "group_id")
        if group_id in scales
    }
    form = SalaryRecordForm(
        request.POST or None, instance=record, ranks=ranks, coefficients=coefficients
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in SalaryRecordForm.Meta.fields}
        try:
            services.salary_draft_update(record=record, values=values, actor=request.user)
        except ValidationError as error:
            for field, errors in getattr(error, "error_dict", {None: error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The draft decision was corrected."))
            return redirect(f"{reverse('payroll:decisions')}?status=draft")
    base_salary = selectors.parameters_at(timezone.localdate()).base_salary
    return render(
        request,
        "payroll/salary_form.html",
        {
            "staff": staff,
            "form": form,
            "editing": record,
            "all_ranks": True,
            "base_salary": base_salary,
            "preview": _salary_preview(form, coefficients, base_salary)
            if form.is_bound
            else _salary_preview_of(record, base_salary),
            "active_nav": "salary",
        },
    )


@require_POST
def decision_draft_withdraw(request, pk: int):
    """Its preparer withdraws a draft (kept, marked withdrawn)."""
    record = _own_draft_or_404(request, pk)
    try:
        services.salary_draft_withdraw(record=record, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The draft about %(name)s was withdrawn.") % {"name": record.staff.full_name}
        )
    return redirect(f"{reverse('payroll:decisions')}?status=draft")


@require_GET
def staff_salary(request, pk: int):
    """A person's salary history (item 31), current salary, next raise and retirement date."""
    staff = permissions.staff_or_404(
        request.user, pk, queryset=Staff.objects.select_related("unit")
    )
    today = timezone.localdate()
    summary = selectors.salary_summary(staff=staff, on=today)
    return render(
        request,
        "payroll/staff_salary.html",
        {
            "staff": staff,
            "summary": summary,
            # approved decisions taking effect later: shown apart from the salary in force
            "upcoming": [r for r in summary.history if r.effective_date > today],
            "history": summary.history,
            "current": summary.current,
            "pending": selectors.pending_decisions(staff=staff),
            "may_prepare": permissions.may_prepare_salary(request.user, staff),
            "own": permissions.is_own_record(request.user, staff),
            "active_nav": "staff",
        },
    )


@require_http_methods(["GET", "POST"])
def staff_salary_new(request, pk: int):
    """Enter a salary decision by hand: it becomes a draft until approved."""
    staff = permissions.staff_or_404(
        request.user, pk, queryset=Staff.objects.select_related("unit")
    )
    if not permissions.may_prepare_salary(request.user, staff):
        raise PermissionDenied
    latest = selectors.current_records([staff.pk]).get(staff.pk)
    all_ranks = request.GET.get("all_ranks") == "1"
    ranks = (
        Rank.objects.all()
        if all_ranks
        else ranks_for(category=staff.category, current_rank=latest.rank if latest else None)
    )
    scales = selectors.group_scales()
    coefficients = {
        pk: scales[group_id].coefficients
        for pk, group_id in ranks.values_list("pk", "group_id")
        if group_id in scales
    }
    form = SalaryRecordForm(
        request.POST or None,
        ranks=ranks,
        coefficients=coefficients,
        initial={"rank": latest.rank_id} if latest else None,
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in SalaryRecordForm.Meta.fields}
        try:
            services.salary_draft_create(staff=staff, values=values, actor=request.user)
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("The draft decision was saved; it takes effect once approved.")
            )
            return redirect("payroll:staff_salary", pk=staff.pk)
    today = timezone.localdate()
    base_salary = selectors.parameters_at(today).base_salary
    return render(
        request,
        "payroll/salary_form.html",
        {
            "staff": staff,
            "form": form,
            "latest": latest,
            "all_ranks": all_ranks,
            "base_salary": base_salary,
            "preview": _salary_preview(form, coefficients, base_salary),
            "active_nav": "staff",
        },
    )


def _salary_preview_of(record, base_salary):
    return {
        "coefficient": record.coefficient,
        "monthly": pay.rank_salary(coefficient=record.coefficient, base_salary=base_salary),
    }


def _salary_preview(form, coefficients, base_salary):
    """The coefficient and the monthly salary by rank and step of what the form holds (or of
    the decision in force): shown before saving, recomputed by salary-preview.js as it changes."""
    if not form.is_bound:
        return None  # the step is chosen first
    rank_id, step = form.data.get("rank"), form.data.get("step")
    try:
        steps = coefficients.get(int(rank_id)) or ()
        coefficient = steps[int(step) - 1] if 1 <= int(step) <= len(steps) else None
    except (TypeError, ValueError):
        coefficient = None
    if coefficient is None:
        return None
    return {
        "coefficient": coefficient,
        "monthly": pay.rank_salary(coefficient=coefficient, base_salary=base_salary),
    }
