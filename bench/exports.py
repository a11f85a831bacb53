"""Printed dossiers (issue 5): one dossier's render time and a 1,000-dossier bulk export.

Targets: one dossier under 50 ms; 1,000 dossiers in 30 s or less with two workers on this 2-core
machine; the peak memory of every worker under 300 MiB whatever the number of dossiers.

The export runs as in production: the job is cut into parts that ``BENCH_WORKERS`` (2) real
``manage.py db_worker`` processes render, and one of them assembles the ZIP or the merged PDF.
``BENCH_EXPORT_COUNTS`` (``1000``; e.g. ``1000,10000,100000``) sets the sizes and
``BENCH_EXPORT_FORMATS`` (``zip,merged``) the formats; beyond the
Department of Education's 5,190 records the first records of the whole province are taken.
Run: ``make bench`` (or ``.venv/bin/python bench/exports.py``).
"""

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from common import ROOT, ensure_seeded, setup_django

setup_django()
ensure_seeded()

import datetime  # noqa: E402

from django.contrib.auth.models import User  # noqa: E402
from django.db import transaction  # noqa: E402

from hrms import jobs  # noqa: E402
from personnel import selectors  # noqa: E402
from personnel.exporters.dossier_pdf import DossierPDF  # noqa: E402
from personnel.models import ExportJob, OrgUnit  # noqa: E402
from personnel.presentation import dossier_queryset  # noqa: E402
from personnel.services.exports import _plan_parts, exported_staff  # noqa: E402

education = OrgUnit.objects.get(code="SGDDT")
staff = exported_staff(user=None, unit=education)
print(f"Department of Education subtree: {staff.count()} staff.\n")

people = list(dossier_queryset().filter(pk__in=staff.values("pk")[:40]))
now = datetime.datetime(2026, 11, 21, 9, 0)
render_times, total_times = [], []
for person in people[:5]:  # warm-up: fonts, templates
    DossierPDF(selectors.dossier_data(staff=person), show_sensitive=True, extracted_by="bench",
               extracted_at=now).render()  # fmt: skip
for person in people:
    started = time.perf_counter()
    data = selectors.dossier_data(staff=person)
    loaded = time.perf_counter()
    pdf = DossierPDF(data, show_sensitive=True, extracted_by="bench", extracted_at=now).render()
    finished = time.perf_counter()
    render_times.append((finished - loaded) * 1000)
    total_times.append((finished - started) * 1000)
render_times.sort()
total_times.sort()
print(
    f"one dossier, render only            median {statistics.median(render_times):6.1f} ms"
    f"   p95 {render_times[int(0.95 * (len(render_times) - 1))]:6.1f} ms   ({len(pdf) // 1024} KiB)"
)
print(
    f"one dossier, with its data queries  median {statistics.median(total_times):6.1f} ms"
    f"   p95 {total_times[int(0.95 * (len(total_times) - 1))]:6.1f} ms"
)


def worker_peak_mib(pid: int) -> float:
    """The peak resident memory (VmHWM) of a running process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def export_with_workers(ids: list[int], fmt: str, workers: int) -> None:
    """A bulk export of ``ids`` as the background job runs it: cut into parts, rendered by
    ``workers`` real ``manage.py db_worker`` processes, assembled by the one holding the job."""
    admin = User.objects.get(username="admin")
    with tempfile.TemporaryDirectory() as media:
        env = {**os.environ, "HRMS_MEDIA_ROOT": media, "DJANGO_DEBUG": "0", "DJANGO_DEMO": "1"}
        with transaction.atomic():
            job = ExportJob.objects.create(requested_by=admin, unit=education, format=fmt)
            _plan_parts(job, ids)  # the job's own first step, given exactly these records
            ExportJob.objects.filter(pk=job.pk).update(total=len(ids))
            jobs.enqueue(job)
        started = time.perf_counter()
        processes = [
            subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--no-reload",
                    "--no-startup-delay",
                    "--interval",
                    "0.1",
                    "--worker-id",
                    f"bench-{number}",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            for number in range(workers)
        ]
        peaks = [0.0] * workers
        try:
            while True:
                job.refresh_from_db()
                now = [worker_peak_mib(process.pid) for process in processes]
                peaks = [max(pair) for pair in zip(peaks, now, strict=True)]
                if job.status not in ("queued", "running"):
                    break
                if any(process.poll() is not None for process in processes):
                    raise SystemExit("a worker exited")
                time.sleep(0.2)
            seconds = time.perf_counter() - started
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=120)
        print(  # before the checks: a failing check still leaves the run's figures
            f"{len(ids):>6} dossiers, {fmt:<6}, {workers} workers  {seconds:7.1f} s"
            f"   ({len(ids) / seconds:5.1f}/s; peak RSS per worker "
            f"{' / '.join(f'{peak:.0f}' for peak in peaks)} MiB); job {job.status}",
            flush=True,
        )
        assert job.status == "done", (job.status, job.error)
        main = Path(media) / job.main_file
        size = main.stat().st_size / 1024 / 1024
        if fmt == ExportJob.Format.ZIP:
            names = zipfile.ZipFile(main).namelist()
            assert len([n for n in names if n.endswith(".pdf")]) == job.exported
            found = f"{len(names)} files"
        else:
            pages = _page_count(main)
            assert pages >= job.exported, (pages, job.exported)
            found = f"{pages} pages"
        ExportJob.objects.filter(pk=job.pk).delete()
    print(f"        file {size:.1f} MiB, {found}, {job.exported} dossiers", flush=True)


def _page_count(path: Path) -> int:
    """Pages of a PDF, read by poppler's ``pdfinfo`` (pypdf refuses a page tree of more than
    100,000 entries, which a province-wide export has)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )


WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
COUNTS = [int(n) for n in os.environ.get("BENCH_EXPORT_COUNTS", "1000").split(",")]
FORMATS = os.environ.get("BENCH_EXPORT_FORMATS", "zip,merged").split(",")
province = list(
    exported_staff(user=None, unit=OrgUnit.get_root_nodes().first()).values_list("pk", flat=True)
)
education_ids = list(staff.values_list("pk", flat=True))
for count in COUNTS:
    ids = education_ids[:count] if count <= len(education_ids) else province[:count]
    for fmt in FORMATS:
        export_with_workers(ids, fmt, WORKERS)
print(
    "\nTargets: one dossier < 50 ms; 1,000 dossiers <= 30 s with two workers; worker memory"
    " < 300 MiB whatever the count."
)
