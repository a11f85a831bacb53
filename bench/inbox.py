"""The home page's inbox and the charts page at 100,000 staff (issue 14).

Target: each renders in under 300 ms for the province-wide administrator. Also measured: the
inbox of the demo clerk (due lists of the Department of Education subtree) and head, and the
charts of the head. Set-up (not measured): 200 pending change requests in the clerk's units.

The charts' figures are kept in the database (``ChartSnapshot``, see payroll.selectors.charts)
and refreshed by the background worker. Three cases are measured for the charts:

- *served*: the figures are kept and fresh (what a visitor meets while the worker keeps the
  scope warm, and on any visit within 15 minutes of another), the process cache empty too;
- *truly cold*: nothing kept anywhere (no snapshot, empty cache): the visitor waits for the
  figures to be computed (a scope nobody looked at today, or no worker running);
- *background refresh*: what the worker spends computing the figures again (nobody waits).

Run: ``.venv/bin/python bench/inbox.py``.
"""

from common import ensure_seeded, logged_in_client, measure, setup_django

setup_django()
ensure_seeded()

from django.contrib.auth.models import User  # noqa: E402
from django.urls import reverse  # noqa: E402

from personnel import permissions  # noqa: E402
from personnel.models import ChangeRequest, Staff  # noqa: E402

clerk = User.objects.get(username="clerk")
if not ChangeRequest.objects.exists():
    people = permissions.visible_staff(clerk, permissions.CHANGE_STAFF).exclude(user=None)[:200]
    people = list(people) or list(permissions.visible_staff(clerk, permissions.CHANGE_STAFF)[:200])
    ChangeRequest.objects.bulk_create(
        ChangeRequest(staff=person, section="residence", proposed={"phone": "0912000111"},
                      requested_by=person.user or clerk)
        for person in people
    )  # fmt: skip
print(f"Province: {Staff.objects.count()} staff; {ChangeRequest.objects.count()} change requests.")


def page(username: str, url: str, params=None):
    client = logged_in_client(username)

    def get():
        response = client.get(url, params or {})
        assert response.status_code == 200, response.status_code

    return get


home, charts = reverse("home"), reverse("payroll:charts")


def cold(action, *, snapshots: bool = True):
    """The same page with the process cache empty (the inbox's due-list counts are kept ten
    minutes per process) and, with ``snapshots``, no chart figures kept in the database."""
    from django.core.cache import cache

    from payroll.models import ChartSnapshot

    def run():
        cache.clear()
        if snapshots:
            ChartSnapshot.objects.all().delete()
        action()

    return run


def refresh(username: str):
    """The worker's refresh of the scope's figures for today (as the queued task runs it)."""
    from django.utils import timezone

    from payroll.models import ChartSnapshot
    from payroll.selectors.charts import chart_figures, chart_figures_refresh

    user = User.objects.get(username=username)
    chart_figures(user=user, on=timezone.localdate())
    snapshot = ChartSnapshot.objects.filter(user=user).latest("computed_at")

    def run():
        chart_figures_refresh(snapshot_id=snapshot.pk, follow_today=True)

    return run


served = {"snapshots": False}
results = [
    measure("admin: home page (inbox, province totals)", page("admin", home), runs=20),
    measure("admin: charts page, figures kept (served)", cold(page("admin", charts), **served),
            runs=10, warmup=2),
    measure("head: home page (inbox)", page("head", home), runs=20),
    measure("head: charts page, figures kept (served)", cold(page("head", charts), **served),
            runs=10, warmup=2),
    measure("clerk: home page (inbox with due lists)", page("clerk", home), runs=20),
    measure("admin: charts page, nothing kept (truly cold)", cold(page("admin", charts)), runs=5,
            warmup=1),
    measure("head: charts page, nothing kept (truly cold)", cold(page("head", charts)), runs=5,
            warmup=1),
    measure("admin: background refresh of the province (worker)", refresh("admin"), runs=3,
            warmup=1),
    measure("clerk: home page, nothing kept (cold)", cold(page("clerk", home)), runs=5, warmup=1),
]  # fmt: skip
worst = max(result["p95_ms"] for result in results[:2])
print(f"\nAdministrator, worst p95 (inbox, charts served): {worst:.0f} ms (target < 300 ms)")
