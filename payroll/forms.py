"""Forms of the salary screens. Fields are listed explicitly."""

import datetime

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrms.lib.widgets import RankSelect
from payroll.models import AllowanceAssignment, AllowanceType, Dependant, SalaryRecord
from payroll.rules.progression import add_months
from payroll.selectors.due_lists import LISTS
from personnel.forms import UnitChoiceField
from personnel.models import OrgUnit, Rank
from personnel.validators import validate_planned


def _quarter_ahead() -> tuple[datetime.date, datetime.date]:
    """This month and the next two: the default period of a due list."""
    start = timezone.localdate().replace(day=1)
    return start, add_months(start, 3) - datetime.timedelta(days=1)


class DueListForm(forms.Form):
    list = forms.ChoiceField(label=_("List"), choices=list(LISTS.items()))
    unit = UnitChoiceField(
        label=_("Unit (with the units under it)"), queryset=OrgUnit.objects.none(), required=False
    )
    start = forms.DateField(label=_("From"), validators=[validate_planned])
    end = forms.DateField(label=_("To"), validators=[validate_planned])

    def __init__(self, data=None, *, units=None, **kwargs):
        start, end = _quarter_ahead()
        initial = {"list": "regular", "start": start, "end": end}
        if data is not None:
            defaults = {
                key: value.strftime("%d/%m/%Y") if isinstance(value, datetime.date) else value
                for key, value in initial.items()
            }
            data = {**defaults, **data.dict()}
        super().__init__(data, initial=initial, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end comes before the start."))
            elif (end - start).days > 3 * 366:
                self.add_error("end", _("Choose a range of at most three years."))
        return cleaned


class SalaryRecordForm(forms.ModelForm):
    """A salary decision entered by hand; it becomes a draft awaiting approval."""

    class Meta:
        model = SalaryRecord
        fields = [
            "kind", "decision_number", "decision_date", "effective_date", "rank", "step",
            "step_since", "beyond_scale_percent", "beyond_scale_since", "leadership_coefficient",
            "reserved_coefficient", "other_allowances", "note",
        ]  # fmt: skip
        widgets = {"rank": RankSelect}

    def __init__(self, *args, ranks=None, coefficients=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rank"].queryset = (
            ranks if ranks is not None else Rank.objects.all()
        ).select_related("group")
        self.fields["rank"].widget.coefficients = coefficients or {}
        self.fields["step_since"].required = False
        self.fields["step"].required = False
        self.fields["step"].help_text = _(
            "For a promotion, leave empty: the step with the equal or next higher coefficient is "
            "chosen (beyond-scale seniority included), time on the old step carries over when "
            "the gain is small, and a difference the last step cannot cover is kept as a "
            "reserved coefficient."
        )
        self.fields["step_since"].help_text = _(
            "Left empty: a new step or rank counts from the effective date, and a decision that "
            "keeps rank and step (an allowance change, a correction) keeps the date the step "
            "counted from. Enter a date only to correct it."
        )
        self.fields["beyond_scale_since"].help_text = _(
            "Left empty: a new percentage counts from the effective date, and an unchanged "
            "percentage keeps the date it was granted."
        )


PUBLIC_EMPLOYEE_TITLE = "V."  # codes of viên chức titles (V.07.05.15); ranks are 01.003 …


def ranks_for(*, category: str, current_rank: Rank | None) -> "models.QuerySet[Rank]":
    """The ranks a salary decision of a person usually names: titles of public employees
    (codes V.…) for viên chức, ranks of civil servants for cán bộ and công chức, and within
    titles those of the current title's sector (V.07: education). Everyone else, and a
    person whose current rank falls outside, gets every rank in force."""
    ranks = Rank.objects.filter(valid_to__isnull=True)
    current_code = current_rank.code if current_rank else ""
    if category == "public_employee":
        ranks = ranks.filter(code__startswith=PUBLIC_EMPLOYEE_TITLE)
        if current_code.startswith(PUBLIC_EMPLOYEE_TITLE):
            sector = ".".join(current_code.split(".")[:2]) + "."
            ranks = ranks.filter(code__startswith=sector)
    elif category in ("cadre", "civil_servant"):
        ranks = ranks.exclude(code__startswith=PUBLIC_EMPLOYEE_TITLE)
    else:
        return Rank.objects.all()
    if current_rank is not None:
        ranks = ranks | Rank.objects.filter(pk=current_rank.pk)
    return ranks


class DecisionActionForm(forms.Form):
    """Approve or reject the ticked drafts; a rejection needs its reason."""

    records = forms.ModelMultipleChoiceField(
        label=_("Drafts"),
        queryset=SalaryRecord.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": _("Tick at least one draft you may approve."),
            "invalid_choice": _("One of the ticked drafts is no longer waiting for your decision."),
            "invalid_pk_value": _(
                "One of the ticked drafts is no longer waiting for your decision."
            ),
        },
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=80, required=False)
    reason = forms.CharField(label=_("Reason for rejecting"), max_length=255, required=False)

    def __init__(self, *args, records=None, approve: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.approve = approve
        if records is not None:
            self.fields["records"].queryset = records

    def clean_reason(self):
        reason = " ".join(self.cleaned_data.get("reason", "").split())
        if not self.approve and not reason:
            raise forms.ValidationError(
                _("Reason for rejecting: give the reason; the clerk who prepared it will read it.")
            )
        return reason


# --- A person's pay inputs (allowances, dependants, union membership, bank account) ---------


def _model_field(model, name: str, **kwargs):
    """The form field of a model field: its label, help text and widget, without the model's
    own validation (the pay-input services check everything and name the field)."""
    return model._meta.get_field(name).formfield(**kwargs)


class MonthField(forms.DateField):
    """A month typed as MM/YYYY (a full date is accepted too); cleaned to its first day."""

    input_formats = ["%m/%Y", "%Y-%m", "%d/%m/%Y", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("Enter a month as MM/YYYY, e.g. 07/2026.")}

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.DateInput(format="%m/%Y", attrs={"placeholder": "MM/YYYY"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class AllowanceForm(forms.Form):
    """A person's allowance of their own; its kind is fixed once recorded."""

    allowance_type = _model_field(AllowanceAssignment, "allowance_type")
    value = _model_field(AllowanceAssignment, "value", required=False, localize=True)
    valid_from = _model_field(AllowanceAssignment, "valid_from")
    valid_to = _model_field(AllowanceAssignment, "valid_to")
    since = _model_field(AllowanceAssignment, "since")
    decision = _model_field(AllowanceAssignment, "decision")
    note = _model_field(AllowanceAssignment, "note")

    def __init__(self, *args, types=None, fixed_type=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["allowance_type"]
        if fixed_type is not None:
            field.queryset = AllowanceType.objects.filter(pk=fixed_type.pk)
            field.initial = fixed_type.pk
            field.disabled = True
        elif types is not None:
            field.queryset = types
        self.fields["value"].help_text = _(
            "A coefficient (0.2) or a percentage (10) by the kind of allowance. For professional "
            "seniority leave 0: the percentage follows from the date it counts from."
        )


class AllowanceEndForm(forms.Form):
    valid_to = forms.DateField(
        label=_("Last day paid"), help_text=_("The allowance is paid up to and including this day.")
    )


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for removing"),
        max_length=200,
        help_text=_("Only a row recorded by mistake and never paid in a locked month."),
    )


class DependantForm(forms.Form):
    full_name = _model_field(Dependant, "full_name")
    relation = _model_field(Dependant, "relation")
    birth_date = _model_field(Dependant, "birth_date")
    tax_code = _model_field(Dependant, "tax_code")
    from_month = MonthField(
        label=_("From month"), help_text=_("The first month the deduction counts.")
    )
    to_month = MonthField(
        label=_("To month"), required=False, help_text=_("Empty while the deduction continues.")
    )


class DependantEndForm(forms.Form):
    to_month = MonthField(label=_("To month"), help_text=_("The last month the deduction counts."))


class PayProfileForm(forms.Form):
    """Union membership and the bank account; the account is never sent back to the browser
    unless it is revealed: left empty, the recorded one is kept."""

    union_member = forms.BooleanField(label=_("Union member"), required=False)
    union_month = MonthField(
        label=_("Joined or left the union from month"),
        required=False,
        help_text=_("When membership changes: the first month it counts from (empty: this month)."),
    )
    bank_account = forms.CharField(label=_("Bank account number"), max_length=40, required=False)
    bank_name = forms.CharField(label=_("Bank"), max_length=120, required=False)
    no_account = forms.BooleanField(
        label=_("No bank account (paid in cash): clear the recorded one"), required=False
    )

    def __init__(self, *args, masked_account: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if masked_account:
            self.fields["bank_account"].help_text = _(
                "Leave empty to keep the recorded account %(account)s."
            ) % {"account": masked_account}
