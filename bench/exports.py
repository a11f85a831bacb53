"""Printed dossiers (issue 5): one dossier's render time and a 1,000-dossier bulk export.

Targets: one dossier under 50 ms; 1,000 dossiers under 60 s on this 2-core machine.
Run: ``make bench`` (or ``.venv/bin/python bench/exports.py``).
"""

import resource
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

from common import ensure_seeded, setup_django

setup_django()
ensure_seeded()

import datetime  # noqa: E402

from personnel import selectors  # noqa: E402
from personnel.exporters.dossier_pdf import DossierPDF  # noqa: E402
from personnel.models import ExportJob, OrgUnit  # noqa: E402
from personnel.presentation import dossier_queryset  # noqa: E402
from personnel.services.exports import exported_staff, write_export  # noqa: E402

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

thousand = staff.filter(pk__in=staff.values("pk")[:1000])
for fmt in (ExportJob.Format.ZIP, ExportJob.Format.MERGED):
    with tempfile.TemporaryDirectory() as work:
        started = time.perf_counter()
        main, summary, ids = write_export(
            staff=thousand, target_dir=Path(work), base_name="bench", format=fmt,
            show_sensitive_for=lambda person: True, extracted_by="bench",
        )  # fmt: skip
        seconds = time.perf_counter() - started
        size = main.stat().st_size / 1024 / 1024
        if fmt == ExportJob.Format.ZIP:
            assert len([n for n in zipfile.ZipFile(main).namelist() if n.endswith(".pdf")]) == len(
                ids
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(ids)} dossiers, {fmt:<6}              {seconds:6.1f} s"
        f"   ({size:.1f} MiB, peak memory so far {peak:.0f} MiB)"
    )
print("\nTargets: one dossier < 50 ms; 1,000 dossiers < 60 s.")
