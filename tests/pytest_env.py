"""Pytest plugin (loaded with ``-p`` before Django settings): test-run environment defaults.

Tests run in debug mode with their own embedded PostgreSQL data directory (``var/pgtest``), so a
test run never touches the development database. ``DATABASE_URL``, when set, still wins.
"""

import os
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("HRMS_PGDATA", str(_ROOT / "var" / "pgtest"))
# pytest-xdist runs the suite in one process per core: each keeps its files apart (the
# test databases are apart already: pytest-django suffixes their names with the worker id).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_SUFFIX = f"-{_WORKER}" if _WORKER else ""
os.environ.setdefault("HRMS_MEDIA_ROOT", str(_ROOT / "var" / f"test-media{_SUFFIX}"))
os.environ.setdefault("HRMS_PRIVATE_ROOT", str(_ROOT / "var" / f"test-private{_SUFFIX}"))
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# test itself around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
