"""``make run`` and ``make dev`` start one background worker per core (issue 17)."""

import os
import subprocess

import pytest
from django.conf import settings


def commands(target: str, *extra: str) -> str:
    """The commands make would run for ``target`` (``make -n``), nothing run."""
    return subprocess.run(
        ["make", "-n", "--always-make", target, *extra],
        cwd=settings.BASE_DIR, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


@pytest.mark.parametrize("target", ["run", "dev"])
def test_one_background_worker_per_core_unless_told(target):
    cores = len(os.sched_getaffinity(0))  # what nproc counts
    default = commands(target)
    assert f"for number in $(seq {cores}); do" in default
    assert "manage.py db_worker --no-startup-delay &" in default
    assert "for number in $(seq 5); do" in commands(target, "WORKERS=5")
