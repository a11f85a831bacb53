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


def _memory(field: str) -> float:
    """``VmHWM`` (peak) or ``VmRSS`` (now) of this process in MiB. Not ``ru_maxrss``: Linux
    keeps that across exec, so a child would report its parent's peak."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise LookupError(field)


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
    baseline = _memory("VmRSS")
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
    peak = _memory("VmHWM")
    print(json.dumps({"seconds": seconds, "size": size, "peak": peak, "baseline": baseline}))


def build_month():
    """The province-wide run of 100,000 payslips (built once, see the module docstring)."""
    from django.db import connection, transaction
    from django.db.models import Count, Sum

    from payroll.models import PayrollRun, Payslip
    from payroll.services import runs
    from personnel.models import OrgUnit, Staff

    root = OrgUnit.objects.filter(depth=1).order_by("path").first()
    existing = PayrollRun.objects.filter(unit=root, returned_reason=MARK).first()
    if existing is not None:
        if existing.headcount == Staff.objects.count():
            return existing
        with connection.cursor() as cursor:  # an older build: built again
            cursor.execute("DELETE FROM payroll_payslip WHERE run_id = %s", [existing.pk])
            existing.delete()
            cursor.execute("ANALYZE payroll_payslip")
    print("Building the province-wide month (first run only)…", flush=True)
    started = time.perf_counter()
    units = list(OrgUnit.objects.filter(keeps_payroll=True, valid_to__isnull=True))
    with transaction.atomic(), connection.cursor() as cursor:
        # The totals of the runs are summed by one UPDATE joining runs and payslips, planned
        # with the statistics of before the COPY (empty tables here): a nested loop over the
        # whole payslip index per run, which took over 20 minutes. Reported to the payroll
        # core; meanwhile this build plans without nested loops.
        cursor.execute("SET LOCAL enable_nestloop = off")
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
        _pad_to_every_staff_member(bench)
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


def _pad_to_every_staff_member(run) -> None:
    """The month pays only working staff with a salary (about 83,000 of the 100,000 seeded);
    the target is a register of 100,000 payslips, so everyone the month does not pay gets a
    copy of a computed payslip (their own name, number and unit; another person's figures)."""
    from django.db import connection

    from payroll.models import Payslip

    copied = [
        field.column for field in Payslip._meta.concrete_fields
        if field.column not in ("id", "run_id", "staff_id", "unit_id")
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH missing AS (
                SELECT s.id, s.unit_id, row_number() OVER (ORDER BY s.id) AS n
                FROM personnel_staff s
                WHERE NOT EXISTS (SELECT 1 FROM payroll_payslip p
                                  WHERE p.run_id = %(run)s AND p.staff_id = s.id)
            ), model AS (
                SELECT p.*, row_number() OVER (ORDER BY p.id) AS n
                FROM payroll_payslip p WHERE p.run_id = %(run)s
            ), total AS (
                SELECT count(*) AS total FROM payroll_payslip WHERE run_id = %(run)s
            )
            INSERT INTO payroll_payslip (run_id, staff_id, unit_id, {", ".join(copied)})
            SELECT %(run)s, missing.id, missing.unit_id, {", ".join(f"model.{c}" for c in copied)}
            FROM missing CROSS JOIN total
            JOIN model ON model.n = (missing.n - 1) %% total.total + 1
            """,
            {"run": run.pk},
        )
        print(f"  {cursor.rowcount} copies for the staff the month does not pay", flush=True)


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
