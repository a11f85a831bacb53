"""Payroll outputs: a payslip as PDF, a person's payslips, the register, the bank transfer list
and the contributions summary of a run as XLSX, and bulk payslips made in the background.

Access is decided by ``personnel.permissions``: a payslip is seen by the person themself (once
the month is approved) and by whoever may view their record or the run's payroll; the run's
lists and bulk payslips need the export permission on the run's unit. Everything else — and
every object out of scope — answers 404. Every download is written to the access log; none
is kept in a cache (``Cache-Control: no-store`` for every signed-in answer, hrms.middleware).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from hrms.jobs import recover_expired
from hrms.lib.http import XLSX_MIME
from payroll.exporters.bank_list import BankListExport
from payroll.exporters.contributions import ContributionsExport
from payroll.exporters.payslip_pdf import PayslipPDF, payslip_data, payslip_queryset
from payroll.exporters.register import RegisterExport
from payroll.models import PayrollRun, Payslip, PayslipExportJob
from payroll.services.payslip_exports import (
    payslip_export_create,
    payslip_exports_expire,
    payslip_file_name,
    slug,
)
from personnel import permissions
from personnel.models import AccessLogEntry, Staff
from personnel.people import display_name
from personnel.services import access_log_record

# Runs whose payslips the people paid may see: the month has been approved.
RELEASED = (PayrollRun.Status.APPROVED, PayrollRun.Status.LOCKED)


class BulkPayslipsForm(forms.Form):
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=PayslipExportJob.Format.choices,
        initial=PayslipExportJob.Format.ZIP,
    )


def may_see_payslip(user, payslip: Payslip, staff: Staff | None = None) -> bool:
    """Whoever sees the run's payroll sees its payslips; otherwise whoever may view the
    person's record — the person themself only once the month is approved. ``staff``: the
    payslip's person already loaded with their unit (a list of one person's payslips)."""
    staff = staff if staff is not None else payslip.staff
    if permissions.may_view_payroll(user, payslip.run.unit):
        return True
    if not permissions.may_view_payslip(user, staff):
        return False
    if permissions.is_own_record(user, staff):
        return payslip.run.status in RELEASED
    return True


def _export_run_or_404(user, pk) -> PayrollRun:
    run = PayrollRun.objects.select_related("unit").filter(pk=pk).first()
    if run is None or not permissions.may_export_payroll(user, run.unit):
        raise Http404
    return run


def _run_file_name(kind: str, run: PayrollRun) -> str:
    return f"{kind}-{slug(run.unit.code)}-{run.year}-{run.month:02d}.xlsx"


def _written(exporter):
    """Write an export into a temporary file (bounded memory whatever its size); returns the
    open file and what the exporter returned."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the FileResponse closes it once sent
    try:
        result = exporter.write(handle)
    except BaseException:
        handle.close()
        raise
    return handle, result


def _xlsx(handle, filename: str):
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_MIME)


# --- One payslip, a person's payslips ----------------------------------------------------------


@require_GET
def payslip_pdf(request, pk: int):
    """One payslip as a PDF; each download is logged."""
    payslip = payslip_queryset().filter(pk=pk).first()
    if payslip is None or not may_see_payslip(request.user, payslip):
        raise Http404
    content = PayslipPDF(
        payslip_data(payslip),
        extracted_by=display_name(request.user),
        extracted_at=timezone.localtime(),
    ).render()
    access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.PAYSLIP,
        staff=payslip.staff,
        request=request,
        detail={"run": payslip.run_id, "month": f"{payslip.year}-{payslip.month:02d}"},
    )
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=payslip_file_name(payslip),
        content_type="application/pdf",
    )


@require_GET
def staff_payslips(request, pk: int):
    """A person's payslips, newest first, each downloadable: approved and locked months, and
    for whoever sees the run's payroll the months still being prepared."""
    staff = permissions.staff_or_404(
        request.user, pk, queryset=Staff.objects.select_related("unit", "rank")
    )
    payslips = [
        payslip
        for payslip in Payslip.objects.filter(staff=staff)
        .select_related("run", "run__unit")
        .annotate(deductions=F("gross") - F("net"))
        .order_by("-year", "-month", "-run_id")
        if may_see_payslip(request.user, payslip, staff)
    ]
    return render(
        request,
        "payroll/staff_payslips.html",
        {
            "staff": staff,
            "payslips": payslips,
            "own": permissions.is_own_record(request.user, staff),
            "active_nav": "staff",
        },
    )


# --- The run's lists ---------------------------------------------------------------------------


@require_GET
def run_register(request, pk: int):
    """The payroll register of a run (form C02a-HD) as XLSX."""
    run = _export_run_or_404(request.user, pk)
    handle, totals = _written(
        RegisterExport(run, extracted_by=display_name(request.user), now=timezone.localtime())
    )
    access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.EXPORT_PAYROLL,
        request=request,
        detail={"run": run.pk, "output": "register", "rows": totals.headcount},
    )
    return _xlsx(handle, _run_file_name("bang-luong", run))


@require_GET
def run_bank_list(request, pk: int):
    """The bank transfer list of a run as XLSX; the account numbers are sensitive, so every
    person listed gets an entry in the access log."""
    run = _export_run_or_404(request.user, pk)
    handle, totals = _written(
        BankListExport(run, extracted_by=display_name(request.user), now=timezone.localtime())
    )
    path = request.get_full_path()[:255]
    address = request.META.get("REMOTE_ADDR")
    detail = {"run": run.pk, "output": "bank"}
    AccessLogEntry.objects.bulk_create(
        (
            AccessLogEntry(
                user=request.user,
                action=AccessLogEntry.Action.EXPORT_BANK,
                staff_id=staff_id,
                path=path,
                ip_address=address,
                detail=detail,
            )  # fmt: skip
            for staff_id in totals.staff_ids
        ),
        batch_size=2000,
    )
    return _xlsx(handle, _run_file_name("chuyen-khoan", run))


@require_GET
def run_contributions(request, pk: int):
    """The employer's summary of the run's insurance contributions as XLSX."""
    run = _export_run_or_404(request.user, pk)
    handle, summary = _written(
        ContributionsExport(run, extracted_by=display_name(request.user), now=timezone.localtime())
    )
    access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.EXPORT_PAYROLL,
        request=request,
        detail={"run": run.pk, "output": "contributions", "rows": summary.total.people},
    )
    return _xlsx(handle, _run_file_name("trich-nop", run))


# --- Bulk payslips -----------------------------------------------------------------------------


def run_outputs_context(user, run: PayrollRun) -> dict:
    """What ``payroll/includes/run_outputs.html`` shows: the download links and the bulk
    payslips of ``user`` for ``run`` (nothing for a user who may not export the run)."""
    if not permissions.may_export_payroll(user, run.unit):
        return {"run": run, "may_export": False}
    jobs = list(PayslipExportJob.objects.filter(run=run, requested_by=user)[:5])
    return {
        "run": run,
        "may_export": True,
        "has_payslips": run.headcount > 0,
        "jobs": jobs,
        "refresh": any(job.active for job in jobs),
        "bulk_form": BulkPayslipsForm(),
    }


@require_GET
def run_outputs(request, pk: int):
    """A run's outputs: the lists to download, and bulk payslips with their progress."""
    run = _export_run_or_404(request.user, pk)
    # This page follows running jobs: it notices a dead worker (see hrms.jobs) as it refreshes.
    recover_expired(models=[PayslipExportJob])
    payslip_exports_expire()
    context = run_outputs_context(request.user, run)
    return render(
        request,
        "payroll/run_outputs.html",
        {**context, "outputs": context, "active_nav": "payroll"},
    )


@require_POST
def run_payslips_export(request, pk: int):
    """Queue the bulk payslips of a run (a ZIP of PDFs or one merged PDF)."""
    run = _export_run_or_404(request.user, pk)
    form = BulkPayslipsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Format: choose a ZIP file or one merged PDF."))
    else:
        try:
            payslip_export_create(user=request.user, run=run, format=form.cleaned_data["format"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("The payslips are being made; this page follows their progress.")
            )
    return redirect(reverse("payroll:run_outputs", args=[run.pk]))


@require_GET
def payslip_export_download(request, pk):
    """The file of one's own bulk payslips (others' answer 404); expired ones 410."""
    job = PayslipExportJob.objects.filter(pk=pk, requested_by=request.user).first()
    if job is None:
        raise Http404
    if job.status == PayslipExportJob.Status.EXPIRED or (
        job.expires_at and job.expires_at <= timezone.now()
    ):
        return render(request, "payroll/payslip_export_expired.html", {"job": job}, status=410)
    if job.status != PayslipExportJob.Status.DONE or not job.file:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / job.file
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
