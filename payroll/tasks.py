"""Background tasks of the payroll (django-tasks; run by ``manage.py db_worker``)."""

import datetime

from django_tasks import task

from payroll.services.payslip_exports import payslip_exports_expire, run_payslip_export


@task()
def export_payslips_task(job_id: str) -> dict | None:
    """Print the payslips of a run in bulk (see ``payroll.services.payslip_exports``)."""
    return run_payslip_export(job_id)


@task()
def expire_payslips_task(job_id: str) -> int:
    """Delete the files of bulk payslips once they expire (queued for that moment)."""
    return payslip_exports_expire(pk=job_id)


@task()
def refresh_chart_figures_task(snapshot_id: int, follow_today: bool, due: str) -> None:
    """Compute a kept scope's chart figures again (see ``payroll.selectors.charts``)."""
    from payroll.selectors.charts import chart_figures_refresh

    chart_figures_refresh(
        snapshot_id=snapshot_id,
        follow_today=follow_today,
        due=datetime.datetime.fromisoformat(due),
    )
