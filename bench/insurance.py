"""Insurance reports over the seeded province (issue 12). Target: the province-wide register and
D02-LT change list for 100,000 staff in ≤ 5 s.

Run: ``.venv/bin/python bench/insurance.py`` (the first run seeds the benchmark database).

Set-up (not measured): July and August 2026 are computed, approved and locked for every paying
unit through the payroll services (so the reports read the locked payroll, as in production),
some transfers between paying units and a backdated raise are recorded so that August has
changes of every kind, and everyone's participation periods are built once (timed separately).
"""

import datetime
import time
from decimal import Decimal

from common import ensure_seeded, logged_in_client, measure, setup_django

setup_django()
ensure_seeded()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

from insurance.exporters.d02lt import ChangeListExport  # noqa: E402
from insurance.exporters.register import register_workbook  # noqa: E402
from insurance.selectors.changes import change_list  # noqa: E402
from insurance.selectors.contributions import month_rows  # noqa: E402
from insurance.selectors.participants import participation_of  # noqa: E402
from insurance.selectors.register import register  # noqa: E402
from insurance.selectors.templates import d02lt_layout  # noqa: E402
from insurance.services.participation import participation_refresh  # noqa: E402
from payroll import services as payroll_services  # noqa: E402
from payroll.models import PayrollRun, SalaryRecord  # noqa: E402
from payroll.services import runs  # noqa: E402
from personnel import services as personnel_services  # noqa: E402
from personnel.models import OrgUnit, Staff  # noqa: E402

MONTH = 202608
admin = User.objects.get(username="admin")
approver, created = User.objects.get_or_create(username="bench_approver")
if created:
    approver.groups.add(personnel_services.provincial_admin_group_ensure())
paying = list(OrgUnit.objects.filter(keeps_payroll=True, valid_to__isnull=True))


def lock_month(year: int, month: int) -> None:
    done = PayrollRun.objects.filter(year=year, month=month, status="locked").count()
    if done >= len(paying):
        return
    started = time.perf_counter()
    month_runs = [
        runs.payroll_run_open(unit=u, year=year, month=month, actor=admin) for u in paying
    ]
    todo = [run for run in month_runs if run.status in ("draft", "computed")]
    runs.payroll_runs_compute(runs=todo, actor=admin)
    for run in PayrollRun.objects.filter(year=year, month=month, status="computed"):
        runs.payroll_run_approve(run=run, actor=approver)
    for run in PayrollRun.objects.filter(year=year, month=month, status="approved"):
        runs.payroll_run_lock(run=run, actor=admin)
    print(
        f"  payroll {month:02d}/{year} computed and locked in {time.perf_counter() - started:.1f} s"
    )


def add_changes() -> None:
    """Transfers between paying units from 1 August and raises backdated to 1 July (approved
    after July was locked, so August pays arrears and back contributions), once."""
    active = Staff.objects.filter(
        status="active", recruitment_date__lt=datetime.date(2026, 1, 1), user__isnull=True
    )
    schools = [u for u in paying if u.kind == OrgUnit.Kind.PUBLIC_SERVICE_UNIT][:40]
    if not Staff.objects.filter(movements__kind="transfer", movements__note="bench").exists():
        for index, person in enumerate(active.exclude(unit__in=schools).order_by("id")[:200]):
            personnel_services.staff_transfer(
                staff_id=person.pk, expected_version=None, to_unit=schools[index % len(schools)],
                effective_date=datetime.date(2026, 8, 1), actor=admin, note="bench",
            )  # fmt: skip
    if SalaryRecord.objects.filter(decided_by=approver).exists():
        return
    drafts = []
    for record in (
        SalaryRecord.objects.filter(
            status="approved", staff__status="active", staff__user__isnull=True, step__lt=6,
            effective_date__lt=datetime.date(2026, 1, 1),
        )
        .exclude(staff__salary_records__effective_date__gte=datetime.date(2026, 1, 1))
        .select_related("staff", "rank")
        .order_by("staff_id", "-effective_date")
        .distinct("staff_id")[:100]
    ):  # fmt: skip
        drafts.append(
            payroll_services.salary_draft_create(
                staff=record.staff,
                values={
                    "kind": SalaryRecord.Kind.REGULAR_RAISE,
                    "rank": record.rank,
                    "step": record.step + 1,
                    "effective_date": datetime.date(2026, 7, 1),
                    "leadership_coefficient": record.leadership_coefficient,
                    "beyond_scale_percent": Decimal(0),
                    "reserved_coefficient": record.reserved_coefficient,
                },
                actor=admin,
            )  # fmt: skip
        )
    payroll_services.salary_records_approve(records=drafts, actor=approver)
    print(f"  200 transfers from 01/08/2026; {len(drafts)} raises backdated to 01/07/2026")


print(f"Province: {Staff.objects.count()} staff; {len(paying)} paying units.")
lock_month(2026, 7)
add_changes()
lock_month(2026, 8)
started = time.perf_counter()
changed = participation_refresh()
elapsed = time.perf_counter() - started
print(f"  participation periods built or refreshed in {elapsed:.1f} s ({changed} people changed)\n")
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")

layout, _errors = d02lt_layout(MONTH)
counts = {}


def province_month() -> None:
    """What the insurance page does province-wide: the participation and the month's rows read
    once, the register with its summary, the change list and the D02-LT workbook."""
    participation = participation_of(MONTH, None)
    now = month_rows(
        MONTH,
        {staff_id: place.reporting_unit_id for staff_id, place in participation.now.items()},
        all_locked=True,
    )
    found = register(month=MONTH, unit_ids=None, participation=participation, now=now)
    changes = change_list(month=MONTH, unit_ids=None, participation=participation, now=now)
    content = ChangeListExport(changes, layout).xlsx()
    counts.update(rows=len(found.rows), changes=len(changes.changes), units=len(changes.units),
                  size=len(content))  # fmt: skip


def d02lt_only() -> None:
    changes = change_list(month=MONTH, unit_ids=None)
    ChangeListExport(changes, layout).xlsx()


def register_only() -> None:
    register(month=MONTH, unit_ids=None)


results = [
    measure("register + D02-LT, whole province (selectors + XLSX)", province_month, runs=5,
            warmup=1),
    measure("register alone, whole province (with the summary)", register_only, runs=5, warmup=1),
    measure("D02-LT alone, whole province (changes + XLSX)", d02lt_only, runs=5, warmup=1),
]  # fmt: skip
print(
    f"  {counts['rows']} participants, {counts['changes']} change rows in "
    f"{counts['units']} reporting units, D02-LT {counts['size'] / 1024:.0f} KiB"
)
started = time.perf_counter()
content = register_workbook(register(month=MONTH, unit_ids=None, funds=True))
print(
    f"register workbook, whole province (100,000 rows)      {time.perf_counter() - started:6.2f} s"
    f"   ({len(content) / 1024 / 1024:.1f} MiB)"
)

clerk = logged_in_client("clerk")
clerk_unit = OrgUnit.objects.get(code="SGDDT")
month_url = f"{reverse('insurance:month')}?unit={clerk_unit.pk}&month=08/2026"
clerk.get(month_url)
measure("GET /insurance/ (clerk, education subtree)", lambda: clerk.get(month_url), runs=10)
staff = Staff.objects.filter(user__username="staff").first()
if staff is not None:
    own = logged_in_client("staff")
    url = reverse("insurance:staff", args=[staff.pk])
    measure("GET /staff/<own>/insurance/ (staff member)", lambda: own.get(url), runs=10)
best = results[0]["median_ms"] / 1000
print(f"\nProvince-wide register + D02-LT: median {best:.2f} s (target ≤ 5 s).")
