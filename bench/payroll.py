"""Monthly payroll over the seeded province (issue 11). Target: a province-wide month — every
paying unit's run, 100,000 payslips — computed and stored in ≤ 10 s on this 2-core machine.

Run: ``.venv/bin/python bench/payroll.py`` (the first run seeds the benchmark database).
Each measurement recomputes the same draft month (its payslips are replaced), so the figure
includes deleting the previous payslips.
"""

import resource
import time

from common import ensure_seeded, setup_django

setup_django()
ensure_seeded()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402

from payroll.models import PayrollRun, Payslip  # noqa: E402
from payroll.selectors.month import month_context  # noqa: E402
from payroll.selectors.payroll_inputs import people_of_month  # noqa: E402
from payroll.services import runs  # noqa: E402
from personnel.models import OrgUnit, Staff  # noqa: E402

YEAR, MONTH = 2026, 7
admin = User.objects.get(username="admin")
paying = OrgUnit.objects.filter(keeps_payroll=True, valid_to__isnull=True)
month_runs = [
    runs.payroll_run_open(unit=unit, year=YEAR, month=MONTH, actor=admin) for unit in paying
]
PayrollRun.objects.filter(pk__in=[run.pk for run in month_runs]).update(status="draft")
print(
    f"Province: {Staff.objects.count()} staff; {len(month_runs)} paying units; "
    f"month {MONTH:02d}/{YEAR}.\n",
    flush=True,
)

started = time.perf_counter()
ctx = month_context(YEAR, MONTH)
people = people_of_month(ctx, payroll_unit_ids=[run.unit_id for run in month_runs])
read = time.perf_counter() - started
print(f"read the month's inputs ({len(people)} people)          {read:6.2f} s", flush=True)

timings = []
for attempt in range(3):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE payroll_payslip")
    started = time.perf_counter()
    result = runs.payroll_runs_compute(runs=month_runs, actor=admin)
    timings.append(time.perf_counter() - started)
    print(
        f"compute and store, attempt {attempt + 1} ({result.payslips} payslips)      "
        f"{timings[-1]:6.2f} s   ({result.payslips / timings[-1]:,.0f} payslips/s)",
        flush=True,
    )
stored = Payslip.objects.filter(year=YEAR, month=MONTH).count()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(
    f"\nBest: {min(timings):.2f} s for {stored} payslips (target ≤ 10 s); peak RSS {peak:.0f} MiB"
)
