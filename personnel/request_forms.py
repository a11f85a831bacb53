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
from personnel.request_sections import (
    ADD,
    CHANGE,
    DOSSIER_TABLE_ACTIONS,
    END,
    REMOVE,
    RequestSection,
    rows_of,
)
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


def is_table(spec) -> bool:
    """A table of rows (a dossier table or a registered section) rather than a group of fields."""
    return isinstance(spec, RequestSection) or spec.is_table


def table_actions(spec) -> tuple[str, ...]:
    """What may be proposed on a table's rows."""
    return spec.actions if isinstance(spec, RequestSection) else DOSSIER_TABLE_ACTIONS


class NoValuesForm(forms.Form):
    """A removal proposes no values (the reason is the request's note)."""


def _row_formset(spec: Section, staff: Staff, row, data):
    formset_class = section_formset_class(spec)
    if row is None:
        return formset_class(data, instance=staff, prefix=ROWS, queryset=spec.model.objects.none())
    one_row = type("OneRowFormSet", (formset_class,), {"extra": 0, "max_num": 1})
    return one_row(data, instance=staff, prefix=ROWS, queryset=spec.model.objects.filter(pk=row.pk))


def proposal_form(
    spec,
    staff: Staff,
    *,
    user,
    action: str = "",
    row=None,
    proposed: dict | None = None,
    data=None,
):
    """The form a clerk edits the section with, bound to ``data`` (a POST) or to stored
    ``proposed`` values, unbound (showing ``row``'s values) when neither is given: a scalar
    section's form; a dossier table's formset of the one row added or corrected; a registered
    section's row form or end form; an empty form for a removal."""
    if action == REMOVE:
        return NoValuesForm(data if data is not None else ({} if proposed is not None else None))
    if isinstance(spec, RequestSection):
        form_class = spec.end_form_class if action == END else spec.form_class
        initial = spec.row_values(row) if row is not None else None
        return form_class(data if data is not None else proposed, initial=initial)
    if spec.is_table:
        if data is None and proposed is not None:
            data = {
                f"{ROWS}-TOTAL_FORMS": "1",
                f"{ROWS}-INITIAL_FORMS": "0" if row is None else "1",
                **({f"{ROWS}-0-id": str(row.pk)} if row is not None else {}),
                **{f"{ROWS}-0-{name}": value for name, value in proposed.items()},
            }
        return _row_formset(spec, staff, row, data)
    fields = section_fields(spec)
    form_class = section_form_class(spec, fields)
    if data is None and proposed is not None:
        data = {**proposed, "version": staff.version}
    form = form_class(data, instance=staff, user=user)
    form.fields["version"].required = False
    return form


def proposal_valid(spec, form, *, action: str = "", proposing: bool = False) -> bool:
    """Whether the proposal is valid and proposes something: a new row filled in, a row
    corrected with at least one value changed (checked when proposing)."""
    if not form.is_valid():
        return False
    if isinstance(form, forms.BaseFormSet):
        row = form.forms[0] if form.forms else None
        if row is None:
            form._non_form_errors = form.error_class([_("The row is not on the record.")])
            return False
        if action != CHANGE and not row.has_changed():
            form._non_form_errors = form.error_class([_("Fill in the row you propose to add.")])
            return False
        if action == CHANGE and proposing and not row.has_changed():
            form._non_form_errors = form.error_class([_("Change at least one value of the row.")])
            return False
        return True
    if action == CHANGE and proposing and not form.has_changed():
        form.add_error(None, _("Change at least one value of the row."))
        return False
    return True


def form_fields(spec, action: str = "") -> dict[str, forms.Field]:
    """The fields a proposal's values are shown with (labels, choices)."""
    if isinstance(spec, RequestSection):
        fields = dict(spec.form_class.base_fields)
        if spec.end_form_class is not None:
            fields.update(spec.end_form_class.base_fields)
        return fields
    if spec.is_table:
        return dict(section_formset_class(spec).form.base_fields)
    return {}


def proposed_fields(spec, action: str = "") -> tuple[str, ...]:
    """The names of the values a proposal stores."""
    if action == REMOVE:
        return ()
    if isinstance(spec, RequestSection):
        form_class = spec.end_form_class if action == END else spec.form_class
        return tuple(form_class.base_fields)
    if spec.is_table:
        return spec.row_fields
    return section_fields(spec)


def submitted_values(spec, data, action: str = "") -> dict:
    """The text the user submitted for the section's fields (what a request stores)."""
    names = proposed_fields(spec, action)
    if not isinstance(spec, RequestSection) and spec.is_table:
        return {name: data.get(f"{ROWS}-0-{name}", "") for name in names}
    return {name: data.get(name, "") for name in names}


def _shown(field, value) -> str:
    if value in (None, ""):
        return ""
    choices = getattr(field, "choices", None)
    if choices and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): label for key, label in choices}
        return str(labels.get(str(value), value))
    return str(value)


def _model_shown(instance, name: str) -> str:
    value = getattr(instance, name, None)
    display = getattr(instance, f"get_{name}_display", None)
    if display is not None and value not in (None, ""):
        return str(display())
    return "" if value is None else str(value)


def row_label(spec, row) -> str:
    """One row described on one line."""
    if isinstance(spec, RequestSection):
        return spec.row_label(row)
    return " · ".join(filter(None, (_model_shown(row, name) for name in spec.row_fields)))


def current_values(spec, staff: Staff) -> dict:
    """What the record holds now, as shown (kept with a request for the side-by-side view)."""
    if is_table(spec):
        return {ROWS: [row_label(spec, row) for row in rows_of(spec.key, staff)]}
    return {name: _model_shown(staff, name) for name in section_fields(spec)}


def comparison(
    spec, form, change, shown: dict, now: dict | None = None
) -> list[tuple[str, str, str, str]]:
    """(label, before, now, proposed) for each field, shown side by side: ``before`` is what the
    record held when the request was made, ``now`` what the row holds today when it differs."""
    action = change.row_action
    if not is_table(spec):
        fields = form.fields
        return [
            (str(fields[name].label), change.previous.get(name, ""), "",
             _shown(fields[name], shown.get(name)))
            for name in section_fields(spec)
            if name in fields
        ]  # fmt: skip
    fields = form_fields(spec, action)
    if action in ("", ADD):
        before = "\n".join(change.previous.get(ROWS, [])) or "—"
        new = " · ".join(
            filter(None, (_shown(fields.get(name), shown.get(name)) for name in shown))
        )
        return [(str(_("Rows on record")), before, "", str(_("Add: %(row)s") % {"row": new}))]
    now = now or {}
    rows = []
    for name, before in change.row_before.items():
        field = fields.get(name)
        label = str(field.label) if field is not None else name
        if action == REMOVE:
            after = str(_("(removed)"))
        else:
            after = _shown(field, shown[name]) if name in shown else _shown(field, before)
        current = _shown(field, now[name]) if name in now else ""
        rows.append((label, _shown(field, before), current, after))
    return rows


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
