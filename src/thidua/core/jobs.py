"""Long work in the background with a progress bar: a Job row, a Celery task, a polled page.

A job names its worker function by dotted path (set by our code, never by a request), so core
does not import the apps above it. The task is safe to run twice (late acknowledgement: a
killed worker's job runs again): the worker rewrites its output from the job's parameters.
"""

import threading
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
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
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    if settings.THIDUA_JOB_THREADS:
        threading.Thread(target=_run_in_thread, args=(job_id,), daemon=True).start()
    else:
        tasks.run_job.delay(job_id)


def _run_in_thread(job_id: int) -> None:
    try:
        job_run(job_id)
    except Exception:  # noqa: S110 - job_run has recorded the failure on the job
        pass
    finally:
        connection.close()


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
