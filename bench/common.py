"""Shared set-up for benchmarks: a dedicated database seeded with the demo province.

Benchmarks use their own database (``hrms_bench`` on the embedded server, or the server named by
``DATABASE_URL``) so they never disturb development data. The first run migrates and seeds it
(100,000 staff by default), later runs reuse it.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrms.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("HRMS_DB_NAME", "hrms_bench")

STAFF = int(os.environ.get("BENCH_STAFF", "100000"))


def _drop_bench_database() -> None:
    """Drop the benchmark database (BENCH_RESEED=1), e.g. after a schema change."""
    import psycopg
    from django.conf import settings

    database = settings.DATABASES["default"]
    name = database["NAME"]
    if not name.startswith("hrms_bench"):
        raise SystemExit(f"Refusing to drop {name!r}: not a benchmark database.")
    with psycopg.connect(
        dbname="postgres",
        user=database["USER"],
        host=database["HOST"],
        port=database["PORT"] or None,
        password=database["PASSWORD"] or None,
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    print(f"Dropped and recreated {name}.", flush=True)


def setup_django():
    import django
    from django.conf import settings as lazy_settings

    lazy_settings.DATABASES  # noqa: B018 - starts the embedded server if needed
    if os.environ.get("BENCH_RESEED") == "1":
        _drop_bench_database()
    django.setup()
    from django.conf import settings

    # Measure as production runs: no debug bookkeeping (queries are captured explicitly).
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    return settings


def ensure_seeded(staff: int = STAFF) -> None:
    from django.core.management import call_command

    from personnel.models import Staff

    quiet = io.StringIO()
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=quiet)
    existing = Staff.objects.count()
    if existing == 0:
        print(f"Seeding {staff} staff into the benchmark database (first run only)…", flush=True)
        started = time.perf_counter()
        call_command("seed_demo", "--staff", str(staff), "--seed", "1", stdout=quiet)
        print(f"  seeded in {time.perf_counter() - started:.1f} s", flush=True)
    elif existing != staff:
        print(f"Note: the benchmark database holds {existing} staff (BENCH_STAFF={staff}).")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def logged_in_client(username: str):
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(
        User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
    )
    return client


def measure(label: str, action, *, runs: int = 30, warmup: int = 3) -> dict:
    """Time ``action`` (server side, in-process) and count its queries; print one line."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        action()
    timings = []
    query_counts = set()
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            action()
            timings.append((time.perf_counter() - started) * 1000)
        query_counts.add(len(queries))
    timings.sort()
    result = {
        "label": label,
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(0.95 * (len(timings) - 1))],
        "max_ms": timings[-1],
        "queries": sorted(query_counts),
    }
    print(
        f"{label:<58} median {result['median_ms']:7.1f} ms   p95 {result['p95_ms']:7.1f} ms"
        f"   queries {','.join(map(str, result['queries']))}",
        flush=True,
    )
    return result
