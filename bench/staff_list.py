"""Scoped staff list for the demo HR clerk over the seeded province (issue 2).

Target: server time under 50 ms, constant query count. Run: ``make bench-staff-list``
(or ``.venv/bin/python bench/staff_list.py``).
"""

from common import ensure_seeded, logged_in_client, measure, setup_django

setup_django()
ensure_seeded()

from django.contrib.auth.models import User  # noqa: E402
from django.urls import reverse  # noqa: E402

from personnel import permissions  # noqa: E402
from personnel.models import OrgUnit, Staff  # noqa: E402

client = logged_in_client("clerk")
clerk = User.objects.get(username="clerk")
url = reverse("personnel:staff_list")
in_scope = permissions.visible_staff(clerk).count()
print(
    f"Province: {Staff.objects.count()} staff in {OrgUnit.objects.count()} units; "
    f"the clerk may see {in_scope}."
)


def get(params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code


def scoped_query_only():
    user = User.objects.get(username="clerk")
    staff = permissions.visible_staff(user).select_related("unit").order_by("sort_key", "id")
    staff.count()
    list(staff[:50])


school = OrgUnit.objects.get(code="SGDDT-THPTCHUYEN")
results = [
    measure("scope + count + first page (selector only)", scoped_query_only),
    measure("GET /staff/ (page 1)", get),
    measure("GET /staff/?page=40", lambda: get({"page": 40})),
    measure("GET /staff/?sort=-birth", lambda: get({"sort": "-birth"})),
    measure(
        "GET /staff/?unit=<school>&status=active",
        lambda: get({"unit": school.pk, "status": "active"}),
    ),
]
worst = max(result["p95_ms"] for result in results[1:])
counts = {count for result in results[1:] for count in result["queries"]}
print(
    f"\nWorst p95 of the page: {worst:.1f} ms (target < 50 ms); query counts seen: {sorted(counts)}"
)
