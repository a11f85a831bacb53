"""The import flow through the pages and the real task queue: upload, dry run in the
background, confirm, commit, undo; a hostile file fails its job with a message. And the
``import_staff`` command."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from personnel.models import ImportBatch, Staff
from tests.personnel.import_helpers import person, xlsx

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run_worker():
    call_command(
        "db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO(), stderr=io.StringIO()
    )


def upload(client, world, content: bytes, name="nhan-su.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("personnel:imports"), {"unit": world.unit_a1.pk, "file": file})


def test_a_clerk_uploads_checks_commits_and_undoes_an_import(world, client_for):
    client = client_for(world.clerk)
    twin = world.staff_in_a1
    rows = [person(), person(personal_id="001085000002", staff_number="IMP0002",
                             full_name=twin.full_name, birth_date="17/05/1985")]  # fmt: skip
    response = upload(client, world, xlsx(rows))
    batch = ImportBatch.objects.get()
    assert response.url == reverse("personnel:import_detail", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "<progress" in page and 'http-equiv="refresh"' in page

    run_worker()
    batch.refresh_from_db()
    assert (batch.status, batch.report["created"], batch.total) == ("checked", 2, 2)
    page = client.get(response.url).content.decode()
    assert "Có thể trùng" in page and twin.staff_number in page
    assert not Staff.objects.filter(staff_number__startswith="IMP").exists()

    # likely duplicates must be looked at before the import
    client.post(response.url, {"action": "commit"})
    batch.refresh_from_db()
    assert batch.status == "checked"
    client.post(response.url, {"action": "commit", "duplicates_checked": "on"})
    batch.refresh_from_db()
    assert (batch.status, batch.phase) == ("queued", "commit")
    run_worker()
    batch.refresh_from_db()
    assert batch.status == "committed" and batch.committed_at
    assert Staff.objects.filter(staff_number__startswith="IMP").count() == 2

    client.post(response.url, {"action": "undo"})
    batch.refresh_from_db()
    assert batch.status == "undone"
    assert not Staff.objects.filter(staff_number__startswith="IMP").exists()


def test_a_hostile_file_fails_its_job_with_a_message_and_writes_nothing(world, client_for):
    client = client_for(world.clerk)
    upload(client, world, xlsx([person()]), name="nhan-su.xlsm")
    run_worker()
    batch = ImportBatch.objects.get()
    assert batch.status == "failed"
    page = client.get(reverse("personnel:import_detail", args=[batch.pk])).content.decode()
    assert "Không nhận sổ tính có macro" in page
    assert not Staff.objects.filter(staff_number__startswith="IMP").exists()


def test_the_command_prints_the_dry_run_and_commits(world, tmp_path):
    path = tmp_path / "nhan-su.xlsx"
    path.write_bytes(xlsx([person(), person(personal_id="001085000002", staff_number="X",
                                            sex="?")]))  # fmt: skip
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 dòng bị từ chối"):
        call_command("import_staff", str(path), unit="A1", stdout=out)
    assert "Tạo mới: 1" in out.getvalue() and "Dòng 3, cột “Giới tính (*)”" in out.getvalue()

    path.write_bytes(xlsx([person()]))
    out = io.StringIO()
    call_command("import_staff", str(path), unit="A1", stdout=out)
    assert "Chạy thử" in out.getvalue() and not Staff.objects.filter(staff_number="IMP0001")
    call_command("import_staff", str(path), unit="A1", commit=True, stdout=out)
    assert Staff.objects.get(staff_number="IMP0001").unit == world.unit_a1
    assert ImportBatch.objects.filter(status="committed").count() == 1


def test_salary_history_goes_through_the_same_pages_and_worker(world, client_for):
    from payroll.models import SalaryRecord
    from tests.payroll.test_salary_imports import decision
    from tests.payroll.test_salary_imports import xlsx as salary_xlsx

    client = client_for(world.clerk)
    file = io.BytesIO(salary_xlsx([decision(world.staff_in_a1)]))
    file.name = "luong.xlsx"
    response = client.post(
        reverse("personnel:imports"), {"unit": world.unit_a1.pk, "file": file, "kind": "salary"}
    )
    run_worker()
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.status, batch.report["created"]) == ("salary", "checked", 1)
    page = client.get(response.url).content.decode()
    assert "Quá trình lương" in page
    client.post(response.url, {"action": "commit"})
    run_worker()
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert SalaryRecord.objects.get(import_batch=batch).status == "approved"
    client.post(response.url, {"action": "undo"})
    batch.refresh_from_db()
    assert batch.status == "undone" and not SalaryRecord.objects.exists()
