"""Salary due lists over the seeded province (issues 4, 17). Target: each list renders in under 1 s.

Run: ``make bench`` (or ``.venv/bin/python bench/due_lists.py``).
"""

import datetime

from common import ensure_seeded, logged_in_client, measure, setup_django

setup_django()
ensure_seeded()

from django.contrib.auth.models import User  # noqa: E402
from django.urls import reverse  # noqa: E402

from payroll.models import SalaryRecord  # noqa: E402
from payroll.selectors.due_lists import due_list, scoped_staff  # noqa: E402
from personnel.models import Staff  # noqa: E402

admin = logged_in_client("admin")
clerk = logged_in_client("clerk")
url = reverse("payroll:due_list")
print(
    f"Province: {Staff.objects.count()} staff, "
    f"{SalaryRecord.objects.filter(status='approved').count()} approved salary decisions.\n"
)
PERIOD = {"start": "01/07/2026", "end": "31/12/2026"}
admin_user = User.objects.get(username="admin")
results = []
for kind in ("regular", "beyond", "early", "retirement"):
    params = {**PERIOD, "list": kind}
    first, last = datetime.date(2026, 7, 1), datetime.date(2026, 12, 31)
    if kind == "early":
        params = {"list": kind, "start": "01/01/2026", "end": "31/12/2026"}
        first = datetime.date(2026, 1, 1)
    rows = len(
        due_list(staff=scoped_staff(user=admin_user, unit=None), kind=kind, start=first, end=last)
    )
    results.append(
        measure(
            f"admin, whole province: {kind} ({rows} rows)",
            lambda p=params: admin.get(url, p),
            runs=5,
            warmup=1,
        )
    )
for kind in ("regular", "retirement"):
    results.append(
        measure(
            f"clerk, education subtree: {kind}",
            lambda k=kind: clerk.get(url, {**PERIOD, "list": k}),
            runs=10,
        )
    )
worst = max(result["p95_ms"] for result in results)
print(f"\nWorst p95: {worst:.0f} ms (target < 1000 ms province-wide)")
