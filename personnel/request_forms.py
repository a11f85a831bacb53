"""Forms of change requests and scanned documents.

A proposal is validated by the very form a clerk edits the section with (``section_form_class``
or the section's row formset), so nothing reaches the record that the clerk's own edit would
refuse. What is stored is the form's submitted text; the clerk's screen binds the same form to
it again (edit, then approve).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from personnel.forms import section_form_class, section_formset_class
from personnel.models import Document, Notification, Staff
from personnel.sections import Section, visible_fields
from personnel.services.requests import MAX_DOCUMENTS_PER_REQUEST, document_content_type

ROWS = "rows"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScansField(forms.FileField):
    """Several scans at once (PDF, JPEG or PNG, each within the size cap)."""

    widget = MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_DOCUMENTS_PER_REQUEST:
            raise ValidationError(
                _("Attach at most %(count)s files.") % {"count": MAX_DOCUMENTS_PER_REQUEST}
            )
        for upload in files:
            document_content_type(upload)
        return files


class RequestNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Explanation for the personnel clerk"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    scans = ScansField(
        label=_("Scans supporting the change (PDF, JPEG or PNG)"),
        required=False,
    )


def section_fields(spec: Section) -> tuple[str, ...]:
    """The fields of a self-service section a staff member may propose (nothing sensitive)."""
    return visible_fields(spec, sensitive_allowed=False)


def proposal_form(spec: Section, staff: Staff, *, user, proposed: dict | None = None, data=None):
    """The section's form (a scalar section) or its one-new-row formset (a table), bound to
    ``data`` (a POST) or to stored ``proposed`` values, unbound when neither is given."""
    if spec.is_table:
        formset_class = section_formset_class(spec)
        if data is None and proposed is not None:
            data = {
                f"{ROWS}-TOTAL_FORMS": "1",
                f"{ROWS}-INITIAL_FORMS": "0",
                **{f"{ROWS}-0-{name}": value for name, value in proposed.items()},
            }
        return formset_class(data, instance=staff, prefix=ROWS, queryset=spec.model.objects.none())
    fields = section_fields(spec)
    form_class = section_form_class(spec, fields)
    if data is None and proposed is not None:
        data = {**proposed, "version": staff.version}
    form = form_class(data, instance=staff, user=user)
    form.fields["version"].required = False
    return form


def proposal_valid(spec: Section, form) -> bool:
    """Whether the proposal is valid and proposes something (a new row filled in)."""
    if not form.is_valid():
        return False
    if spec.is_table:
        row = form.forms[0]
        if not row.has_changed():
            form._non_form_errors = form.error_class([_("Fill in the row you propose to add.")])
            return False
        return True
    return True


def submitted_values(spec: Section, data) -> dict:
    """The text the user submitted for the section's fields (what a request stores)."""
    if spec.is_table:
        return {name: data.get(f"{ROWS}-0-{name}", "") for name in spec.row_fields}
    return {name: data.get(name, "") for name in section_fields(spec)}


def _shown(field, value) -> str:
    if value in (None, ""):
        return ""
    choices = getattr(field, "choices", None)
    if choices:
        labels = {str(key): label for key, label in choices}
        return str(labels.get(str(value), value))
    return str(value)


def _model_shown(instance, name: str) -> str:
    value = getattr(instance, name, None)
    display = getattr(instance, f"get_{name}_display", None)
    if display is not None and value not in (None, ""):
        return str(display())
    return "" if value is None else str(value)


def current_values(spec: Section, staff: Staff) -> dict:
    """What the record holds now, as shown (kept with a request for the side-by-side view)."""
    if spec.is_table:
        rows = spec.model.objects.filter(staff=staff)
        return {
            ROWS: [
                " · ".join(filter(None, (_model_shown(row, name) for name in spec.row_fields)))
                for row in rows
            ]
        }
    return {name: _model_shown(staff, name) for name in section_fields(spec)}


def comparison(spec: Section, form, previous: dict, proposed: dict) -> list[tuple[str, str, str]]:
    """(label, before, proposed) for each field, shown side by side."""
    fields = form.empty_form.fields if spec.is_table else form.fields
    if spec.is_table:
        before = "\n".join(previous.get(ROWS, [])) or "—"
        new = " · ".join(
            filter(None, (_shown(fields[name], proposed.get(name)) for name in spec.row_fields))
        )
        return [(str(_("Rows on record")), before, str(_("Add: %(row)s") % {"row": new}))]
    return [
        (
            str(fields[name].label),
            previous.get(name, ""),
            _shown(fields[name], proposed.get(name)),
        )
        for name in section_fields(spec)
        if name in fields
    ]


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejecting"), max_length=255)


class DocumentForm(forms.Form):
    """A scan attached to the record, to one of its rows or to a salary decision."""

    kind = forms.ChoiceField(label=_("Kind of paper"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    attach_to = forms.ChoiceField(label=_("Attached to"), required=False)
    file = forms.FileField(
        label=_("Scan (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, targets: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attach_to"].choices = [("", _("The record as a whole"))] + (targets or [])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        document_content_type(upload)
        return upload

    def target(self) -> tuple[str, int | None]:
        value = self.cleaned_data.get("attach_to") or ""
        if not value:
            return "", None
        kind, _sep, row_id = value.partition(":")
        return kind, int(row_id)


class NotificationSettingsForm(forms.Form):
    """Per kind of notification: in the app, by e-mail."""

    def __init__(self, *args, kinds=None, current: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds if kinds is not None else Notification.Kind.choices
        current = current or {}
        for kind, label in self.kinds:
            in_app, email = current.get(kind, (True, True))
            self.fields[f"{kind}__app"] = forms.BooleanField(
                label=_("%(kind)s — in the app") % {"kind": label},
                required=False,
                initial=in_app,
            )
            self.fields[f"{kind}__email"] = forms.BooleanField(
                label=_("%(kind)s — by e-mail") % {"kind": label},
                required=False,
                initial=email,
            )

    def choices(self) -> dict[str, tuple[bool, bool]]:
        return {
            kind: (self.cleaned_data[f"{kind}__app"], self.cleaned_data[f"{kind}__email"])
            for kind, _label in self.kinds
        }
