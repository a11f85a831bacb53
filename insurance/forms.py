"""Forms for the insurance screens. Fields are listed explicitly; every error names the field."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insurance.importers.statement import MAX_FILE_BYTES
from insurance.models import Absence, InsuranceProfile, InsuranceUnit
from payroll.services.runs import month_of
from personnel.forms import UnitChoiceField
from personnel.models import OrgUnit


class MonthField(forms.CharField):
    """A month typed as MM/YYYY (or YYYY-MM), cleaned to year × 100 + month."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"placeholder": "MM/YYYY", "inputmode": "numeric",
                                   "maxlength": "7"}),
        )  # fmt: skip
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            year, month = month_of(value)
        except ValidationError as error:
            raise forms.ValidationError(_("Month: enter it as MM/YYYY, e.g. 07/2026.")) from error
        if year < 2000:
            raise forms.ValidationError(_("Month: choose a month from 01/2000."))
        return year * 100 + month


def this_month() -> int:
    today = timezone.localdate()
    return today.year * 100 + today.month


def month_label(month: int) -> str:
    return f"{month % 100:02d}/{month // 100}"


class MonthUnitForm(forms.Form):
    """The unit subtree and the month of the insurance page, the register and the exports."""

    unit = UnitChoiceField(
        label=_("Unit (with the units under it)"), queryset=OrgUnit.objects.none()
    )
    month = MonthField(label=_("Month"))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()

    def clean_month(self):
        month = self.cleaned_data["month"]
        today = timezone.localdate()
        if month > (today.year + 1) * 100 + today.month:
            raise forms.ValidationError(_("Month: this is more than a year ahead."))
        return month


class StatementForm(forms.Form):
    """Uploading the office's monthly statement (C12-TS) of a reporting unit."""

    unit = UnitChoiceField(label=_("Reporting unit"), queryset=OrgUnit.objects.none())
    month = MonthField(label=_("Month"))
    file = forms.FileField(
        label=_("Statement (C12-TS, .xlsx)"),
        help_text=_(
            "The first sheet needs a heading row with the social-insurance number (or the "
            "personal ID) and the amounts: contribution salary, employee, employer or total."
        ),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()
        self.fields["file"].widget.attrs["accept"] = ".xlsx"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("File: the statement is larger than %(size)s MB.")
                % {"size": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class UpperField(forms.CharField):
    """An identifier stored in capitals, whatever was typed."""

    def to_python(self, value):
        return super().to_python(value).upper()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = InsuranceProfile
        fields = ["health_card_number", "hospital_name", "hospital_code", "book_held_by_unit"]
        field_classes = {"health_card_number": UpperField, "hospital_code": UpperField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, initial=self.instance.version
        )


class AbsenceForm(forms.ModelForm):
    class Meta:
        model = Absence
        fields = ["kind", "start", "end", "decision", "note"]
        widgets = {
            "start": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
            "end": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        }

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start and start < datetime.date(1960, 1, 1):
            raise forms.ValidationError(_("First day: this date is too early."))
        return start


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = InsuranceUnit
        fields = ["code", "office", "address"]
        field_classes = {"code": UpperField}
