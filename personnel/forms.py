"""Forms for personnel screens. Fields are always listed explicitly."""

from django import forms
from django.utils.translation import gettext_lazy as _

from personnel.models import OrgUnit, Staff


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit: OrgUnit) -> str:
        return f"{'— ' * (unit.depth - 1)}{unit.name}"


class StaffFilterForm(forms.Form):
    """Filters of the staff list; every value is checked against an allow-list."""

    unit = UnitChoiceField(
        label=_("Unit (with the units under it)"), queryset=OrgUnit.objects.none(), required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All"))] + Staff.Category.choices, required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + Staff.Status.choices, required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("name", _("Name (A–Z)")),
            ("-name", _("Name (Z–A)")),
            ("number", _("Staff number")),
            ("birth", _("Oldest first")),
            ("-birth", _("Youngest first")),
        ],
        required=False,
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
