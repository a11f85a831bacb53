"""The CBCCVC export through the real task queue: asked for over the API, written by the
worker in the national database's groups, one JSON line a person, downloaded by the requester
only; sensitive groups only for a requester who may see them."""

import io
import json

import pytest
from django.core.management import call_command

from api.models import CbccvcExport
from payroll.models import SalaryRecord
from personnel.models import AccessLogEntry

# The worker commits as a real one does (and these tests run after the others).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def run_worker():
    call_command(
        "db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO(), stderr=io.StringIO()
    )


def export(client, unit=None) -> list[dict]:
    asked = client.post("/api/v1/exports/cbccvc/", {"unit": unit.pk} if unit else {})
    assert asked.status_code == 202, asked.content
    job_id = asked.json()["id"]
    run_worker()
    status = client.get(f"/api/v1/exports/cbccvc/{job_id}/").json()
    assert status["status"] == "done", status
    response = client.get(status["download"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    lines = b"".join(response.streaming_content).decode().splitlines()
    return [json.loads(line) for line in lines], job_id


def test_a_clerk_exports_the_unit_in_the_national_shape(world, token_for, salaries):
    records, job_id = export(token_for(world.clerk), world.unit_a)
    by_number = {record["ma_ho_so"]: record for record in records}
    assert set(by_number) == {
        world.staff_in_a.staff_number, world.staff_in_a1.staff_number,
        world.own_record.staff_number,
    }  # fmt: skip
    record = by_number[world.staff_in_a1.staff_number]
    assert record["schema"] == "hrms-cbccvc/1"
    assert record["thong_tin_co_ban"]["ho_ten"] == "Trần Thị Bình"
    assert record["thong_tin_co_ban"]["so_dinh_danh_ca_nhan"] == world.staff_in_a1.personal_id
    assert record["co_quan_chuc_vu_luong"]["co_quan"]["ma"] == "A1"
    assert record["co_quan_chuc_vu_luong"]["ngach_chuc_danh"] == "V.07.05.15"
    assert record["co_quan_chuc_vu_luong"]["bac"] == 9
    assert record["nhay_cam_da_xuat"] is True and "suc_khoe_chinh_sach" in record
    logged = set(
        AccessLogEntry.objects.filter(action="export_bulk", user=world.clerk).values_list(
            "staff_id", flat=True
        )
    )
    assert logged == {world.staff_in_a.pk, world.staff_in_a1.pk, world.own_record.pk}
    assert token_for(world.head).get(f"/api/v1/exports/cbccvc/{job_id}/").status_code == 404
    assert SalaryRecord.objects.count() == 4  # nothing written but the job and the log


def test_a_head_gets_no_sensitive_groups(world, token_for):
    records, _job = export(token_for(world.head))
    assert len(records) == 3
    assert all(record["nhay_cam_da_xuat"] is False for record in records)
    assert not any("suc_khoe_chinh_sach" in record for record in records)
    assert not any("dan_toc" in record["thong_tin_co_ban"] for record in records)
    assert CbccvcExport.objects.get().status == "done"


def test_an_expired_export_loses_its_file(world, token_for, media):
    import datetime

    from django.utils import timezone

    client = token_for(world.clerk)
    _records, job_id = export(client, world.unit_a1)
    job = CbccvcExport.objects.get(pk=job_id)
    assert (media / job.file).is_file()
    call_command("expire_cbccvc_exports", stdout=io.StringIO())
    assert CbccvcExport.objects.get(pk=job_id).status == "done"  # not yet
    CbccvcExport.objects.filter(pk=job_id).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    call_command("expire_cbccvc_exports", stdout=io.StringIO())
    assert CbccvcExport.objects.get(pk=job_id).status == "expired"
    assert not job.directory.exists()
    assert client.get(f"/api/v1/exports/cbccvc/{job_id}/file/").status_code == 404
