"""Long work in the background with a progress bar: a Job row, a Celery task, a polled page.

A job names its worker function by dotted path (set by our code, never by a request), so core
does not import the apps above it. The task is safe to run twice (late acknowledgement: a
killed worker's job runs again): the worker rewrites its output from the job's parameters.
"""

from collections.abc import Callable
from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils.module_loading import import_string

from thidua.core import tasks
from thidua.core.clock import now
from thidua.core.models import Job
from thidua.core.services import action_log_record

Progress = Callable[[int], None]


def job_start(
    *, actor: AbstractBaseUser, kind: str, worker: str, params: dict[str, Any], total: int
) -> Job:
    """Record the job and queue it once the caller's transaction commits."""
    job = Job.objects.create(
        kind=kind, created_by=cast(Any, actor), total=total, params={**params, "worker": worker}
    )
    action_log_record(actor=actor, action="core.job.started", target=job, data={"kind": kind})
    transaction.on_commit(lambda: tasks.run_job.delay(job.pk))
    return job


def job_progress(job: Job) -> Progress:
    def report(done: int) -> None:
        Job.objects.filter(pk=job.pk).update(done=done)

    return report


def job_run(job_id: int) -> None:
    started = Job.objects.filter(
        pk=job_id, status__in=[Job.Status.PENDING, Job.Status.RUNNING]
    ).update(status=Job.Status.RUNNING, done=0)
    if not started:
        return  # already finished: a redelivered message does nothing
    job = Job.objects.get(pk=job_id)
    worker: Callable[[Job, Progress], dict[str, Any]] = import_string(job.params["worker"])
    try:
        result = worker(job, job_progress(job))
    except Exception as exc:
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, error=str(exc)[:2000], finished_at=now()
        )
        raise
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, result=result, done=F("total"), finished_at=now()
    )
