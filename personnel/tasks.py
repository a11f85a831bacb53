"""Background tasks (django-tasks; run by ``manage.py db_worker``)."""

from django_tasks import task

from personnel.services.exports import run_export_job, run_export_part


@task()
def export_dossiers_task(job_id: str) -> dict | None:
    """Render a bulk dossier export (see ``personnel.services.exports``)."""
    return run_export_job(job_id)


@task()
def import_task(batch_id: str) -> dict | None:
    """Check or commit an import batch (see ``personnel.services.imports``)."""
    from personnel.services.imports import run_import_job

    return run_import_job(batch_id)


@task()
def export_part_task(part_id: str) -> dict | None:
    """Render one part of a bulk dossier export (see ``personnel.services.exports``)."""
    return run_export_part(part_id)
