"""Bulk dossier exports through the real task queue (django-tasks-db and its worker)."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab.platypus.doctemplate import LayoutError

from personnel import services
from personnel.exporters import dossier_pdf
from personnel.exporters.summary_list import SummaryListExport
from personnel.models import AccessLogEntry, ExportJob, FamilyMember, Staff
from personnel.services import exports
from personnel.services.exports import exports_expire

# The worker commits and closes connections as a real one does: these tests use real
# transactions (and run after the others, see tests/conftest.py).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def run_worker():
    call_command(
        "db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO(), stderr=io.StringIO()
    )


def request_export(client, unit, **extra):
    data = {"unit": unit.pk, "category": "", "staff_status": "", "format": "zip", **extra}
    return client.post(reverse("personnel:exports"), data)


def downloaded(client, job, part="main") -> bytes:
    response = client.get(reverse("personnel:export_download", args=[job.pk, part]))
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def test_a_head_exports_a_unit_and_downloads_dossiers_and_summary(world, client_for):
    client = client_for(world.head)
    assert request_export(client, world.unit_a).status_code == 302
    job = ExportJob.objects.get()
    assert job.status == "queued" and DBTaskResult.objects.filter(pk=job.task_result_id).exists()
    page = client.get(reverse("personnel:exports")).content.decode()
    assert '<meta http-equiv="refresh"' in page and "Đang chờ" in page

    run_worker()
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 3, 3)
    assert job.expires_at > timezone.now()
    archive = zipfile.ZipFile(io.BytesIO(downloaded(client, job)))
    pdfs = sorted(name for name in archive.namelist() if name.endswith(".pdf"))
    numbers = {
        world.staff_in_a.staff_number,
        world.staff_in_a1.staff_number,
        world.own_record.staff_number,
    }
    assert {name.split("-")[0] for name in pdfs} == numbers
    assert all(archive.read(name).startswith(b"%PDF") for name in pdfs)
    summary = load_workbook(io.BytesIO(downloaded(client, job, "summary"))).active
    names = [row[2] for row in summary.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["Nguyễn Văn An", "Trần Thị Bình", "Lê Thị Cúc"])
    logged = set(
        AccessLogEntry.objects.filter(action="export_bulk", user=world.head).values_list(
            "staff_id", flat=True
        )
    )
    assert logged == {world.staff_in_a.pk, world.staff_in_a1.pk, world.own_record.pk}
    assert "Tải hồ sơ" in client.get(reverse("personnel:exports")).content.decode()


def test_nobody_out_of_scope_ends_up_in_an_export(world, client_for):
    client = client_for(world.clerk)
    request_export(client, world.unit_a)
    # moved out between the request and the run: the worker decides scope when it runs
    services.staff_transfer(
        staff_id=world.staff_in_a1.pk,
        expected_version=None,
        to_unit=world.unit_b1,
        effective_date=datetime.date(2026, 9, 1),
        actor=world.admin,
    )
    run_worker()
    job = ExportJob.objects.get()
    archive = zipfile.ZipFile(io.BytesIO(downloaded(client, job)))
    assert not any(name.startswith(world.staff_in_a1.staff_number) for name in archive.namelist())
    assert not any(name.startswith(world.staff_in_b.staff_number) for name in archive.namelist())


def test_a_unit_outside_the_users_scope_cannot_be_chosen(world, client_for):
    response = request_export(client_for(world.clerk), world.unit_b)
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not ExportJob.objects.exists()


def test_a_merged_pdf(world, client_for):
    client = client_for(world.head)
    request_export(client, world.unit_a1, format="merged")
    run_worker()
    job = ExportJob.objects.get()
    reader = PdfReader(io.BytesIO(downloaded(client, job)), strict=True)
    assert len(reader.pages) >= 2  # two records in A1, each at least a page
    assert reader.metadata.title == (
        f"Sơ yếu lý lịch - {world.unit_a1.name} - trích ngày "
        f"{timezone.localtime(job.created_at):%d/%m/%Y}"
    )
    # a bookmark per person, in name order, each at the first page of that person's dossier
    people = sorted([world.staff_in_a1, world.own_record], key=lambda person: person.sort_key)
    assert [item.title for item in reader.outline] == [
        f"{person.full_name} ({person.staff_number})" for person in people
    ]
    first_pages = [reader.get_destination_page_number(item) for item in reader.outline]
    assert first_pages[0] == 0 and 0 < first_pages[1] < len(reader.pages)
    for item, page in zip(reader.outline, first_pages, strict=True):
        name = item.title.split(" (")[0].upper()  # the form prints names in capitals
        assert name in reader.pages[page].extract_text().upper()


def test_others_cannot_download_and_expired_exports_are_gone(world, client_for, media):
    client = client_for(world.head)
    request_export(client, world.unit_a1)
    run_worker()
    job = ExportJob.objects.get()
    other = client_for(world.clerk)
    assert other.get(reverse("personnel:export_download", args=[job.pk, "main"])).status_code == 404
    assert exports_expire(now=timezone.now() + datetime.timedelta(hours=25)) == 1
    assert not (Path(media) / "exports" / str(job.pk)).exists()
    client = client_for(world.head)
    response = client.get(reverse("personnel:export_download", args=[job.pk, "main"]))
    assert response.status_code == 410 and "đã hết hạn" in response.content.decode()


def test_one_record_that_cannot_be_printed_is_left_out_reported_and_the_rest_exported(
    world, client_for, monkeypatch, caplog
):
    bad = world.staff_in_a1
    render = dossier_pdf.DossierPDF.render

    def broken_for_one(self):
        if self.staff.pk == bad.pk:
            raise ValueError("secret internals: /srv/media/photos/x.png")
        return render(self)

    monkeypatch.setattr(dossier_pdf.DossierPDF, "render", broken_for_one)
    client = client_for(world.head)
    request_export(client, world.unit_a)
    run_worker()
    job = ExportJob.objects.get()
    assert (job.status, job.total, job.exported) == ("done", 3, 2)
    assert job.problems == [
        {"staff": bad.pk, "number": bad.staff_number, "name": bad.full_name,
         "reason": exports.RECORD_FAILED}
    ]  # fmt: skip
    archive = zipfile.ZipFile(io.BytesIO(downloaded(client, job)))
    assert not any(name.startswith(bad.staff_number) for name in archive.namelist())
    assert len([name for name in archive.namelist() if name.endswith(".pdf")]) == 2
    summary = load_workbook(io.BytesIO(downloaded(client, job, "summary"))).active
    assert bad.full_name not in [row[2] for row in summary.iter_rows(values_only=True)]
    logged = AccessLogEntry.objects.filter(action="export_bulk").values_list("staff", flat=True)
    assert bad.pk not in logged and len(logged) == 2
    page = client.get(reverse("personnel:exports")).content.decode()
    assert "1 hồ sơ không in được nên không có trong tệp" in page
    assert f"{bad.full_name} ({bad.staff_number}): Không in được hồ sơ" in page
    assert "secret internals" not in page
    assert "secret internals" in caplog.text  # the details are in the server log


def test_a_long_family_description_no_longer_fails_the_units_export(world, client_for):
    FamilyMember.objects.create(
        staff=world.staff_in_a1, relation="father", full_name="Bố", details="Quê quán " * 600
    )
    client = client_for(world.head)
    request_export(client, world.unit_a1)
    run_worker()
    job = ExportJob.objects.get()
    assert (job.status, job.exported, job.problems) == ("done", 2, [])


def test_when_no_dossier_can_be_printed_the_export_fails_with_the_list(
    world, client_for, monkeypatch
):
    def broken(self):
        raise LayoutError("Flowable <Table@0x7F> too large")

    monkeypatch.setattr(dossier_pdf.DossierPDF, "render", broken)
    client = client_for(world.head)
    request_export(client, world.unit_a1)
    run_worker()
    job = ExportJob.objects.get()
    assert (job.status, job.error) == ("failed", exports.NOTHING_PRINTED)
    assert {problem["reason"] for problem in job.problems} == {exports.RECORD_LAYOUT}
    assert not list(job.directory.glob("*/*"))
    page = client.get(reverse("personnel:exports")).content.decode()
    assert "Không thành công: Không in được hồ sơ nào" in page
    assert "không dàn trang được" in page and "Flowable" not in page
    assert '<meta http-equiv="refresh"' not in page


def test_an_export_that_fails_as_a_whole_says_so_without_the_exception_text(
    world, client_for, monkeypatch, caplog
):
    def full_disk(self):
        raise OSError(28, "No space left on device: '/srv/hrms/media/exports'")

    monkeypatch.setattr(SummaryListExport, "xlsx", full_disk)
    client = client_for(world.head)
    request_export(client, world.unit_a1)
    run_worker()
    job = ExportJob.objects.get()
    assert (job.status, job.error) == ("failed", exports.EXPORT_FAILED)
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "FAILED"
    page = client.get(reverse("personnel:exports")).content.decode()
    assert "Không thành công: Không hoàn tất được việc xuất hồ sơ do một lỗi ngoài dự kiến" in page
    assert "No space left" not in page and "/srv/hrms" not in page
    assert "No space left on device" in caplog.text
    assert not AccessLogEntry.objects.exists()


def test_stored_control_characters_do_not_break_the_units_export(world, client_for):
    Staff.objects.filter(pk=world.staff_in_a1.pk).update(
        position_title="Tổ trưởng\x0bchuyên môn\x07", full_name="Trần Thị\x01 Bình"
    )
    client = client_for(world.head)
    request_export(client, world.unit_a1)
    run_worker()
    job = ExportJob.objects.get()
    assert (job.status, job.exported) == ("done", 2)
    summary = load_workbook(io.BytesIO(downloaded(client, job, "summary"))).active
    rows = {row[2]: row for row in summary.iter_rows(min_row=2, values_only=True)}
    assert rows["Trần Thị Bình"][6] == "Tổ trưởng\nchuyên môn"


def test_the_command_line_export(world, tmp_path):
    target = tmp_path / "a.zip"
    out = io.StringIO()
    call_command(
        "export_dossiers", "--unit", "A", "--out", str(target), stdout=out, stderr=io.StringIO()
    )
    assert "3 dossiers written" in out.getvalue()
    names = zipfile.ZipFile(target).namelist()
    assert len([n for n in names if n.endswith(".pdf")]) == 3 and any(
        n.startswith("trich-ngang") for n in names
    )


def test_the_expire_command(world, client_for):
    client = client_for(world.head)
    request_export(client, world.unit_a1)
    run_worker()
    ExportJob.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    out = io.StringIO()
    call_command("expire_exports", stdout=out)
    assert out.getvalue().splitlines() == ["0 stalled jobs recovered.", "1 exports expired."]
    assert ExportJob.objects.get().status == "expired"


def test_the_command_line_export_leaves_out_what_cannot_be_printed(world, tmp_path, monkeypatch):
    bad = world.staff_in_a1
    render = dossier_pdf.DossierPDF.render

    def broken_for_one(self):
        if self.staff.pk == bad.pk:
            raise LayoutError("too large")
        return render(self)

    monkeypatch.setattr(dossier_pdf.DossierPDF, "render", broken_for_one)
    target, out, err = tmp_path / "a.zip", io.StringIO(), io.StringIO()
    call_command("export_dossiers", "--unit", "A", "--out", str(target), stdout=out, stderr=err)
    assert "2 dossiers written" in out.getvalue()
    assert f"{bad.full_name} ({bad.staff_number}): Một phần hồ sơ không dàn trang được" in (
        err.getvalue()
    )
    assert not any(n.startswith(bad.staff_number) for n in zipfile.ZipFile(target).namelist())
