"""The salary decisions screen over the seeded province (issue 15): the "approved" tab, newest
decision first and paged, as the administrator (every approved decision of 100,000 staff) and
as the demo clerk (the Department of Education subtree); the drafts tab.

Target: each page < 300 ms; constant query counts.
Run: ``.venv/bin/python bench/decisions.py``.
"""

from common import ensure_seeded, logged_in_client, measure, setup_django

setup_django()
ensure_seeded()

from django.urls import reverse  # noqa: E402

from payroll.models import SalaryRecord  # noqa: E402

url = reverse("payroll:decisions")
admin = logged_in_client("admin")
clerk = logged_in_client("clerk")


def get(client, params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response


approved = SalaryRecord.objects.filter(status="approved").count()
print(f"{approved} approved salary decisions.\n")
results = [
    measure("admin: approved, page 1", lambda: get(admin, {"status": "approved"})),
    measure("admin: approved, page 200", lambda: get(admin, {"status": "approved", "page": 200})),
    measure("clerk: approved, page 1", lambda: get(clerk, {"status": "approved"})),
    measure("admin: drafts", lambda: get(admin, {"status": "draft"})),
    measure("admin: rejected", lambda: get(admin, {"status": "rejected"})),
]
worst = max(result["p95_ms"] for result in results)
print(f"\nWorst p95: {worst:.1f} ms (target < 300 ms)")
