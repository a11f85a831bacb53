"""Forms for the personnel screens. Fields are always listed explicitly; every error message
names the field and the problem in the user's language."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import F
from django.forms import inlineformset_factory, modelform_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrms.lib.db import PartialDateStart
from hrms.lib.images import bounded_jpeg
from hrms.lib.partial_dates import PartialDate
from hrms.lib.vietnamese import nfc
from hrms.lib.widgets import FastSelect, UnitSelect
from personnel import permissions
from personnel.models import (
    AnnualRating,
    Certificate,
    Discipline,
    DisciplineType,
    OrgUnit,
    Rank,
    RatingLevel,
    Staff,
    StaffGroup,
    Training,
    WorkHistory,
)
from personnel.sections import Section
from personnel.services import duplicate_message
from personnel.validators import personal_id_warnings, validate_planned


def today() -> datetime.date:
    return timezone.localdate()


class UnitChoiceField(forms.ModelChoiceField):
    widget = UnitSelect

    def label_from_instance(self, unit: OrgUnit) -> str:
        label = f"{'— ' * (unit.depth - 1)}{unit.name}"
        if unit.valid_to is not None:
            return f"{label} ({_('ended')})"
        return label


AGE_BANDS = {
    "under30": (None, 29),
    "30to39": (30, 39),
    "40to49": (40, 49),
    "50to54": (50, 54),
    "55to59": (55, 59),
    "60plus": (60, None),
}


class StaffFilterForm(forms.Form):
    """Search and filters of the staff list; every value is checked against an allow-list."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("Name, staff number or ID number"), "type": "search"}
        ),
    )
    unit = UnitChoiceField(
        label=_("Unit (with the units under it)"), queryset=OrgUnit.objects.none(), required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All"))] + Staff.Category.choices, required=False
    )
    rank = forms.ModelChoiceField(
        label=_("Rank or title"), queryset=Rank.objects.all(), required=False, widget=FastSelect
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + Staff.Status.choices, required=False
    )
    age = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[
            ("", _("All")),
            ("under30", _("Under 30")),
            ("30to39", _("30–39")),
            ("40to49", _("40–49")),
            ("50to54", _("50–54")),
            ("55to59", _("55–59")),
            ("60plus", _("60 and over")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("", _("Best match, then name")),
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


# --- Dossier sections ------------------------------------------------------------------------

DATE_ORDER_RULES = [
    # (earlier field, later field, message)
    ("party_admission_date", "party_official_date",
     _("Official Party membership cannot come before admission.")),
    ("military_enlisted", "military_discharged", _("Discharge cannot come before enlistment.")),
]  # fmt: skip
NOT_BEFORE_BIRTH = [
    "personal_id_issued_on", "recruitment_date", "position_since", "party_admission_date",
    "party_official_date", "military_enlisted", "military_discharged",
]  # fmt: skip
# The appointment date may be planned (an appointment decided ahead): up to five years ahead,
# like the other planned dates (personnel.validators).
NOT_IN_FUTURE = [
    "birth_date", "personal_id_issued_on", "recruitment_date", "party_admission_date",
    "party_official_date", "military_enlisted", "military_discharged",
]  # fmt: skip


# Dates of the record's tables that a date of birth may not come after.
ROW_DATES = [(Training, "start"), (WorkHistory, "start"), (Certificate, "issued_on")]


def _first_day(value):
    if isinstance(value, PartialDate):
        return value.first_day
    return value


class StaffFieldsForm(forms.ModelForm):
    """Base of the per-section forms of a staff record, with the record-wide checks."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.warnings: list[str] = []
        if self.instance.pk and "version" not in self.initial:
            self.initial["version"] = self.instance.version
        for name in ("full_name", "other_names"):
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_full_name(self):
        return " ".join(nfc(self.cleaned_data["full_name"]).split())

    def clean_personal_id(self):
        value = (self.cleaned_data.get("personal_id") or "").strip() or None
        if value:
            existing = Staff.objects.filter(personal_id=value).exclude(pk=self.instance.pk).first()
            if existing is not None:
                shown = (
                    existing if self.user and permissions.may_view(self.user, existing) else None
                )
                raise ValidationError(duplicate_message(shown), code="duplicate_person")
        return value

    def clean(self):
        cleaned = super().clean()
        record = {
            name: cleaned.get(name, getattr(self.instance, name, None)) for name in NOT_BEFORE_BIRTH
        }
        birth = cleaned.get("birth_date", self.instance.birth_date if self.instance.pk else None)
        for name in NOT_IN_FUTURE:
            value = cleaned.get(name)
            if name in self.fields and value and _first_day(value) > today():
                self.add_error(name, _("This date is in the future."))
        if birth:
            for name in NOT_BEFORE_BIRTH:
                value = record.get(name)
                if name in self.fields and value and _first_day(value) < birth.first_day:
                    self.add_error(name, _("This date is before the date of birth."))
            if "birth_date" in self.fields and self.instance.pk:
                self._check_birth_against_the_record(birth, record)
        for earlier, later, message in DATE_ORDER_RULES:
            first, second = cleaned.get(earlier), cleaned.get(later)
            if earlier in self.fields and first and second and second < first:
                self.add_error(later, message)
        personal_id = cleaned.get("personal_id", self.instance.personal_id)
        sex = cleaned.get("sex", self.instance.sex)
        if (
            "personal_id" in self.fields or "birth_date" in self.fields or "sex" in self.fields
        ) and (personal_id):
            self.warnings = personal_id_warnings(
                personal_id, sex=sex, birth_year=birth.year if birth else None
            )
        return cleaned

    def _check_birth_against_the_record(self, birth: PartialDate, record: dict) -> None:
        """A date of birth after a date kept elsewhere on the record (another section, a
        movement, a table row) is refused here, naming that date."""
        later = [
            (Staff._meta.get_field(name).verbose_name, _first_day(record[name]))
            for name in NOT_BEFORE_BIRTH
            if name not in self.fields and record.get(name)
        ]
        first_movement = self.instance.movements.order_by("effective_date").first()
        if first_movement is not None:
            later.append((first_movement.get_kind_display(), first_movement.effective_date))
        for model, name in ROW_DATES:
            row = (
                model.objects.filter(staff=self.instance)
                .exclude(**{name: ""})
                .order_by(PartialDateStart(F(name)))
            )
            value = getattr(row.first(), name, None)
            if value is not None:
                later.append((model._meta.get_field(name).verbose_name, _first_day(value)))
        for label, day in later:
            if day and day < birth.first_day:
                self.add_error(
                    "birth_date",
                    _("The record holds an earlier date: %(what)s, %(date)s.")
                    % {"what": label, "date": day.strftime("%d/%m/%Y")},
                )
                return


def section_form_class(section: Section, fields: tuple[str, ...]) -> type[StaffFieldsForm]:
    """A form for the given fields of one section (the user may see only some of them)."""
    widgets = {
        name: forms.Textarea(attrs={"rows": 3})
        for name in fields
        if name in {"main_duties", "history_detention", "history_foreign_orgs",
                    "history_relatives_abroad", "assessment"}
    }  # fmt: skip
    return modelform_factory(Staff, form=StaffFieldsForm, fields=list(fields), widgets=widgets)


class RatingLevelField(forms.ModelChoiceField):
    """Rating levels; a name used by more than one set of levels says the years of its set, so
    the renamed sets never look alike (docs/rules.md §4.2)."""

    def label_from_instance(self, level: RatingLevel) -> str:
        if not hasattr(self, "_repeated"):
            names = [other.name for other in self.queryset]
            self._repeated = {name for name in names if names.count(name) > 1}
        if level.name not in self._repeated:
            return level.name
        if level.valid_to:
            return _("%(name)s (until %(year)s)") % {"name": level.name,
                                                     "year": level.valid_to.year}  # fmt: skip
        return _("%(name)s (from %(year)s)") % {"name": level.name,
                                                "year": level.valid_from.year}  # fmt: skip


class StaffRowsFormSet(forms.BaseInlineFormSet):
    """Rows of one of the record's tables, with date-range checks across each row. Forms of
    discipline and rating levels are those of the person's regime (cán bộ and công chức, or
    viên chức and contract staff; docs/rules.md §4.2)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        regime = StaffGroup.of_category(self.instance.category)
        if self.model is Discipline and "kind" in form.fields:
            field = form.fields["kind"]
            field.queryset = DisciplineType.objects.filter(applies_to=regime)
            field.error_messages["invalid_choice"] = _(
                "Form of discipline: choose one of the forms for %(regime)s."
            ) % {"regime": StaffGroup(regime).label.lower()}
        if self.model is AnnualRating and "level" in form.fields:
            old = form.fields["level"]
            form.fields["level"] = RatingLevelField(
                queryset=RatingLevel.objects.filter(applies_to__in=["", regime]).order_by(
                    "sort_order", "name"
                ),
                label=old.label,
                required=old.required,
                error_messages={
                    "invalid_choice": _("Rating: choose one of the levels for %(regime)s.")
                    % {"regime": StaffGroup(regime).label.lower()}
                },
            )

    def clean(self):
        years = set()
        found_errors = False
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            data = form.cleaned_data
            errors_before = len(form.errors)
            start, end = data.get("start"), data.get("end")
            if start and _first_day(start) > today() and self.model is not WorkHistory:
                # work history may be planned: a transfer opens the new unit's period ahead
                form.add_error("start", _("This date is in the future."))
            birth = self.instance.date_of_birth
            for name in ("start", "date", "issued_on"):
                value = data.get(name)
                if birth and value and _first_day(value) < birth and name not in form.errors:
                    form.add_error(name, _("This date is before the date of birth."))
            if start and end and end < start:
                form.add_error("end", _("The end comes before the start."))
            for name in ("date", "issued_on"):
                value = data.get(name)
                if value and _first_day(value) > today():
                    form.add_error(name, _("This date is in the future."))
            year = data.get("year")
            if year and year > today().year:
                form.add_error("year", _("This year is in the future."))
            if year and self.model is AnnualRating:
                if year in years:
                    form.add_error("year", _("There is already a rating for this year."))
                years.add(year)
            found_errors |= len(form.errors) > errors_before
        if not found_errors:
            super().clean()  # uniqueness against the saved rows


def section_formset_class(section: Section):
    widgets = {"details": forms.Textarea(attrs={"rows": 2})}
    return inlineformset_factory(
        Staff,
        section.model,
        formset=StaffRowsFormSet,
        fields=list(section.row_fields),
        widgets={name: widget for name, widget in widgets.items() if name in section.row_fields},
        extra=1,
        can_delete=True,
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class StaffCreateForm(StaffFieldsForm):
    """The essentials of a new record; the other sections are filled in afterwards."""

    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Staff
        fields = [
            "staff_number", "full_name", "birth_date", "sex", "category", "personal_id",
            "recruitment_date", "position_title",
        ]  # fmt: skip

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()
        self.order_fields(["unit", *self.Meta.fields])
        self.fields["birth_date"].required = True
        self.fields["personal_id"].required = True


class TransferForm(forms.Form):
    to_unit = UnitChoiceField(
        label=_("To unit"), queryset=OrgUnit.objects.filter(valid_to__isnull=True)
    )
    effective_date = forms.DateField(label=_("Effective date"), validators=[validate_planned])
    decision = forms.CharField(label=_("Decision number and date"), max_length=160, required=False)
    position = forms.CharField(label=_("New position"), max_length=160, required=False)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class StatusChangeForm(forms.Form):
    effective_date = forms.DateField(label=_("Effective date"), validators=[validate_planned])
    decision = forms.CharField(label=_("Decision number and date"), max_length=160, required=False)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


PHOTO_BOX = (600, 800)  # a 4×6 portrait at 100 dpi and then some


class PhotoForm(forms.ModelForm):
    """A new photo: a JPEG or PNG of at most 2 MB and 40 megapixels, stored re-encoded as a
    JPEG of at most 600 × 800 pixels without its metadata (hrms.lib.images)."""

    photo = forms.FileField(label=Staff._meta.get_field("photo").verbose_name)
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Staff
        fields = ["photo"]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not isinstance(photo, UploadedFile):  # nothing sent: the field holds the old one
            raise ValidationError(_("Choose a photo file."))
        return bounded_jpeg(photo, box=PHOTO_BOX, name="photo.jpg")
