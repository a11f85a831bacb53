"""Payroll outputs (issue 11): one payslip PDF, and the register, bank list and contributions
summary of a province-wide month of 100,000 payslips.

Targets: a payslip PDF in ≤ 50 ms; the 100,000-payslip register XLSX in ≤ 20 s with bounded
memory. Run: ``make bench`` (or ``.venv/bin/python bench/payroll_outputs.py``).

The first run builds the month once: it computes March 2026 for every paying unit of the
seeded province with the payroll services, then gathers all payslips into one run of the
province's root unit, so that one register holds the whole province, and drops the per-unit
runs. Later runs reuse it (the run is marked). Each export is written by a child process
of its own, so its peak memory (``ru_maxrss``) is the export's, not the set-up's.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

from common import ensure_seeded, setup_django

# The province-wide bench run: March 2026 of the root unit, marked so it is never mistaken for
# a run of another benchmark.
BENCH_YEAR, BENCH_MONTH = 2026, 3
MARK = "bench: the whole province in one run"


def child(kind: str, run_id: int) -> None:
    """In a child process: write one export of the bench run, report time and memory."""
    setup_django()
    from django.db import connection

    from payroll.exporters.bank_list import BankListExport
    from payroll.exporters.contributions import ContributionsExport
    from payroll.exporters.register import RegisterExport
    from payroll.models import PayrollRun

    run = PayrollRun.objects.select_related("unit").get(pk=run_id)
    connection.ensure_connection()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    exporter = {
        "register": RegisterExport,
        "bank": BankListExport,
        "contributions": ContributionsExport,
    }[kind]
    with tempfile.TemporaryFile() as handle:
        started = time.perf_counter()
        exporter(run, extracted_by="bench").write(handle)
        seconds = time.perf_counter() - started
        size = handle.tell()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "size": size, "peak": peak, "baseline": baseline}))


def build_month():
    """The province-wide run of 100,000 payslips (built once, see the module docstring)."""
    from django.db import connection, transaction
    from django.db.models import Count, Sum

    from payroll.models import PayrollRun, Payslip
    from payroll.services import runs
    from personnel.models import OrgUnit

    root = OrgUnit.objects.filter(depth=1).order_by("path").first()
    existing = PayrollRun.objects.filter(unit=root, returned_reason=MARK).first()
    if existing is not None and existing.headcount:
        return existing
    print("Building the province-wide month (first run only)…", flush=True)
    started = time.perf_counter()
    units = list(OrgUnit.objects.filter(keeps_payroll=True, valid_to__isnull=True))
    with transaction.atomic():
        month_runs = [
            runs.payroll_run_open(unit=unit, year=BENCH_YEAR, month=BENCH_MONTH, actor=None)
            for unit in units
        ]
        result = runs.payroll_runs_compute(runs=month_runs, actor=None)
        print(
            f"  computed {result.payslips} payslips in {len(month_runs)} runs "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        ids = [run.pk for run in month_runs if run.unit_id != root.pk]
        bench = next(run for run in month_runs if run.unit_id == root.pk)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE payroll_payslip SET run_id = %s WHERE run_id = ANY(%s)", [bench.pk, ids]
            )
        PayrollRun.objects.filter(pk__in=ids).delete()
        totals = Payslip.objects.filter(run=bench).aggregate(
            headcount=Count("id"), gross=Sum("gross"), net=Sum("net"),
            employee_insurance=Sum("employee_insurance"),
            employer_insurance=Sum("employer_insurance"), union_dues=Sum("union_dues"),
            personal_income_tax=Sum("personal_income_tax"), arrears=Sum("arrears"),
        )  # fmt: skip
        PayrollRun.objects.filter(pk=bench.pk).update(
            returned_reason=MARK, **{k: v or 0 for k, v in totals.items()}
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE payroll_payslip")
    print(f"  built in {time.perf_counter() - started:.1f} s\n", flush=True)
    return PayrollRun.objects.get(pk=bench.pk)


def bench_payslips(run) -> None:
    from django.utils import timezone

    from payroll.exporters.payslip_pdf import PayslipPDF, payslip_data, payslip_queryset

    slips = list(payslip_queryset().filter(run=run).order_by("-arrears", "-union_dues", "id")[:60])
    ids = [slip.pk for slip in slips]
    now = timezone.localtime()
    for slip in slips[:5]:  # warm-up: fonts
        PayslipPDF(payslip_data(slip), extracted_by="bench", extracted_at=now).render()
    render, total = [], []
    for pk in ids[:40]:
        started = time.perf_counter()
        slip = payslip_queryset().get(pk=pk)
        data = payslip_data(slip)
        loaded = time.perf_counter()
        pdf = PayslipPDF(data, extracted_by="bench", extracted_at=now).render()
        finished = time.perf_counter()
        render.append((finished - loaded) * 1000)
        total.append((finished - started) * 1000)
    render.sort()
    total.sort()
    p95 = int(0.95 * (len(render) - 1))
    print(
        f"one payslip, render only            median {statistics.median(render):6.1f} ms"
        f"   p95 {render[p95]:6.1f} ms   ({len(pdf) // 1024} KiB)"
    )
    print(
        f"one payslip, with its data queries  median {statistics.median(total):6.1f} ms"
        f"   p95 {total[p95]:6.1f} ms"
    )


def main() -> None:
    setup_django()
    ensure_seeded()
    run = build_month()
    print(f"Bench month: {run.headcount} payslips in one run.\n", flush=True)
    bench_payslips(run)
    for kind in ("register", "bank", "contributions"):
        output = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(run.pk)],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ,
        ).stdout
        figures = json.loads(output.strip().splitlines()[-1])
        print(
            f"{kind:<14} {run.headcount} payslips   {figures['seconds']:6.1f} s"
            f"   ({figures['size'] / 1024 / 1024:.1f} MiB; peak memory {figures['peak']:.0f} MiB,"
            f" {figures['peak'] - figures['baseline']:.0f} MiB above the process at start)",
            flush=True,
        )
    print("\nTargets: one payslip < 50 ms; the 100,000-payslip register < 20 s, bounded memory.")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
