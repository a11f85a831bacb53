"""Load benchmark: 50 simulated users against gunicorn, as the demo serves it (bench/README.md).

    .venv/bin/python bench/load.py            (or: make bench-load)

1. Installs Locust into its own virtualenv, ``.venv-bench`` (requirements-bench.txt), so the
   application's environment is left as production has it.
2. Seeds (first run only, ~3 min) and reads the benchmark database ``hrms_bench``: records,
   names, ID numbers and units within the demo clerk's scope become the users' plan.
3. Collects static files and starts gunicorn with hrms/gunicorn.conf.py in demo mode
   (``DJANGO_DEMO=1``: debug off, production settings over http) on a free loopback port.
4. Runs Locust headless: ``LOAD_USERS`` users (50) arrive ``LOAD_SPAWN_RATE`` a second (2) and
   log in through the form; once all are in, the next ``LOAD_SECONDS`` (60) are measured.
5. Prints errors, p50, p95, p99 and requests per second over that window, overall and per
   kind of request, and the logins separately. The target is p95 < 500 ms with 0 errors.
"""

import contextlib
import json
import math
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, ensure_seeded, setup_django

USERS = int(os.environ.get("LOAD_USERS", "50"))
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "2"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
# Nice value for the server, its database and the load driver (e.g. -10 as root): on a
# machine shared with other work, stands in for a dedicated server. 0 leaves priorities alone.
PRIORITY = int(os.environ.get("LOAD_PRIORITY", "0"))
TARGET_P95_MS = 500
BENCH_VENV = ROOT / ".venv-bench"
RESULTS = ROOT / "bench" / "results"


def ensure_locust() -> Path:
    """Locust in .venv-bench, installed from requirements-bench.txt when missing or stale."""
    requirements = ROOT / "requirements-bench.txt"
    stamp = BENCH_VENV / ".installed"
    if not stamp.exists() or stamp.stat().st_mtime < requirements.stat().st_mtime:
        print("Installing Locust into .venv-bench (requirements-bench.txt)…", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        pip = [str(BENCH_VENV / "bin" / "pip"), "install", "--quiet"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "-r", str(requirements)], check=True)
        stamp.touch()
    return BENCH_VENV / "bin" / "locust"


def build_plan() -> dict:
    """What the simulated users open: records, searches and units in the demo clerk's scope."""
    from django.contrib.auth.models import User

    from demo.seed import DEMO_PASSWORD
    from personnel import permissions
    from personnel.models import OrgUnit, Staff

    clerk = User.objects.get(username="clerk")
    visible = permissions.visible_staff(clerk)
    rows = list(visible.values_list("pk", "full_name", "staff_number", "personal_id"))
    pick = random.Random(1)
    sample = pick.sample(rows, min(2000, len(rows)))
    units = list(
        OrgUnit.objects.filter(pk__in=visible.values("unit_id")).values_list("pk", flat=True)
    )
    names = [row[1] for row in sample]
    return {
        "clerk": "clerk",
        "head": "head",
        "password": DEMO_PASSWORD,
        "staff": [row[0] for row in sample],
        "names": [_unaccented(name) for name in names[:300]],
        "surnames": sorted({_unaccented(name.split()[0]) for name in names}),
        "middles": sorted(
            {_unaccented(name.split()[1]) for name in names if len(name.split()) > 2}
        ),
        "staff_numbers": [row[2] for row in sample[:300] if row[2]],
        "personal_ids": [row[3] for row in sample[:300] if row[3]],
        "units": units,
        "pages": max(2, math.ceil(len(rows) / 50)),
        "category": Staff.Category.PUBLIC_EMPLOYEE,
        "visible": len(rows),
    }


def _unaccented(text: str) -> str:
    """Users type names without accents ("nguyen van an"); the search must find them."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(environment: dict, port: int, log: Path) -> subprocess.Popen:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    with open(log, "w") as output:
        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "--config",
                "hrms/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "hrms.wsgi",
            ],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=_prioritise,
            start_new_session=True,
        )
    prioritise_group(server.pid, PRIORITY)
    deadline = time.monotonic() + 120
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start; see {log}") from None
            time.sleep(0.3)


class CpuMeter:
    """CPU seconds used by the server side: gunicorn (master, workers, exited workers) and the
    embedded PostgreSQL (postmaster, backends, exited backends), read from /proc via psutil.

    Sampled every second while the load runs, so the measured window can be cut out of it; a
    process's exited children count through its ``children_*`` times once reaped.
    """

    def __init__(self, *pids: int):
        import psutil

        self.roots = [psutil.Process(pid) for pid in pids if pid]
        self.samples: list[tuple[float, float]] = []

    def total(self) -> float:
        import psutil

        seconds = 0.0
        for root in self.roots:
            try:
                processes = [root, *root.children()]
                for process in processes:
                    times = process.cpu_times()
                    seconds += times.user + times.system
                times = root.cpu_times()
                seconds += times.children_user + times.children_system
            except psutil.Error:
                continue
        return seconds

    def sample(self) -> None:
        self.samples.append((time.time(), self.total()))

    def between(self, start: float, end: float) -> float:
        """CPU seconds used from ``start`` to ``end`` (nearest samples)."""

        def at(moment: float) -> float:
            return min(self.samples, key=lambda sample: abs(sample[0] - moment))[1]

        return at(end) - at(start)


def postmaster_pid() -> int | None:
    """The embedded PostgreSQL server's pid (None with an external DATABASE_URL)."""
    from django.conf import settings

    pid_file = Path(settings.DATABASES["default"]["HOST"]) / "postmaster.pid"
    return int(pid_file.read_text().split()[0]) if pid_file.is_file() else None


def _prioritise() -> None:
    """In a child before exec: take the benchmark's priority (its own children inherit it)."""
    if PRIORITY:
        os.setpriority(os.PRIO_PROCESS, 0, PRIORITY)


def prioritise_group(pid: int | None, value: int) -> None:
    """Give the process's scheduling autogroup the nice ``value``.

    Linux groups processes by session (sched_autogroup) and shares the CPU between groups
    before nice values count; on a machine where other sessions keep both cores busy, the server
    would otherwise get a third of the machine whatever its nice value.
    """
    if not pid or not PRIORITY:
        return
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/autogroup").write_text(str(value))


def prioritise_postgres(pid: int | None, value: int) -> None:
    """Set the nice value of the embedded PostgreSQL and its processes (new backends inherit)."""
    import psutil

    if not pid or not PRIORITY:
        return
    prioritise_group(pid, value)
    postmaster = psutil.Process(pid)
    for process in [postmaster, *postmaster.children()]:
        with contextlib.suppress(psutil.Error):
            process.nice(value)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summarise(records: list[dict], seconds: float) -> dict:
    timings = [record["ms"] for record in records]
    return {
        "requests": len(records),
        "errors": sum(1 for record in records if record["error"]),
        "rps": len(records) / seconds,
        "p50": percentile(timings, 0.50) if timings else 0.0,
        "p95": percentile(timings, 0.95) if timings else 0.0,
        "p99": percentile(timings, 0.99) if timings else 0.0,
        "max": max(timings, default=0.0),
    }


def line(label: str, stats: dict) -> str:
    return (
        f"{label:<22} {stats['requests']:>6} {stats['errors']:>6} {stats['rps']:>7.1f}"
        f" {stats['p50']:>7.0f} {stats['p95']:>7.0f} {stats['p99']:>7.0f} {stats['max']:>7.0f}"
    )


def main() -> None:
    locust = ensure_locust()
    setup_django()
    ensure_seeded()
    plan = build_plan()
    from django.db import connections

    postgres = postmaster_pid()
    connections.close_all()

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    plan_file = RESULTS / f"load-{stamp}-plan.json"
    plan_file.write_text(json.dumps(plan))
    request_log = RESULTS / f"load-{stamp}-requests.json"
    environment = {
        **os.environ,  # DJANGO_CONN_MAX_AGE, WEB_CONCURRENCY… pass through
        "DJANGO_DEMO": "1",  # wins over the DJANGO_DEBUG=1 that common.py sets for itself
        "HRMS_DB_NAME": os.environ.get("HRMS_DB_NAME", "hrms_bench"),
        "GUNICORN_ACCESS_LOG": str(RESULTS / f"load-{stamp}-access.log"),
    }
    port = free_port()
    load_before = os.getloadavg()
    print(
        f"{plan['visible']} staff in the clerk's scope; gunicorn on 127.0.0.1:{port} "
        f"({os.environ.get('WEB_CONCURRENCY') or 'default'} workers, priority {PRIORITY});"
        " load average before: " + " ".join(f"{value:.2f}" for value in os.getloadavg()),
        flush=True,
    )
    prioritise_postgres(postgres, PRIORITY)
    server = start_server(environment, port, RESULTS / f"load-{stamp}-server.log")
    try:
        ramp = math.ceil(USERS / SPAWN_RATE)
        print(
            f"{USERS} users arriving {SPAWN_RATE:g}/s (~{ramp} s of logins), then {SECONDS} s"
            " measured…",
            flush=True,
        )
        meter = CpuMeter(server.pid, postgres)
        with open(RESULTS / f"load-{stamp}-locust.log", "w") as locust_log:
            load = subprocess.Popen(
                [
                    str(locust),
                    "--locustfile",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(USERS),
                    "--spawn-rate",
                    str(SPAWN_RATE),
                    "--run-time",
                    f"{ramp + SECONDS + 5}s",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env={
                    **environment,
                    "HRMS_LOAD_PLAN": str(plan_file),
                    "HRMS_LOAD_LOG": str(request_log),
                },
                stdout=locust_log,
                stderr=subprocess.STDOUT,
                preexec_fn=_prioritise,
                start_new_session=True,
            )
            prioritise_group(load.pid, PRIORITY)
            while load.poll() is None:
                meter.sample()
                time.sleep(1)
            meter.sample()
        load_after = os.getloadavg()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        prioritise_postgres(postgres, 0)

    data = json.loads(request_log.read_text()) if request_log.exists() else {"marks": {}}
    if "spawned" not in data["marks"]:
        raise SystemExit(f"Locust did not run its users; see {locust_log.name}")
    start = data["marks"]["spawned"]
    end = start + SECONDS
    window = [
        record
        for record in data["requests"]
        if start <= record["start"] < end and record["name"] not in ("login", "login page")
    ]
    logins = [record for record in data["requests"] if record["name"] == "login"]
    overall = summarise(window, SECONDS)
    print(
        f"\n{'':<22} {'reqs':>6} {'errors':>6} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7}"
        f" {'max':>7}   (ms; {SECONDS} s after all {USERS} users were in)"
    )
    for name in sorted({record["name"] for record in window}):
        print(line(name, summarise([r for r in window if r["name"] == name], SECONDS)))
    print(line("ALL", overall))
    ramp_seconds = max(1.0, start - min(record["start"] for record in data["requests"]))
    print(line("login (during ramp-up)", summarise(logins, ramp_seconds)))
    errors = [record for record in data["requests"] if record["error"]]
    for record in errors[:10]:
        print(f"  error: {record['name']}: {record['error']}")
    server_cpu = meter.between(start, end)
    print(
        f"\nServer CPU over the window (gunicorn + PostgreSQL): {server_cpu:.1f} s in {SECONDS} s"
        f" = {server_cpu / SECONDS:.2f} of the machine's {os.cpu_count()} cores;"
        f" {1000 * server_cpu / max(1, overall['requests']):.0f} ms of CPU a request"
        f"\nload average after: {' '.join(f'{value:.2f}' for value in load_after)};"
        f" errors over the whole run (logins included): {len(errors)}"
    )
    verdict = "meets" if overall["p95"] < TARGET_P95_MS and not errors else "MISSES"
    print(f"p95 {overall['p95']:.0f} ms {verdict} the target (< {TARGET_P95_MS} ms, 0 errors).")
    (RESULTS / f"load-{stamp}-summary.json").write_text(
        json.dumps(
            {
                "overall": overall,
                "users": USERS,
                "seconds": SECONDS,
                "server_cpu_seconds": server_cpu,
                "load_before": load_before,
                "load_after": load_after,
                "priority": PRIORITY,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
