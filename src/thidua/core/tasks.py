from celery import shared_task

from thidua.core import jobs, periodic


@shared_task(acks_late=True)
def run_periodic_task() -> None:
    periodic.run_all()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_job(job_id: int) -> None:
    jobs.job_run(job_id)
