"""Spreadsheet imports: download a template, upload a file, follow its dry run, download the
error workbook, confirm the import, undo it."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hrms.jobs import recover_expired
from hrms.lib.http import xlsx_response
from personnel import permissions
from personnel.forms import UnitChoiceField
from personnel.importers import workbooks
from personnel.importers.kinds import import_kind
from personnel.importers.reading import MAX_FILE_BYTES
from personnel.importers.staff import COLUMNS
from personnel.models import EthnicGroup, ImportBatch, OrgUnit, Rank, Religion
from personnel.services import imports


def kind_choices() -> list[tuple[str, str]]:
    """Staff records and the kinds other apps registered, in the model's order."""
    return [
        (value, label)
        for value, label in ImportBatch.Kind.choices
        if value == ImportBatch.Kind.STAFF or import_kind(value) is not None
    ]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("The file holds"),
        choices=kind_choices,
        required=False,
        initial=ImportBatch.Kind.STAFF,
    )
    unit = UnitChoiceField(
        label=gettext_lazy("Unit of rows without a unit code"), queryset=OrgUnit.objects.none()
    )
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        help_text=gettext_lazy("At most 50 MB and 100,000 rows."),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_kind(self):
        return self.cleaned_data.get("kind") or ImportBatch.Kind.STAFF

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(_("The file is larger than 50 MB. Split it into several files."))
        return upload


def _importable_units(user):
    return permissions.visible_units(user, permissions.CHANGE_STAFF).filter(valid_to__isnull=True)


def _own_batch(request, pk) -> ImportBatch:
    if not permissions.may_edit_any(request.user):
        raise Http404
    batch = ImportBatch.objects.filter(pk=pk, requested_by=request.user).first()
    if batch is None:
        raise Http404
    return batch


@require_http_methods(["GET", "POST"])
def import_list(request):
    """The user's imports and the form to upload a file."""
    units = _importable_units(request.user)
    if not units.exists():
        raise Http404
    recover_expired(models=[ImportBatch])
    form = UploadForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = imports.import_batch_create(
                user=request.user, unit=form.cleaned_data["unit"], upload=upload,
                file_name=upload.name, kind=form.cleaned_data["kind"],
            )  # fmt: skip
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The file is being checked; nothing is written yet."))
            return redirect("personnel:import_detail", batch.pk)
    batches = list(
        ImportBatch.objects.filter(requested_by=request.user).select_related("unit")[:20]
    )
    return render(
        request,
        "personnel/imports.html",
        {"form": form, "batches": batches, "kinds": kind_choices(), "active_nav": "imports"},
    )


@require_GET
def import_template(request, kind: str):
    """The blank template with drop-down lists of the user's units and the codes."""
    units = _importable_units(request.user)
    if not units.exists():
        raise Http404
    if kind != ImportBatch.Kind.STAFF:
        other = import_kind(kind)
        if other is None:
            raise Http404
        lists = other.lists(request.user)
        for column in other.columns:
            if column.choices:
                lists[column.key] = column.choices()
        return xlsx_response(
            workbooks.template(other.columns, lists, other.sheet_title), other.file_name
        )
    lists = {
        "unit": list(units.values_list("code", flat=True)),
        "rank": list(Rank.objects.order_by("code").values_list("code", flat=True)),
        "ethnicity": list(EthnicGroup.objects.values_list("name", flat=True)),
        "religion": list(Religion.objects.values_list("name", flat=True)),
    }
    for column in COLUMNS:
        if column.choices:
            lists[column.key] = column.choices()
    content = workbooks.template(COLUMNS, lists, "HoSo")
    return xlsx_response(content, "mau-nhap-ho-so.xlsx")


class ConfirmForm(forms.Form):
    duplicates_checked = forms.BooleanField(
        label=gettext_lazy(
            "I have checked the likely duplicates listed: they are different people."
        ),
        required=False,
    )


@require_http_methods(["GET", "POST"])
def import_detail(request, pk):
    """A batch: its progress, dry-run report, the confirm and undo buttons."""
    batch = _own_batch(request, pk)
    recover_expired(models=[ImportBatch])
    batch.refresh_from_db()
    form = ConfirmForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "commit" and form.is_valid():
                imports.import_batch_confirm(
                    batch=batch, actor=request.user,
                    duplicates_checked=form.cleaned_data["duplicates_checked"],
                )  # fmt: skip
                messages.success(request, _("The import is queued; this page follows it."))
                return redirect("personnel:import_detail", batch.pk)
            if action == "undo":
                imports.import_batch_undo(batch=batch, actor=request.user)
                messages.success(request, _("The import was undone."))
                return redirect("personnel:import_detail", batch.pk)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            batch.refresh_from_db()
    active = batch.status in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)
    return render(
        request,
        "personnel/import_detail.html",
        {"batch": batch, "form": form, "refresh": active, "active_nav": "imports"},
    )


@require_GET
def import_errors(request, pk):
    """The error workbook of one's own batch."""
    batch = _own_batch(request, pk)
    if not batch.error_file:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / batch.error_file
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename="loi-nhap-ho-so.xlsx")
