"""The API at province scale (issue 16): a page of 100 staff, and a full incremental sync of
every record through the cursor pages, as a client system with a token would do it.

Targets: a page of 100 staff ≤ 100 ms; a full sync of 100,000 staff ≤ 60 s. Run with
``DATABASE_URL=… .venv/bin/python bench/api.py`` (see bench/README.md).
"""

import time

from common import ensure_seeded, measure, setup_django

setup_django()
ensure_seeded()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from api.tokens import token_issue  # noqa: E402
from personnel.models import OrgUnit, Staff  # noqa: E402

admin = User.objects.get(username="admin")
clerk = User.objects.get(username="clerk")
_token, admin_key = token_issue(user=admin, name="bench (province)", actor=None,
                                rate_per_minute=1_000_000)  # fmt: skip
_token, clerk_key = token_issue(user=clerk, name="bench (clerk)", actor=None,
                                rate_per_minute=1_000_000)  # fmt: skip
as_admin = Client(headers={"Authorization": f"Bearer {admin_key}"})
as_clerk = Client(headers={"Authorization": f"Bearer {clerk_key}"})
print(f"Province: {Staff.objects.count()} staff in {OrgUnit.objects.count()} units.")


def get(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return response


school = OrgUnit.objects.get(code="SGDDT-THPTCHUYEN")
one = Staff.objects.filter(unit=school).values_list("pk", flat=True).first()
middle = get(as_admin, "/api/v1/staff/", {"page_size": 1000}).json()["next_cursor"]
results = [
    measure("GET /api/v1/staff/ (100, province-wide token)",
            lambda: get(as_admin, "/api/v1/staff/", {"page_size": 100})),
    measure("GET /api/v1/staff/ (100, clerk's token, scoped)",
            lambda: get(as_clerk, "/api/v1/staff/", {"page_size": 100})),
    measure("GET /api/v1/staff/?cursor=… (100, after 1,000)",
            lambda: get(as_admin, "/api/v1/staff/", {"page_size": 100, "cursor": middle})),
    measure("GET /api/v1/staff/?unit=<school> (100)",
            lambda: get(as_clerk, "/api/v1/staff/", {"page_size": 100, "unit": school.pk})),
    measure("GET /api/v1/staff/<id>/ (one dossier)",
            lambda: get(as_clerk, f"/api/v1/staff/{one}/")),
]  # fmt: skip


def full_sync(client, page_size=1000, changed_since=None):
    params = {"page_size": page_size}
    if changed_since:
        params["changed_since"] = changed_since
    records, pages, size, mark = 0, 0, 0, None
    with CaptureQueriesContext(connection) as queries:
        while True:
            response = get(client, "/api/v1/staff/", params)
            size += len(response.content)
            page = response.json()
            mark = mark or page["sync_mark"]
            records += len(page["results"])
            pages += 1
            if page["next_cursor"] is None:
                break
            params["cursor"] = page["next_cursor"]
    return records, pages, size, len(queries), mark


started = time.perf_counter()
records, pages, size, queries, mark = full_sync(as_admin)
elapsed = time.perf_counter() - started
print(
    f"\nFull sync, province-wide token, 1,000 a page: {records} records in {pages} pages, "
    f"{size / 1e6:.1f} MB of JSON, {queries} queries: {elapsed:.1f} s (target ≤ 60 s)"
)
started = time.perf_counter()
records_c, pages_c, _size, _queries, _mark = full_sync(as_clerk)
print(
    f"Full sync, clerk's token (scoped): {records_c} records in {pages_c} pages: "
    f"{time.perf_counter() - started:.1f} s"
)
started = time.perf_counter()
changed, pages_i, _size, _queries, _mark = full_sync(as_admin, changed_since=mark)
print(
    f"Incremental sync right after (changed since the first page's mark): {changed} records, "
    f"{pages_i} page(s): {(time.perf_counter() - started) * 1000:.0f} ms"
)
worst = max(result["p95_ms"] for result in results[:4])
print(f"Worst p95 of a 100-staff page: {worst:.1f} ms (target ≤ 100 ms)")
