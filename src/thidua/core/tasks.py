from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from thidua.core import jobs, periodic


@shared_task(acks_late=True)
def run_periodic_job_task(name: str) -> object:
    """One beat entry per periodic job (settings.PERIODIC_JOBS)."""
    return periodic.run(name)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError, ConnectionError),
    retry_backoff=True,
    max_retries=10,
)
def job_run_task(self: Task, job_id: int) -> str:
    """IDs in, one service call; safe to deliver twice (a finished job is a no-op)."""
    try:
        return jobs.job_run(job_id).status
    except jobs.JobBusyError as exc:
        raise self.retry(exc=exc, countdown=jobs.LEASE_SECONDS // 3, max_retries=60) from exc


@shared_task(acks_late=True)
def jobs_requeue_stale_task() -> int:
    return jobs.jobs_requeue_stale()
