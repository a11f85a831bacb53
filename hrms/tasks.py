"""Background tasks of the shared machinery (django-tasks; run by ``manage.py db_worker``)."""

from django.apps import apps
from django.utils import timezone
from django_tasks import task

from hrms import jobs


@task(priority=10)
def watch_lease(model_label: str, pk: str, attempt: int) -> str:
    """Look at a leased job when its lease should have been renewed (see ``hrms.jobs``):
    watch again if it was, recover the job if its worker is gone."""
    model = apps.get_model(model_label)
    job = model.objects.filter(pk=pk).first()
    if job is None or job.status != model.STATUS_RUNNING or job.attempts != attempt:
        return "over"  # finished, failed or recovered; a new attempt has its own watchdog
    if job.lease_expires_at and job.lease_expires_at > timezone.now():
        jobs.watch(job)
        return "renewed"
    jobs.recover_expired(models=[model])
    return "recovered"
