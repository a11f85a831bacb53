"""Gunicorn settings for hrms (``gunicorn --config hrms/gunicorn.conf.py hrms.wsgi``).

Used by ``make serve`` (production or demo environment) and ``make run`` (the demo). Each value
can be changed from the environment without editing this file; gunicorn's own command-line
options (``--bind``, ``--workers``…) override both.

This file is read by the gunicorn master, which must not import Django: each worker loads the
application itself after the fork (no ``preload_app``), so each opens its own database
connections and registers itself with the embedded PostgreSQL server.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}.") from None


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Worker processes: two per core plus one keeps the CPU busy while some wait on PostgreSQL.
# WEB_CONCURRENCY is the conventional override. With GUNICORN_THREADS above 1 each worker
# answers that many requests at once (gthread), so a long export does not hold a whole process.
workers = _int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

# A worker silent this long (a runaway request) is killed and replaced. Bulk exports run in the
# task worker, not here; the slowest page (a province-wide due list export) takes a few seconds.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Replace each worker after about this many requests, so that memory held by PDF and
# spreadsheet rendering cannot grow without bound. 0 turns it off.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10

# Access log with the response time in milliseconds (%(M)s); "-" is standard output.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# No runtime control socket: nothing here uses gunicornc, and its default path is shared by
# every gunicorn of the same user.
control_socket_disable = True
proc_name = "hrms"
