"""Background jobs under a lease: one worker at a time runs a job, and a job whose worker died
(``kill -9``, a lost machine) is noticed, retried once, then failed with a clear message.

A job is a row of a model inheriting ``LeasedJob`` (bulk exports and their parts today; payroll
runs and imports later), run by a django-tasks task that receives the job's primary key.

1. ``enqueue(job)`` queues the task, in the caller's transaction (the database backend stores
   the task as a row, so job and task are committed together).
2. The task calls ``claim(Model, pk)``: *queued* → *running*, one more attempt, and a lease —
   an owner and an expiry ``settings.JOB_LEASE_SECONDS`` ahead. It gets ``None`` when the job
   is not queued (done, failed, or already taken).
3. While working, the task renews the lease with every progress update
   (``lease.renew(done=…)``), and ends with ``lease.finish(status=…)`` or ``lease.fail(msg)``.
   The lease must outlast the longest step between two renewals (one dossier, writing a
   merged PDF). If the lease was taken away in between, these raise ``LeaseLost``: the task
   stops and leaves the job to whoever has it now.

Who notices a lease that ran out (all three call ``recover_expired``, which is safe to run
concurrently: rows are locked, and each is recovered once):

- **the workers**: each claim queues a watchdog task (``hrms.tasks.watch_lease``) for the
  moment the lease would end; a worker idle by then runs it — it re-queues itself while the
  lease is being renewed — and a worker started after a crash runs it straight away;
- **``manage.py expire_exports``**, run regularly (cron), for every leased job model;
- **the page that follows a job** (``/exports/``), each time it refreshes.

Recovery marks the dead attempt's task result failed, then re-queues the job with a new task
if it has attempts left (``max_attempts = 2``: the first run and one retry), or fails it with
``WORKER_LOST`` and calls ``job.on_abandoned()`` (delete partial files…). A queued job whose
task can no longer run it (the task failed or finished without claiming it, or has been
running without claiming it for longer than a lease) is recovered the same way.

Messages stored on a job (``error``) are English msgids marked with ``gettext_noop`` and
translated when shown (``job.error_message``), so each reader sees their own language.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import uuid
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

WORKER_LOST = gettext_noop(
    "The background worker running this job stopped (it was restarted or its machine went "
    "down), twice. The job was given up; please start it again, and tell the administrator if "
    "it happens again."
)
WATCH_GRACE = datetime.timedelta(seconds=1)


class LeaseLost(Exception):
    """This worker no longer holds the job's lease (it ran out and the job was recovered)."""


class WorkerLost(Exception):
    """Recorded on the task result of an attempt whose worker stopped renewing its lease."""


class LeasedJob(models.Model):
    """A job run in the background under a lease (see the module documentation).

    A subclass has a ``status`` field holding the three values named below, sets ``task_path``
    (the dotted path of the django-tasks task that runs a job, given ``str(pk)``) and may
    override ``on_abandoned``.
    """

    STATUS_QUEUED = "queued"
    STATUS_RUNNING = "running"
    STATUS_FAILED = "failed"
    max_attempts = 2
    task_path = ""

    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def retrying(self) -> bool:
        """Whether the job is on its retry (the worker of its first attempt died)."""
        return self.attempts > 1 or (self.status == self.STATUS_QUEUED and self.attempts > 0)

    @property
    def error_message(self) -> str:
        """``error`` in the reader's language."""
        return gettext(self.error) if self.error else ""

    def on_abandoned(self) -> None:
        """Called after the job was failed for good by ``recover_expired`` (outside the
        transaction): clean up what the dead attempts left behind."""


def leased_models() -> list[type[LeasedJob]]:
    """Every concrete leased job model of the installed apps."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, LeasedJob) and not model._meta.proxy
    ]


def lease_duration() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOB_LEASE_SECONDS)


def enqueue(job: LeasedJob) -> None:
    """Queue the task that runs ``job`` (in the caller's transaction) and remember it."""
    result = import_string(job.task_path).enqueue(str(job.pk))
    job.task_result_id = str(result.id)
    type(job).objects.filter(pk=job.pk).update(task_result_id=job.task_result_id)


@dataclass
class Lease:
    """The right to work on one job (``owner`` holds it until the job's ``lease_expires_at``);
    renewed as the work goes on."""

    job: LeasedJob
    owner: str

    def _update(self, **fields) -> None:
        model = type(self.job)
        updated = model.objects.filter(
            pk=self.job.pk, lease_owner=self.owner, status=model.STATUS_RUNNING
        ).update(**fields)
        if not updated:
            raise LeaseLost(f"{model._meta.label} {self.job.pk}: lease {self.owner} lost")

    def renew(self, **fields) -> None:
        """Push the expiry one lease ahead, writing ``fields`` (progress) with it."""
        self._update(lease_expires_at=timezone.now() + lease_duration(), **fields)

    def finish(self, **fields) -> None:
        """Give the lease back with the job's final ``fields`` (its status included)."""
        self._update(lease_owner="", lease_expires_at=None, finished_at=timezone.now(), **fields)

    def fail(self, error: str, **fields) -> None:
        """Fail the job with ``error`` (a msgid marked with ``gettext_noop``)."""
        self.finish(status=type(self.job).STATUS_FAILED, error=error, **fields)


def claim(model: type[LeasedJob], pk) -> Lease | None:
    """Take a queued job for this worker, or None when it is not queued (any more)."""
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[-64:]
    now = timezone.now()
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=pk).first()
        if job is None or job.status != model.STATUS_QUEUED:
            return None
        job.status = model.STATUS_RUNNING
        job.attempts += 1
        job.lease_owner = owner
        job.lease_expires_at = now + lease_duration()
        job.started_at = now
        job.error = ""
        job.save(
            update_fields=[
                "status", "attempts", "lease_owner", "lease_expires_at", "started_at", "error",
            ]
        )  # fmt: skip
        watch(job)
    return Lease(job=job, owner=owner)


def watch(job: LeasedJob) -> None:
    """Queue the watchdog for the moment ``job``'s current lease would end."""
    from hrms.tasks import watch_lease

    watch_lease.using(run_after=job.lease_expires_at + WATCH_GRACE).enqueue(
        job._meta.label, str(job.pk), job.attempts
    )


def recover_expired(
    *, models: list[type[LeasedJob]] | None = None, now: datetime.datetime | None = None
) -> int:
    """Retry, or fail, every job whose worker is gone; returns how many were recovered."""
    now = now or timezone.now()
    recovered = 0
    for model in models if models is not None else leased_models():
        abandoned = []
        orphans = [
            job.pk
            for job in _without_a_live_task(
                list(model.objects.filter(status=model.STATUS_QUEUED)), now
            )
        ]
        with transaction.atomic():
            # locked, and checked again under the lock: a worker may have claimed or renewed
            # in the meantime; rows another process is recovering are skipped
            running = model.objects.select_for_update(skip_locked=True).filter(
                Q(lease_expires_at__lt=now) | Q(lease_expires_at__isnull=True),
                status=model.STATUS_RUNNING,
            )
            queued = model.objects.select_for_update(skip_locked=True).filter(
                pk__in=orphans, status=model.STATUS_QUEUED
            )
            stuck = [*running, *_without_a_live_task(list(queued), now)]
            for job in stuck:
                _end_task(job.task_result_id)
                if job.status == model.STATUS_QUEUED:
                    job.attempts += 1  # the attempt its task made without claiming the job
                job.lease_owner, job.lease_expires_at = "", None
                if job.attempts < model.max_attempts:
                    logger.warning("%s %s: worker lost, retrying", model._meta.label, job.pk)
                    job.status = model.STATUS_QUEUED
                    job.save(
                        update_fields=["status", "attempts", "lease_owner", "lease_expires_at"]
                    )
                    enqueue(job)
                else:
                    logger.error("%s %s: worker lost again, failed", model._meta.label, job.pk)
                    job.status, job.error, job.finished_at = model.STATUS_FAILED, WORKER_LOST, now
                    job.save(
                        update_fields=[
                            "status", "attempts", "lease_owner", "lease_expires_at", "error",
                            "finished_at",
                        ]
                    )  # fmt: skip
                    abandoned.append(job)
            recovered += len(stuck)
        for job in abandoned:
            job.on_abandoned()
    return recovered


def _task_results(ids) -> dict:
    from django_tasks_db.models import DBTaskResult

    valid = []
    for value in ids:
        try:
            valid.append(uuid.UUID(value))
        except (TypeError, ValueError):
            continue
    return {str(result.pk): result for result in DBTaskResult.objects.filter(pk__in=valid)}


def _without_a_live_task(jobs: list, now: datetime.datetime) -> list:
    """The queued ``jobs`` whose task will never claim them."""
    from django_tasks_db.compat import TaskResultStatus

    results = _task_results(job.task_result_id for job in jobs if job.task_result_id)
    stuck = []
    for job in jobs:
        result = results.get(job.task_result_id)
        if not job.task_result_id:
            continue  # never given a task (``enqueue`` sets it with the job): nothing to judge
        ended = result is None or result.status in (
            TaskResultStatus.FAILED,
            TaskResultStatus.SUCCESSFUL,
        )
        # a worker took the task but never claimed the job: it died at once
        never_claimed = (
            result is not None
            and result.status == TaskResultStatus.RUNNING
            and (result.started_at is None or result.started_at < now - lease_duration())
        )
        if ended or never_claimed:
            stuck.append(job)
    return stuck


def _end_task(task_result_id: str) -> None:
    """Mark a dead attempt's task result failed, so it does not read "running" for ever."""
    from django_tasks_db.compat import TaskResultStatus

    result = _task_results([task_result_id]).get(task_result_id)
    if result is not None and result.status == TaskResultStatus.RUNNING:
        result.set_failed(WorkerLost("The worker stopped renewing the job's lease."))
