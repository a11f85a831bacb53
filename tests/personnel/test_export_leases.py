"""A bulk export whose worker dies (kill -9) is noticed through its lease, retried once by
another worker, then failed with a clear message (``hrms.jobs``)."""

import datetime
import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hrms import jobs
from hrms.tasks import watch_lease
from personnel.models import AccessLogEntry, ExportJob, ExportPart
from personnel.services import exports
from tests.factories import StaffFactory

WAITING = "Đang chờ"
RETRYING = "Đang chạy lại vì tiến trình thực hiện lần trước đã dừng đột ngột."
GIVEN_UP = "Tiến trình chạy nền thực hiện việc này đã dừng đột ngột hai lần"
REFRESH = '<meta http-equiv="refresh"'


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def request_export(client, unit) -> ExportJob:
    data = {"unit": unit.pk, "category": "", "staff_status": "", "format": "zip"}
    assert client.post(reverse("personnel:exports"), data).status_code == 302
    return ExportJob.objects.get()


def exports_page(client) -> str:
    return client.get(reverse("personnel:exports")).content.decode()


def task(job: ExportJob) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=job.task_result_id)


def worker_takes(job: ExportJob) -> jobs.Lease:
    """What a worker does first: claim the task (django-tasks), then the job (its lease)."""
    task(job).claim("worker-in-test")
    lease = jobs.claim(ExportJob, job.pk)
    assert lease is not None
    return lease


def lease_runs_out(job: ExportJob) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )


# --- Retried once, then failed (workers played in-process) -----------------------------------


@pytest.mark.django_db
def test_a_job_whose_worker_dies_is_retried_once_then_failed_with_a_clear_message(
    world, client_for, media
):
    client = client_for(world.head)
    job = request_export(client, world.unit_a1)
    first_task = job.task_result_id

    # attempt 1: a worker takes the job, writes part of it, dies without a word
    lease = worker_takes(job)
    (job.directory / "1").mkdir(parents=True)
    (job.directory / "1" / "ho-so.zip").write_bytes(b"partial")
    lease.renew(done=1, total=2)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.done) == ("running", 1, 1)
    assert job.lease_expires_at > timezone.now()
    assert jobs.recover_expired() == 0  # the lease is still good: nobody touches it
    lease_runs_out(job)

    assert jobs.recover_expired() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.lease_owner, job.lease_expires_at) == (
        "queued", 1, "", None,
    )  # fmt: skip
    dead = DBTaskResult.objects.get(pk=first_task)
    assert dead.status == "FAILED" and dead.exception_class_path == "hrms.jobs.WorkerLost"
    assert job.task_result_id != first_task and task(job).status == "READY"
    page = exports_page(client)
    assert WAITING in page and RETRYING in page and REFRESH in page
    with pytest.raises(jobs.LeaseLost):  # the first worker, were it still alive, must stop
        lease.renew(done=2)
    with pytest.raises(jobs.LeaseLost):
        lease.finish(status=ExportJob.Status.DONE)

    # attempt 2: another worker takes it, and dies too
    worker_takes(job)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 2)
    lease_runs_out(job)

    assert jobs.recover_expired() == 1
    job.refresh_from_db()
    assert (job.status, job.error, job.attempts) == ("failed", jobs.WORKER_LOST, 2)
    assert job.finished_at is not None and job.lease_owner == ""
    assert task(job).status == "FAILED"
    assert not job.directory.exists()  # what the dead attempts wrote is gone
    assert not DBTaskResult.objects.filter(
        task_path="personnel.tasks.export_dossiers_task", status__in=["READY", "RUNNING"]
    ).exists()
    page = exports_page(client)
    assert f"Không thành công: {GIVEN_UP}" in page and REFRESH not in page
    assert jobs.recover_expired() == 0
    assert not AccessLogEntry.objects.filter(action="export_bulk").exists()


@pytest.mark.django_db
def test_the_exports_page_notices_a_dead_worker_as_it_refreshes(world, client_for):
    client = client_for(world.head)
    job = request_export(client, world.unit_a1)
    worker_takes(job)
    assert "Đang thực hiện" in exports_page(client)
    lease_runs_out(job)
    page = exports_page(client)
    job.refresh_from_db()
    assert job.status == "queued" and task(job).status == "READY"
    assert RETRYING in page


@pytest.mark.django_db
def test_expire_exports_recovers_jobs_whose_worker_died(world, client_for):
    job = request_export(client_for(world.head), world.unit_a1)
    worker_takes(job)
    lease_runs_out(job)
    out = io.StringIO()
    call_command("expire_exports", stdout=out)
    assert out.getvalue().splitlines() == ["1 stalled jobs recovered.", "0 exports expired."]
    job.refresh_from_db()
    assert job.status == "queued"


@pytest.mark.django_db
def test_the_watchdog_watches_again_while_the_lease_is_renewed_and_recovers_when_not(
    world, client_for
):
    job = request_export(client_for(world.head), world.unit_a1)
    worker_takes(job)
    label = ExportJob._meta.label
    watchdogs = DBTaskResult.objects.filter(task_path="hrms.tasks.watch_lease")
    assert watchdogs.count() == 1  # queued by the claim, for when the lease would end
    job.refresh_from_db()
    assert watchdogs.get().run_after == job.lease_expires_at + jobs.WATCH_GRACE

    assert watch_lease.call(label, str(job.pk), 1) == "renewed"
    assert watchdogs.count() == 2
    lease_runs_out(job)
    assert watch_lease.call(label, str(job.pk), 1) == "recovered"
    job.refresh_from_db()
    assert job.status == "queued"
    assert watch_lease.call(label, str(job.pk), 1) == "over"


@pytest.mark.django_db
def test_a_queued_job_whose_task_died_before_claiming_it_is_queued_again(world, client_for):
    job = request_export(client_for(world.head), world.unit_a1)
    first_task = job.task_result_id
    task(job).claim("worker-killed-at-once")
    assert jobs.recover_expired() == 0  # the worker may still be about to claim the job
    DBTaskResult.objects.filter(pk=first_task).update(
        started_at=timezone.now() - datetime.timedelta(seconds=settings.JOB_LEASE_SECONDS + 1)
    )
    assert jobs.recover_expired() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("queued", 1)
    assert DBTaskResult.objects.get(pk=first_task).status == "FAILED"
    assert task(job).status == "READY"


@pytest.mark.django_db
def test_a_job_already_taken_is_not_claimed_twice(world, client_for):
    job = request_export(client_for(world.head), world.unit_a1)
    worker_takes(job)
    assert jobs.claim(ExportJob, job.pk) is None


# --- A real worker process killed with SIGKILL ------------------------------------------------


def worker_environment(media: Path, lease_seconds: int) -> dict:
    """The environment of a ``manage.py db_worker`` working on this test's database."""
    env = {
        **os.environ,
        "HRMS_MEDIA_ROOT": str(media),
        "HRMS_JOB_LEASE_SECONDS": str(lease_seconds),
    }
    name = connection.settings_dict["NAME"]
    if env.get("DATABASE_URL"):
        parts = urlsplit(env["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    else:
        env["HRMS_DB_NAME"] = name
    return env


def start_worker(env: dict, worker_id: str, log: Path) -> subprocess.Popen:
    with log.open("w") as output:  # the child keeps its own copy of the file
        return subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
             "--interval", "0.2", "--worker-id", worker_id],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip


def wait_for(condition, worker: subprocess.Popen, log: Path, seconds: float = 120):
    """Poll the database until ``condition()`` holds; fail with the worker's log otherwise."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.poll() is not None:
            pytest.fail(f"the worker exited ({worker.returncode}):\n{log.read_text()}")
        time.sleep(0.05)
    pytest.fail(f"gave up waiting; worker log:\n{log.read_text()}")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_export_is_retried_by_another_worker_and_completes(
    world, client_for, media, tmp_path
):
    for number in range(30):
        StaffFactory(unit=world.unit_a1, full_name=f"Nguyễn Văn Số {number}")
    client = client_for(world.head)
    job = request_export(client, world.unit_a)
    first_task = job.task_result_id
    env = worker_environment(Path(media), lease_seconds=2)

    first_log = tmp_path / "first.log"
    first = start_worker(env, "first", first_log)
    try:

        def rendering():
            job.refresh_from_db()
            return job.status == "running" and job.done >= 2

        wait_for(rendering, first, first_log)
        first.send_signal(signal.SIGKILL)
    finally:
        first.kill()
        first.wait()
    assert first.returncode == -signal.SIGKILL

    job.refresh_from_db()
    assert job.status == "running" and job.done < job.total == 33  # stopped half-way
    assert DBTaskResult.objects.get(pk=first_task).status == "RUNNING"  # and left "running"

    second_log = tmp_path / "second.log"
    second = start_worker(env, "second", second_log)
    try:

        def finished():
            job.refresh_from_db()
            return job.status not in ("queued", "running")

        wait_for(finished, second, second_log)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)

    assert (job.status, job.attempts, job.done, job.problems) == ("done", 2, 33, []), (
        second_log.read_text()
    )
    dead = DBTaskResult.objects.get(pk=first_task)
    assert dead.status == "FAILED" and dead.worker_ids == ["first"]
    retry = DBTaskResult.objects.get(pk=job.task_result_id)
    assert retry.status == "SUCCESSFUL" and retry.worker_ids == ["second"]
    archive = zipfile.ZipFile(job.directory / "2" / "ho-so-a.zip")
    assert len([name for name in archive.namelist() if name.endswith(".pdf")]) == 33
    assert list(job.directory.iterdir()) == [job.directory / "2"]  # attempt 1's files are gone
    logged = AccessLogEntry.objects.filter(action="export_bulk")
    assert logged.count() == 33 == len(set(logged.values_list("staff", flat=True)))
    page = exports_page(client)
    assert "Tải hồ sơ" in page and REFRESH not in page


@pytest.mark.django_db(transaction=True)
def test_two_workers_share_one_export_and_it_completes_when_one_is_killed_mid_part(
    world, client_for, media, tmp_path
):
    """Issue 17: the records are cut into parts that every worker renders; the part a killed
    worker held is rendered again by the other, and the export completes with every record."""
    for number in range(30):
        StaffFactory(unit=world.unit_a1, full_name=f"Nguyễn Văn Số {number}")
    client = client_for(world.head)
    job = request_export(client, world.unit_a)
    env = {**worker_environment(Path(media), lease_seconds=2), "HRMS_EXPORT_PART_SIZE": "8"}
    logs = {name: tmp_path / f"{name}.log" for name in ("first", "second")}
    first = start_worker(env, "first", logs["first"])
    second = start_worker(env, "second", logs["second"])
    try:

        def both_rendering():
            # the first worker early in a part: at least four of its eight records still to
            # render, so it cannot finish the part between this look and the kill
            parts = ExportPart.objects.filter(job=job, status="running", done__gte=1)
            owners = {part.lease_owner.split(":")[1] for part in parts}
            early = {part.lease_owner.split(":")[1] for part in parts if part.done <= 4}
            return str(second.pid) in owners and str(first.pid) in early

        wait_for(both_rendering, first, logs["first"])
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert ExportPart.objects.filter(
            job=job, status="running", lease_owner__contains=f":{first.pid}:"
        ).exists()  # killed in the middle of a part

        def finished():
            job.refresh_from_db()
            return job.status not in ("queued", "running")

        wait_for(finished, second, logs["second"])
    finally:
        for worker in (first, second):
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=60)

    assert (job.status, job.done, job.total, job.problems) == ("done", 33, 33, []), logs[
        "second"
    ].read_text()
    parts = ExportPart.objects.filter(job=job)
    assert parts.count() == 5 and set(parts.values_list("status", flat=True)) == {"done"}
    # what the killed worker held was taken again: its part, or the job itself
    assert parts.filter(attempts=2).exists() or job.attempts == 2
    archive = zipfile.ZipFile(job.directory / str(job.attempts) / "ho-so-a.zip")
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == 33 == len(set(pdfs))
    assert not (job.directory / "parts").exists()  # the parts went into the ZIP
    logged = AccessLogEntry.objects.filter(action="export_bulk")
    assert logged.count() == 33 == len(set(logged.values_list("staff", flat=True)))


@pytest.mark.django_db
def test_a_part_whose_workers_died_twice_fails_the_job_with_that_reason(
    world, client_for, settings
):
    settings.EXPORT_PART_SIZE = 1
    job = request_export(client_for(world.head), world.unit_a)  # three records: three parts
    ids = list(
        exports.exported_staff(user=world.head, unit=world.unit_a).values_list("pk", flat=True)
    )
    exports._plan_parts(job, ids)
    part = ExportPart.objects.get(job=job, number=1)
    for _attempt in (1, 2):  # a worker takes the part and dies, twice
        assert jobs.claim(ExportPart, part.pk) is not None
        ExportPart.objects.filter(pk=part.pk).update(
            lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        assert jobs.recover_expired(models=[ExportPart]) == 1
    part.refresh_from_db()
    assert (part.status, part.error, part.attempts) == ("failed", jobs.WORKER_LOST, 2)

    with pytest.raises(exports.PartFailed):
        exports.run_export_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", jobs.WORKER_LOST)
    assert not job.directory.exists()
    assert not AccessLogEntry.objects.filter(action="export_bulk").exists()
