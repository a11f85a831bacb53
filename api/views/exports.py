"""The CBCCVC export: ask for it, follow it, download it (the requester's own jobs only)."""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from api.cbccvc import cbccvc_export_create
from api.errors import FieldErrors
from api.models import CbccvcExport
from api.views.base import ApiView
from personnel import permissions

JOB = inline_serializer(
    "CbccvcExportJob",
    {
        "id": serializers.UUIDField(),
        "status": serializers.ChoiceField(choices=CbccvcExport.Status.values),
        "unit": serializers.IntegerField(allow_null=True),
        "total": serializers.IntegerField(),
        "done": serializers.IntegerField(),
        "error": serializers.CharField(),
        "created_at": serializers.DateTimeField(),
        "expires_at": serializers.DateTimeField(allow_null=True),
        "download": serializers.CharField(allow_null=True),
    },
)


def _job_data(request, job: CbccvcExport) -> dict:
    download = None
    if job.status == CbccvcExport.Status.DONE:
        download = request.build_absolute_uri(f"/api/v1/exports/cbccvc/{job.pk}/file/")
    return {
        "id": str(job.pk),
        "status": job.status,
        "unit": job.unit_id,
        "total": job.total,
        "done": job.done,
        "error": job.error_message,
        "created_at": job.created_at.isoformat(),
        "expires_at": job.expires_at.isoformat() if job.expires_at else None,
        "download": download,
    }


def _own_job(request, pk) -> CbccvcExport:
    job = CbccvcExport.objects.filter(pk=pk, requested_by=request.user).first()
    if job is None or not permissions.may_export_any(request.user):
        raise Http404
    return job


class CbccvcExportCreate(ApiView):
    @extend_schema(
        operation_id="cbccvc_export_create",
        summary="Start an export of the records you may export, in the CBCCVC shape (JSON lines)",
        request=inline_serializer(
            "CbccvcExportInput", {"unit": serializers.IntegerField(required=False)}
        ),
        responses={202: JOB},
    )
    def post(self, request):
        if not permissions.may_export_any(request.user):
            raise Http404
        body = request.data if isinstance(request.data, dict) else {}
        unit = None
        if body.get("unit") not in (None, ""):
            if not str(body["unit"]).isdigit():
                raise FieldErrors({"unit": [_("Give a whole number.")]})
            unit = permissions.unit_or_404(
                request.user, int(body["unit"]), permissions.EXPORT_STAFF
            )
        job = cbccvc_export_create(user=request.user, unit=unit)
        self.log_detail = {"cbccvc_export": str(job.pk)}
        return Response(_job_data(request, job), status=status.HTTP_202_ACCEPTED)


class CbccvcExportDetail(ApiView):
    @extend_schema(
        operation_id="cbccvc_export_retrieve", summary="An export's progress", responses=JOB
    )
    def get(self, request, pk):
        return Response(_job_data(request, _own_job(request, pk)))


class CbccvcExportFile(ApiView):
    @extend_schema(
        operation_id="cbccvc_export_file",
        summary="The finished export (JSON lines, one person a line)",
        responses={(200, "application/jsonl"): OpenApiResponse(description="JSON lines")},
    )
    def get(self, request, pk):
        job = _own_job(request, pk)
        path = Path(settings.MEDIA_ROOT) / job.file
        if job.status != CbccvcExport.Status.DONE or not job.file or not path.is_file():
            raise Http404
        self.log_detail = {"cbccvc_download": str(job.pk)}
        return FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=f"cbccvc-{job.created_at:%Y%m%d-%H%M}.jsonl",
            content_type="application/jsonl",
        )
