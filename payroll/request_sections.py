"""Payroll's section of the staff's change requests (``personnel.request_sections``, registered
in ``PayrollConfig.ready``): a staff member proposes to register, correct or end a dependant of
the family deduction of personal income tax, with a scan (a birth certificate, a marriage
certificate…); the clerk's approval applies it through the same services as a clerk's own
entry, attributed to the approver with the request as reason (docs/rules.md §6.2, §10.8).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from payroll.forms import DependantEndForm, DependantForm
from payroll.models import Dependant
from payroll.services.pay_inputs import (
    DependantValues,
    dependant_correct,
    dependant_end,
    dependant_problems,
    dependant_register,
)
from personnel.request_sections import ADD, CHANGE, END, RequestSection

DEPENDANTS = "dependants"
FIELDS = ("full_name", "relation", "birth_date", "tax_code", "from_month", "to_month")


def dependant_rows(staff):
    """The person's registered dependants, current and past."""
    return Dependant.objects.filter(staff=staff).order_by("from_month", "id")


def dependant_values(dependant: Dependant) -> dict:
    """A dependant's values as the clerk's form shows them."""
    return {name: getattr(dependant, name) for name in FIELDS}


def dependant_label(dependant: Dependant) -> str:
    """ "Nguyễn Văn An · Child · 01/2024–" on one line."""
    months = f"{dependant.from_month:%m/%Y}–" + (
        f"{dependant.to_month:%m/%Y}" if dependant.to_month else ""
    )
    return " · ".join(
        filter(None, (dependant.full_name, str(dependant.get_relation_display()), months))
    )


def _values(values: dict) -> DependantValues:
    return DependantValues(
        full_name=values["full_name"],
        relation=values["relation"],
        from_month=values["from_month"],
        to_month=values.get("to_month"),
        birth_date=values.get("birth_date"),
        tax_code=values.get("tax_code") or "",
    )


def apply_dependant_request(*, staff, action: str, row, values: dict, actor, reason: str):
    """Apply an approved request through the dependant services (which refuse the actor's
    own record and name the field of any problem)."""
    if action == ADD:
        return dependant_register(staff=staff, values=_values(values), actor=actor, reason=reason)
    if action == CHANGE:
        return dependant_correct(dependant=row, values=_values(values), actor=actor, reason=reason)
    if action == END:
        return dependant_end(dependant=row, to_month=values["to_month"], actor=actor, reason=reason)
    raise ValueError(f"unknown action {action!r}")


def dependant_request_problems(*, staff, action: str, row, values: dict) -> dict[str, str]:
    """What the clerk's approval would refuse in a proposal (checked when it is sent)."""
    if action == END:
        if values["to_month"] < row.from_month:
            return {"to_month": _("To month: it comes before the first month of the deduction.")}
        return {}
    _cleaned, errors = dependant_problems(staff=staff, values=_values(values), exclude=row)
    return errors


DEPENDANTS_SECTION = RequestSection(
    key=DEPENDANTS,
    title=_("Registered dependants"),
    form_class=DependantForm,
    end_form_class=DependantEndForm,
    rows=dependant_rows,
    row_values=dependant_values,
    row_label=dependant_label,
    apply=apply_dependant_request,
    check=dependant_request_problems,
    actions=(ADD, CHANGE, END),
    may_end=lambda dependant: dependant.to_month is None,
    page_url=lambda staff: reverse("payroll:staff_pay", args=[staff.pk]) + "#dependants",
)
