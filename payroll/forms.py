"""Forms of the salary screens. Fields are listed explicitly."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrms.lib.widgets import FastSelect
from payroll.models import SalaryRecord
from payroll.rules.progression import add_months
from payroll.selectors.due_lists import LISTS
from personnel.forms import UnitChoiceField
from personnel.models import OrgUnit, Rank


def _quarter_ahead() -> tuple[datetime.date, datetime.date]:
    """This month and the next two: the default period of a due list."""
    start = timezone.localdate().replace(day=1)
    return start, add_months(start, 3) - datetime.timedelta(days=1)


class DueListForm(forms.Form):
    list = forms.ChoiceField(label=_("List"), choices=list(LISTS.items()))
    unit = UnitChoiceField(
        label=_("Unit (with the units under it)"), queryset=OrgUnit.objects.none(), required=False
    )
    start = forms.DateField(label=_("From"))
    end = forms.DateField(label=_("To"))

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
        widgets = {"rank": FastSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rank"].queryset = Rank.objects.select_related("group")
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
