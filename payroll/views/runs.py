"""Payroll run screens: the months of the units one may see, opening and computing a month
(the clerk), approving, returning and locking it (the head), and comparing a locked month with
a recomputation.

Access is decided by ``personnel.permissions``: a run whose unit the user may not view answers
404; actions the user may not take answer 403; four eyes and the locked month are enforced by
the services (``payroll.services.runs``).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrms.lib.http import query_without_page
from payroll.models import PayrollRun, Payslip
from payroll.services import runs as run_services
from personnel import permissions
from personnel.forms import UnitChoiceField
from personnel.models import OrgUnit, Staff

RUN_PAGE_SIZE = 50
PAYSLIP_PAGE_SIZE = 100


class MonthField(forms.CharField):
    """A payroll month typed as MM/YYYY."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return run_services.month_of(value)
        except ValidationError as error:
            raise forms.ValidationError(
                gettext_lazy("Enter a month as MM/YYYY, e.g. 07/2026.")
            ) from error


class OpenRunForm(forms.Form):
    unit = UnitChoiceField(label=gettext_lazy("Paying unit"), queryset=OrgUnit.objects.none())
    month = MonthField(
        label=gettext_lazy("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"placeholder": "MM/YYYY", "inputmode": "numeric"}),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()
        today = timezone.localdate()
        self.fields["month"].initial = f"{today.month:02d}/{today.year}"

    def clean_month(self):
        period = self.cleaned_data["month"]
        year, month = period
        today = timezone.localdate()
        if (year, month) > (today.year + 1, today.month):
            raise forms.ValidationError(_("Month: this is more than a year ahead."))
        if year < 2000:
            raise forms.ValidationError(_("Month: choose a month from 01/2000."))
        return period


class RunFilterForm(forms.Form):
    month = MonthField(label=gettext_lazy("Month"), max_length=7, required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("All"))] + PayrollRun.Status.choices,
        required=False,
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for returning"), max_length=255)


def _run_or_404(user, pk) -> PayrollRun:
    run = (
        PayrollRun.objects.select_related(
            "unit", "prepared_by__staff", "approved_by__staff", "locked_by__staff"
        )
        .filter(pk=pk)
        .first()
    )
    if run is None or not permissions.may_view_payroll(user, run.unit):
        raise Http404
    return run


@require_http_methods(["GET", "POST"])
def run_list(request):
    """The payroll months of the units the user may see, and opening a month."""
    units = permissions.payroll_units_visible(request.user)
    if not permissions.may_browse_units(request.user):
        raise Http404
    computable = [u for u in units if permissions.may_compute_payroll(request.user, u)]
    open_form = OpenRunForm(
        request.POST or None,
        units=OrgUnit.objects.filter(pk__in=[u.pk for u in computable]).order_by("path"),
    )
    if request.method == "POST":
        if not computable:
            raise PermissionDenied
        if open_form.is_valid():
            year, month = open_form.cleaned_data["month"]
            try:
                run = run_services.payroll_run_open(
                    unit=open_form.cleaned_data["unit"], year=year, month=month,
                    actor=request.user,
                )  # fmt: skip
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                return redirect("payroll:run_detail", pk=run.pk)
    filters = RunFilterForm(request.GET or None)
    found = PayrollRun.objects.filter(unit__in=units).select_related("unit")
    if filters.is_valid():
        if filters.cleaned_data.get("month"):
            year, month = filters.cleaned_data["month"]
            found = found.filter(year=year, month=month)
        if filters.cleaned_data.get("status"):
            found = found.filter(status=filters.cleaned_data["status"])
    page = Paginator(found.order_by("-year", "-month", "unit__path"), RUN_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "payroll/runs/run_list.html",
        {
            "page": page,
            "filters": filters,
            "open_form": open_form if computable else None,
            "query": query_without_page(request),
            "active_nav": "payroll",
        },
    )


@require_GET
def run_detail(request, pk: int):
    """One month of one unit: status, totals, who did what, the payslips, the actions."""
    run = _run_or_404(request.user, pk)
    user = request.user
    payslips = (
        Payslip.objects.filter(run=run)
        .select_related("staff", "unit")
        .only(
            "staff__full_name",
            "staff__staff_number",
            "staff__sort_key",
            "unit__name",
            "paid_days",
            "working_days",
            "gross",
            "arrears",
            "employee_insurance",
            "union_dues",
            "personal_income_tax",
            "net",
            "suspended",
            "run_id",
        )  # fmt: skip
        .order_by("unit__path", "staff__sort_key", "staff_id")
    )
    page = Paginator(payslips, PAYSLIP_PAGE_SIZE).get_page(request.GET.get("page"))
    may_compute = permissions.may_compute_payroll(user, run.unit)
    may_approve = permissions.may_approve_payroll(user, run.unit)
    refusal = None
    if may_approve and run.status == PayrollRun.Status.COMPUTED:
        refusal = permissions.four_eyes_refusal(
            actor=user,
            act=permissions.Act.APPROVE,
            concerns=run.payslips.values_list("staff_id", flat=True),
            prepared_by_id=run.prepared_by_id,
        )
    return render(
        request,
        "payroll/runs/run_detail.html",
        {
            "run": run,
            "page": page,
            "statuses": PayrollRun.Status,
            "may_compute": may_compute and run.status in ("draft", "computed"),
            "may_approve": may_approve and run.status == "computed" and not refusal,
            "approval_refusal": refusal if may_approve else None,
            "may_return": may_approve and run.status in ("computed", "approved"),
            "may_lock": (may_approve or may_compute) and run.status == "approved",
            "may_compare": run.status in ("approved", "locked"),
            "may_export": permissions.may_export_payroll(user, run.unit),
            "return_form": ReturnForm(),
            "active_nav": "payroll",
        },
    )


def _act(request, pk: int, allowed, action, success: str):
    run = _run_or_404(request.user, pk)
    if not allowed(request.user, run.unit):
        raise PermissionDenied
    try:
        result = action(run)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
        for warning in getattr(result, "warnings", []):
            messages.warning(request, warning)
    return redirect("payroll:run_detail", pk=run.pk)


@require_POST
def run_compute(request, pk: int):
    """Compute (or recompute) a draft month; arrears of locked months included."""
    return _act(
        request, pk, permissions.may_compute_payroll,
        lambda run: run_services.payroll_run_compute(run=run, actor=request.user),
        _("The month was computed; it now awaits approval."),
    )  # fmt: skip


@require_POST
def run_approve(request, pk: int):
    """Approve a computed month (never the person who computed it, nor anyone it pays)."""
    return _act(
        request, pk, permissions.may_approve_payroll,
        lambda run: run_services.payroll_run_approve(run=run, actor=request.user),
        _("The month was approved."),
    )  # fmt: skip


@require_POST
def run_return(request, pk: int):
    """Send a computed or approved month back to the clerk, with the reason."""
    run = _run_or_404(request.user, pk)
    if not permissions.may_approve_payroll(request.user, run.unit):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reason for returning: give the reason; the clerk will read it."))
        return redirect("payroll:run_detail", pk=pk)
    return _act(
        request, pk, permissions.may_approve_payroll,
        lambda run: run_services.payroll_run_return(
            run=run, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("The month was sent back to the clerk."),
    )  # fmt: skip


def _may_lock(user, unit) -> bool:
    return permissions.may_approve_payroll(user, unit) or permissions.may_compute_payroll(
        user, unit
    )


@require_POST
def run_lock(request, pk: int):
    """Lock an approved month: it can never change again; corrections go to a later month."""
    return _act(
        request, pk, _may_lock,
        lambda run: run_services.payroll_run_lock(run=run, actor=request.user),
        _("The month is locked. Corrections will be paid as arrears in a later month."),
    )  # fmt: skip


@require_GET
def run_compare(request, pk: int):
    """Recompute the month with today's data and list who would be paid differently."""
    run = _run_or_404(request.user, pk)
    differences = run_services.payroll_run_compare(run=run)
    names = dict(
        Staff.objects.filter(pk__any=[d.staff_id for d in differences]).values_list(
            "pk", "full_name"
        )
    )
    return render(
        request,
        "payroll/runs/run_compare.html",
        {
            "run": run,
            "differences": [(names.get(d.staff_id, d.staff_id), d) for d in differences],
            "active_nav": "payroll",
        },
    )
