from celery import shared_task

from thidua.core import periodic


@shared_task(acks_late=True)
def run_periodic_task() -> None:
    periodic.run_all()
