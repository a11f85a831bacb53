"""Bulk payslips of a run through the real task queue (django-tasks-db and its worker)."""

import datetime
import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from payroll.exporters import payslip_pdf
from payroll.models import Payslip, PayslipExportJob
from payroll.services import payslip_exports
from personnel import services as personnel_services
from personnel.models import AccessLogEntry
from tests.payroll import payroll_world

# The worker commits and closes connections as a real one does: real transactions (these
# tests run after the others, see tests/conftest.py).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def pay(world):
    return payroll_world.build(world)


def run_worker():
    call_command(
        "db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO(), stderr=io.StringIO()
    )


def ask(client, run, format="zip"):
    return client.post(reverse("payroll:run_payslips_export", args=[run.pk]), {"format": format})


def downloaded(client, job) -> bytes:
    response = client.get(reverse("payroll:payslip_export_download", args=[job.pk]))
    assert response.status_code == 200, response.status_code
    assert "no-store" in response["Cache-Control"]
    return b"".join(response.streaming_content)


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_a_head_makes_every_payslip_of_a_month_as_a_zip(world, pay, client_for):
    client = client_for(world.head)
    response = ask(client, pay.august)
    assert response.status_code == 302
    assert response.url == reverse("payroll:run_outputs", args=[pay.august.pk])
    job = PayslipExportJob.objects.get()
    assert job.status == "queued" and DBTaskResult.objects.filter(pk=job.task_result_id).exists()
    page = client.get(response.url).content.decode()
    assert '<meta http-equiv="refresh"' in page and "Đang chờ" in page

    run_worker()
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.problems) == ("done", 3, 3, [])
    archive = zipfile.ZipFile(io.BytesIO(downloaded(client, job)))
    slips = Payslip.objects.filter(run=pay.august).select_related("staff")
    assert sorted(archive.namelist()) == sorted(
        payslip_exports.payslip_file_name(slip) for slip in slips
    )
    example = next(slip for slip in slips if slip.staff_id == pay.example.pk)
    text = pdf_text(archive.read(payslip_exports.payslip_file_name(example)))
    assert "Truy lĩnh tháng 06/2026" in text and "Trần Thị Bình" in text
    logged = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.PAYSLIP, user=world.head)
    assert {entry.staff_id for entry in logged} == {slip.staff_id for slip in slips}
    assert all(entry.detail["job"] == str(job.pk) for entry in logged)
    page = client.get(reverse("payroll:run_outputs", args=[pay.august.pk])).content.decode()
    assert "Tải các phiếu lương" in page and '<meta http-equiv="refresh"' not in page


def test_one_merged_pdf(world, pay, client_for):
    client = client_for(world.clerk)
    ask(client, pay.august, "merged")
    run_worker()
    job = PayslipExportJob.objects.get()
    reader = PdfReader(io.BytesIO(downloaded(client, job)))
    assert len(reader.pages) == 3  # one page per payslip


def test_only_the_requester_downloads_and_files_expire(world, pay, client_for, media):
    client = client_for(world.head)
    ask(client, pay.august)
    run_worker()
    job = PayslipExportJob.objects.get()
    url = reverse("payroll:payslip_export_download", args=[job.pk])
    assert client_for(world.clerk).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404
    assert payslip_exports.payslip_exports_expire(
        now=timezone.now() + datetime.timedelta(hours=25)
    ) == 1  # fmt: skip
    assert not (Path(media) / "payslips" / str(job.pk)).exists()
    response = client_for(world.head).get(url)
    assert response.status_code == 410 and "đã hết hạn" in response.content.decode()


def test_outsiders_cannot_ask_and_a_grant_withdrawn_before_the_run_is_respected(
    world, pay, client_for
):
    assert ask(client_for(world.outsider), pay.august).status_code == 404
    assert ask(client_for(world.staff_user), pay.august).status_code == 404
    assert not PayslipExportJob.objects.exists()
    client = client_for(world.clerk)
    ask(client, pay.august)
    personnel_services.role_revoke(user=world.clerk, unit=world.unit_a, actor=world.admin)
    run_worker()
    job = PayslipExportJob.objects.get()
    assert (job.status, job.error, job.file) == (
        "failed", payslip_exports.NO_LONGER_ALLOWED, ""
    )  # fmt: skip
    assert not AccessLogEntry.objects.filter(action="payslip").exists()


def test_a_payslip_that_cannot_be_printed_is_left_out_and_listed(
    world, pay, client_for, monkeypatch, caplog
):
    bad = pay.clerk_of_office
    render = payslip_pdf.PayslipPDF.render

    def broken_for_one(self):
        if self.slip.staff_id == bad.pk:
            raise ValueError("secret internals: /srv/media")
        return render(self)

    monkeypatch.setattr(payslip_pdf.PayslipPDF, "render", broken_for_one)
    client = client_for(world.head)
    ask(client, pay.august)
    run_worker()
    job = PayslipExportJob.objects.get()
    assert (job.status, job.total, job.exported) == ("done", 3, 2)
    assert [problem["staff"] for problem in job.problems] == [bad.pk]
    names = zipfile.ZipFile(io.BytesIO(downloaded(client, job))).namelist()
    assert len(names) == 2 and not any(name.startswith(bad.staff_number) for name in names)
    page = client.get(reverse("payroll:run_outputs", args=[pay.august.pk])).content.decode()
    assert "secret internals" not in page and "secret internals" in caplog.text
    assert "1 phiếu lương không in được nên không có trong tệp" in page


def test_the_files_are_deleted_by_a_task_queued_for_the_moment_they_expire(
    world, pay, client_for, media
):
    from payroll.tasks import expire_payslips_task

    ask(client_for(world.head), pay.august)
    run_worker()
    job = PayslipExportJob.objects.get()
    queued = DBTaskResult.objects.get(task_path="payroll.tasks.expire_payslips_task")
    assert (queued.status, queued.run_after, queued.args_kwargs["args"]) == (
        "READY", job.expires_at, [str(job.pk)]
    )  # fmt: skip
    assert expire_payslips_task.call(str(job.pk)) == 0  # not yet
    assert (Path(media) / job.file).is_file()
    PayslipExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    assert expire_payslips_task.call(str(job.pk)) == 1
    job.refresh_from_db()
    assert (job.status, job.file) == ("expired", "")
    assert not (Path(media) / "payslips" / str(job.pk)).exists()
