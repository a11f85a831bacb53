"""Staff search and the staff page over the seeded province (issue 3).

Targets: list + search p95 under 150 ms; the staff page under 100 ms; constant query counts.
Run: ``make bench`` (or ``.venv/bin/python bench/dossier.py``).
"""

import random

from common import ensure_seeded, logged_in_client, measure, setup_django

setup_django()
ensure_seeded()

from django.contrib.auth.models import User  # noqa: E402
from django.urls import reverse  # noqa: E402

from personnel import permissions  # noqa: E402
from personnel.models import Staff  # noqa: E402

clerk = logged_in_client("clerk")
admin = logged_in_client("admin")
list_url = reverse("personnel:staff_list")
clerk_user = User.objects.get(username="clerk")
in_scope = list(
    permissions.visible_staff(clerk_user)
    .order_by("id")
    .values_list("pk", "personal_id", "staff_number")
)
sample = random.Random(1).sample(in_scope, 20)


def get(client, url, params=None, expect=200):
    response = client.get(url, params or {})
    assert response.status_code == expect, (url, response.status_code)
    return response


print(f"Province: {Staff.objects.count()} staff; the clerk may see {len(in_scope)}.\n")
results = []
for label, client, query in [
    ("clerk: q=nguyen van an", clerk, "nguyen van an"),
    ("clerk: q=tran thi", clerk, "tran thi"),
    ("clerk: q=<personal ID>", clerk, sample[0][1]),
    ("clerk: q=<staff number>", clerk, sample[1][2]),
    ("admin (100,000 staff): q=nguyen van an", admin, "nguyen van an"),
    ("admin (100,000 staff): q=hoa", admin, "hoa"),
    ("admin (100,000 staff): q=le thi thu hang", admin, "le thi thu hang"),
    ("admin (100,000 staff): q=<personal ID>", admin, sample[2][1]),
    ("admin (100,000 staff): no search, page 1", admin, ""),
]:
    results.append(measure(f"list {label}", lambda c=client, q=query: get(c, list_url, {"q": q})))

list_worst = max(result["p95_ms"] for result in results)
pages = iter(sample * 100)
page_result = measure(
    "staff page (20 different records, clerk)",
    lambda: get(clerk, reverse("personnel:staff_detail", args=[next(pages)[0]])),
    runs=60,
)
history_result = measure(
    "history tab (clerk)",
    lambda: get(clerk, reverse("personnel:staff_history", args=[next(pages)[0]])),
    runs=30,
)
print(
    f"\nList + search worst p95: {list_worst:.1f} ms (target < 150 ms). "
    f"Staff page p95: {page_result['p95_ms']:.1f} ms (target < 100 ms), "
    f"queries {page_result['queries']}."
)
