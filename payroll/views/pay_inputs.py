"""A person's pay inputs under their record (``/staff/<id>/pay/``): allowances of their own,
registered dependants, union membership and the bank account.

Whoever may view the record sees the page; the bank account is a sensitive item, masked until a
logged reveal (the record's reveal window; staff see their own). Clerks with the change
permission edit, never their own record (``permissions.may_edit_pay_inputs``); every write goes
through ``payroll.services.pay_inputs``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from payroll.forms import (
    AllowanceEndForm,
    AllowanceForm,
    DependantEndForm,
    DependantForm,
    PayProfileForm,
    RemoveForm,
)
from payroll.models import AllowanceAssignment, Dependant
from payroll.selectors.pay_inputs import (
    covers_locked_month,
    locked_periods,
    mask_account,
    pay_inputs_of,
)
from payroll.services import pay_inputs as services
from personnel import permissions
from personnel.models import AccessLogEntry, Staff
from personnel.services import access_log_record


def _staff(request, pk: int) -> Staff:
    return permissions.staff_or_404(
        request.user, pk, queryset=Staff.objects.select_related("unit", "rank")
    )


def _editable(request, pk: int) -> Staff:
    """The record, when the user may edit its pay inputs (404 out of scope, 403 in scope but
    not allowed: a unit head, or one's own record)."""
    staff = _staff(request, pk)
    if not permissions.may_edit_pay_inputs(request.user, staff):
        raise PermissionDenied
    return staff


def _pay_url(staff: Staff, anchor: str = "") -> str:
    url = reverse("payroll:staff_pay", args=[staff.pk])
    return f"{url}#{anchor}" if anchor else url


def _add_errors(form, error: ValidationError) -> None:
    """A service's refusal on the form: next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _form_page(request, staff, *, form, title, intro="", submit, back, remove=None):
    return render(
        request,
        "payroll/pay_form.html",
        {
            "staff": staff,
            "form": form,
            "title": title,
            "intro": intro,
            "submit": submit,
            "back": back,
            "remove": remove,
            "active_nav": "staff",
        },
    )


@require_GET
def staff_pay(request, pk: int):
    """The person's allowances (current and past), dependants, union membership and bank
    account (masked until revealed). The view is logged, saying whether the account showed."""
    staff = _staff(request, pk)
    caps = permissions.record_capabilities(request, staff)
    inputs = pay_inputs_of(staff=staff, on=timezone.localdate())
    account = inputs.profile.bank_account if inputs.profile else ""
    shown = bool(account) and caps.revealed
    access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.VIEW,
        staff=staff,
        request=request,
        detail={"page": "pay", "bank_account_shown": shown},
    )
    return render(
        request,
        "payroll/staff_pay.html",
        {
            "staff": staff,
            "inputs": inputs,
            "account": account if shown else mask_account(account),
            "account_shown": shown,
            "may_reveal": bool(account) and caps.may_reveal,
            "may_edit": permissions.may_edit_pay_inputs(request.user, staff),
            "own": caps.own,
            "active_nav": "me" if caps.own else "staff",
        },
    )


@require_POST
def staff_pay_reveal(request, pk: int):
    """Show the bank account for the record's reveal window; the reveal is logged."""
    staff = _staff(request, pk)
    if not permissions.may_see_sensitive(request.user, staff):
        raise PermissionDenied
    access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.REVEAL_SENSITIVE,
        staff=staff,
        request=request,
        detail={"items": ["bank_account"]},
    )
    permissions.reveal_start(request.session, staff)
    return redirect(_pay_url(staff, "profile"))


# --- Allowances ----------------------------------------------------------------------------


def _assignment(staff: Staff, item: int) -> AllowanceAssignment:
    assignment = (
        AllowanceAssignment.objects.select_related("allowance_type")
        .filter(staff=staff, pk=item)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def _allowance_values(data: dict, allowance_type) -> services.AllowanceValues:
    return services.AllowanceValues(
        allowance_type=allowance_type,
        valid_from=data["valid_from"],
        value=data.get("value") or 0,
        since=data.get("since"),
        valid_to=data.get("valid_to"),
        decision=data.get("decision", ""),
        note=data.get("note", ""),
    )


@require_http_methods(["GET", "POST"])
def staff_pay_allowance_new(request, pk: int):
    """Grant the person an allowance of their own."""
    staff = _editable(request, pk)
    form = AllowanceForm(
        request.POST or None, types=services.assignable_types(timezone.localdate())
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.allowance_assign(
                staff=staff,
                values=_allowance_values(data, data["allowance_type"]),
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The allowance was recorded."))
            return redirect(_pay_url(staff, "allowances"))
    return _form_page(
        request,
        staff,
        form=form,
        title=_("Grant an allowance"),
        intro=_(
            "Leadership, beyond-scale seniority and the reserved difference come with the "
            "salary decision; the area and public-service allowances with the unit."
        ),
        submit=_("Save"),
        back=_pay_url(staff, "allowances"),
    )


@require_http_methods(["GET", "POST"])
def staff_pay_allowance_edit(request, pk: int, item: int):
    """Correct a recorded allowance (its kind stays); a row never paid may be removed."""
    staff = _editable(request, pk)
    assignment = _assignment(staff, item)
    initial = {
        name: getattr(assignment, name)
        for name in ("since", "valid_from", "valid_to", "decision", "note")
    }
    value = assignment.value
    initial["value"] = int(value) if value == value.to_integral() else value.normalize()
    form = AllowanceForm(
        request.POST or None, initial=initial, fixed_type=assignment.allowance_type
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.allowance_correct(
                assignment=assignment,
                values=_allowance_values(form.cleaned_data, assignment.allowance_type),
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The allowance was corrected."))
            return redirect(_pay_url(staff, "allowances"))
    return _form_page(
        request,
        staff,
        form=form,
        title=_("Correct an allowance: %(name)s") % {"name": assignment.allowance_type.name},
        intro=_(
            "Months already locked keep what was paid; the next payroll pays or recovers the "
            "difference as arrears. To stop the allowance, end it instead."
        ),
        submit=_("Save"),
        back=_pay_url(staff, "allowances"),
        remove=None
        if covers_locked_month(assignment.valid_from, assignment.valid_to, locked_periods(staff.pk))
        else {
            "form": RemoveForm(),
            "url": reverse("payroll:staff_pay_allowance_remove", args=[staff.pk, assignment.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def staff_pay_allowance_end(request, pk: int, item: int):
    """End an allowance: the last day it is paid."""
    staff = _editable(request, pk)
    assignment = _assignment(staff, item)
    form = AllowanceEndForm(request.POST or None, initial={"valid_to": assignment.valid_to})
    if request.method == "POST" and form.is_valid():
        try:
            services.allowance_end(
                assignment=assignment,
                valid_to=form.cleaned_data["valid_to"],
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The allowance was ended."))
            return redirect(_pay_url(staff, "allowances"))
    return _form_page(
        request,
        staff,
        form=form,
        title=_("End an allowance: %(name)s") % {"name": assignment.allowance_type.name},
        submit=_("End the allowance"),
        back=_pay_url(staff, "allowances"),
    )


@require_POST
def staff_pay_allowance_remove(request, pk: int, item: int):
    """Remove an allowance recorded by mistake (refused once a locked month paid it)."""
    staff = _editable(request, pk)
    assignment = _assignment(staff, item)
    form = RemoveForm(request.POST)
    back = reverse("payroll:staff_pay_allowance_edit", args=[staff.pk, assignment.pk])
    if not form.is_valid():
        messages.error(
            request, _("Reason for removing: say why the row is removed; nothing was removed.")
        )
        return redirect(back)
    try:
        services.allowance_remove(
            assignment=assignment, reason=form.cleaned_data["reason"], actor=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(request, _("The allowance was removed."))
    return redirect(_pay_url(staff, "allowances"))


# --- Dependants ----------------------------------------------------------------------------


def _dependant(staff: Staff, item: int) -> Dependant:
    dependant = Dependant.objects.filter(staff=staff, pk=item).first()
    if dependant is None:
        raise Http404
    return dependant


def _dependant_values(data: dict) -> services.DependantValues:
    return services.DependantValues(
        full_name=data["full_name"],
        relation=data["relation"],
        from_month=data["from_month"],
        to_month=data.get("to_month"),
        birth_date=data.get("birth_date"),
        tax_code=data.get("tax_code", ""),
    )


@require_http_methods(["GET", "POST"])
def staff_pay_dependant_new(request, pk: int):
    """Register a dependant for the family deduction."""
    staff = _editable(request, pk)
    form = DependantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dependant_register(
                staff=staff, values=_dependant_values(form.cleaned_data), actor=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The dependant was registered."))
            return redirect(_pay_url(staff, "dependants"))
    return _form_page(
        request,
        staff,
        form=form,
        title=_("Register a dependant"),
        intro=_("Each registered dependant lowers the income tax of the months they count for."),
        submit=_("Save"),
        back=_pay_url(staff, "dependants"),
    )


@require_http_methods(["GET", "POST"])
def staff_pay_dependant_edit(request, pk: int, item: int):
    """Correct a registered dependant."""
    staff = _editable(request, pk)
    dependant = _dependant(staff, item)
    initial = {
        name: getattr(dependant, name)
        for name in ("full_name", "relation", "birth_date", "tax_code", "from_month", "to_month")
    }
    form = DependantForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.dependant_correct(
                dependant=dependant,
                values=_dependant_values(form.cleaned_data),
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The dependant was corrected."))
            return redirect(_pay_url(staff, "dependants"))
    return _form_page(
        request,
        staff,
        form=form,
        title=_("Correct a dependant: %(name)s") % {"name": dependant.full_name},
        submit=_("Save"),
        back=_pay_url(staff, "dependants"),
    )


@require_http_methods(["GET", "POST"])
def staff_pay_dependant_end(request, pk: int, item: int):
    """End a dependant's deduction with its last month."""
    staff = _editable(request, pk)
    dependant = _dependant(staff, item)
    form = DependantEndForm(request.POST or None, initial={"to_month": dependant.to_month})
    if request.method == "POST" and form.is_valid():
        try:
            services.dependant_end(
                dependant=dependant, to_month=form.cleaned_data["to_month"], actor=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The dependant's deduction was ended."))
            return redirect(_pay_url(staff, "dependants"))
    return _form_page(
        request,
        staff,
        form=form,
        title=_("End a dependant's deduction: %(name)s") % {"name": dependant.full_name},
        submit=_("End the deduction"),
        back=_pay_url(staff, "dependants"),
    )


# --- Union membership and bank account ----------------------------------------------------


@require_http_methods(["GET", "POST"])
def staff_pay_profile(request, pk: int):
    """Union membership, bank account and bank. The recorded account is filled in only while
    it is revealed; left empty, it is kept."""
    staff = _editable(request, pk)
    caps = permissions.record_capabilities(request, staff)
    profile = pay_inputs_of(staff=staff, on=timezone.localdate()).profile
    account = profile.bank_account if profile else ""
    initial = {
        "union_member": profile.union_member if profile else False,
        "bank_name": profile.bank_name if profile else "",
        "bank_account": account if caps.revealed else "",
    }
    if request.method == "GET" and account and caps.revealed:
        access_log_record(
            user=request.user,
            action=AccessLogEntry.Action.REVEAL_SENSITIVE,
            staff=staff,
            request=request,
            detail={"items": ["bank_account"], "for": "edit"},
        )
    form = PayProfileForm(
        request.POST or None,
        initial=initial,
        masked_account="" if caps.revealed else mask_account(account),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["no_account"]:
            bank_account, bank_name = "", ""
        else:
            bank_account = data["bank_account"] or None  # empty: keep the recorded one
            bank_name = data["bank_name"]
        try:
            services.pay_profile_update(
                staff=staff,
                union_member=data["union_member"],
                union_month=data.get("union_month"),
                bank_account=bank_account,
                bank_name=bank_name,
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Union membership and bank account saved."))
            return redirect(_pay_url(staff, "profile"))
    return _form_page(
        request,
        staff,
        form=form,
        title=_("Union membership and bank account"),
        intro=_("The bank account is a sensitive item: it is shown only after a logged reveal."),
        submit=_("Save"),
        back=_pay_url(staff, "profile"),
    )
