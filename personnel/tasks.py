"""Background tasks (django-tasks; run by ``manage.py db_worker``)."""

from django_tasks import task

from personnel.services.exports import run_export_job


@task()
def export_dossiers_task(job_id: str) -> None:
    """Render a bulk dossier export (see ``personnel.services.exports``)."""
    run_export_job(job_id)
