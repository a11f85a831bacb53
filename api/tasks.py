"""Background tasks of the API (django-tasks; run by ``manage.py db_worker``)."""

from django_tasks import task

from api.cbccvc import run_cbccvc_export


@task()
def cbccvc_export_task(job_id: str) -> dict | None:
    """Write a CBCCVC export (see ``api.cbccvc``)."""
    return run_cbccvc_export(job_id)
