"""Bulk dossier exports: ask for one, watch it run, download it."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hrms.jobs import recover_expired
from personnel import permissions
from personnel.forms import UnitChoiceField
from personnel.models import ExportJob, ExportPart, OrgUnit, Staff
from personnel.services.exports import export_job_create, exports_expire


class ExportForm(forms.Form):
    unit = UnitChoiceField(
        label=gettext_lazy("Unit (with the units under it)"), queryset=OrgUnit.objects.none()
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        choices=[("", gettext_lazy("All"))] + Staff.Category.choices,
        required=False,
    )
    staff_status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("All"))] + Staff.Status.choices,
        required=False,
        initial=Staff.Status.ACTIVE,
    )
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=ExportJob.Format.choices)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


def _exportable_units(user):
    return permissions.visible_units(user, permissions.EXPORT_STAFF).filter(valid_to__isnull=True)


@require_http_methods(["GET", "POST"])
def export_list(request):
    """The user's exports with their progress, and the form for a new one."""
    units = _exportable_units(request.user)
    if not units.exists():
        raise Http404
    # This page follows running jobs: it notices a dead worker (see hrms.jobs) as it refreshes.
    recover_expired(models=[ExportJob, ExportPart])
    exports_expire()
    form = ExportForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            export_job_create(
                user=request.user,
                unit=data["unit"],
                format=data["format"],
                category=data["category"],
                staff_status=data["staff_status"],
            )
        except ValidationError as error:
            form.add_error("unit", error.message_dict.get("unit"))
        else:
            messages.success(request, _("The export is queued; this page follows its progress."))
            return redirect("personnel:exports")
    jobs = list(ExportJob.objects.filter(requested_by=request.user).select_related("unit")[:20])
    active = any(job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING) for job in jobs)
    return render(
        request,
        "personnel/exports.html",
        {"form": form, "jobs": jobs, "refresh": active, "active_nav": "exports"},
    )


@require_GET
def export_download(request, pk, part: str):
    """The ready files of one's own export (others' answer 404); expired ones 410."""
    job = ExportJob.objects.filter(pk=pk, requested_by=request.user).first()
    if job is None or part not in ("main", "summary"):
        raise Http404
    if job.status == ExportJob.Status.EXPIRED or (
        job.expires_at and job.expires_at <= timezone.now()
    ):
        return render(request, "personnel/export_expired.html", {"job": job}, status=410)
    relative = job.main_file if part == "main" else job.summary_file
    if job.status != ExportJob.Status.DONE or not relative:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / relative
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
