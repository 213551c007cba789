"""Background jobs over `core.models.Job`, run by Celery at least once (architecture §8).

A service starts a job with `job_start(...)`: the row is written in the caller's transaction and
the task is queued on commit, carrying only the job id. Apps register what a kind of job does in
`AppConfig.ready()`:

    jobs.register("awards.certificates", certificates_render_job, queue="documents")

A handler receives the job and a `progress(done)` callback. It must be safe to run again from the
start: skip items already finished (the job's `done` is where a rerun may resume) and write each
item with a unique key, because a killed worker's task is delivered again (acks_late +
reject_on_worker_lost) and the sweeper re-queues jobs whose worker vanished.

Only one worker runs a job at a time: a lease in the shared cache (Redis in production), renewed
by every progress call. A redelivered task that finds the lease held tries again later; a job
whose lease lapsed while `running` is re-queued by `jobs_requeue_stale` (beat, every minute).
"""

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Count, Q

from thidua.core import clock
from thidua.core.models import Job

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
Handler = Callable[[Job, Progress], dict[str, Any] | None]
LEASE_SECONDS = 30  # a handler calls progress() at least this often
STALE_PENDING = timedelta(minutes=2)
FILES_KEPT = timedelta(days=7)  # a job's output (an export holds personal data) is then deleted


@dataclass(frozen=True)
class JobKind:
    handler: Handler
    queue: str
    atomic: bool  # the handler's writes and the job's "done" commit together


_KINDS: dict[str, JobKind] = {}


class JobBusyError(Exception):
    """Another worker holds the job's lease; the task retries later."""


def register(kind: str, handler: Handler, *, queue: str = "default", atomic: bool = False) -> None:
    """`atomic` for a handler that cannot skip what it already wrote (an import of rows without
    ids): its writes and the job's "done" commit together under a lock on the job row, so a
    rerun after a crash finds either nothing written or the job done, and a second worker that
    picked the job up waits, then finds it done. Its progress shows only when it ends."""
    _KINDS[kind] = JobKind(handler=handler, queue=queue, atomic=atomic)


def registered() -> dict[str, JobKind]:
    return dict(_KINDS)


def _lease_key(job_id: int) -> str:
    return f"thidua:job-lease:{job_id}"


def job_start(
    *,
    actor: AbstractBaseUser | None,
    kind: str,
    total: int = 0,
    params: dict[str, Any] | None = None,
) -> Job:
    """Write the job row and queue its task once the caller's transaction commits."""
    if kind not in _KINDS:
        raise KeyError(f"Unknown job kind {kind!r}")
    job = Job.objects.create(
        kind=kind,
        created_by=actor if actor is not None and actor.is_authenticated else None,  # type: ignore[misc]
        total=total,
        params=params or {},
    )
    transaction.on_commit(lambda: job_enqueue(job.pk))
    return job


def job_enqueue(job_id: int) -> None:
    from thidua.core.tasks import job_run_task

    if settings.THIDUA_JOB_THREADS:  # no broker (demo): a thread, so the page shows progress
        threading.Thread(target=_run_in_thread, args=(job_id,), daemon=True).start()
        return
    kind = Job.objects.values_list("kind", flat=True).get(pk=job_id)
    queue = _KINDS[kind].queue if kind in _KINDS else "default"
    job_run_task.apply_async(args=[job_id], queue=queue)


def _run_in_thread(job_id: int) -> None:
    try:
        job_run(job_id)
    except Exception:
        log.exception("job %s failed in its thread", job_id)
    finally:
        connection.close()


def job_run(job_id: int) -> Job:
    """Run (or resume) a job; a finished job is returned untouched, so a repeat is a no-op."""
    job = Job.objects.get(pk=job_id)
    if job.status in {Job.Status.DONE, Job.Status.FAILED}:
        return job
    owner = uuid.uuid4().hex
    if not cache.add(_lease_key(job_id), owner, LEASE_SECONDS):
        raise JobBusyError(job_id)
    try:
        claimed = Job.objects.filter(
            pk=job_id, status__in=[Job.Status.PENDING, Job.Status.RUNNING]
        ).update(status=Job.Status.RUNNING)
        if not claimed:
            return Job.objects.get(pk=job_id)
        job.refresh_from_db()
        kind = _KINDS.get(job.kind)
        if kind is None:
            return _finish(job, Job.Status.FAILED, error=f"Không có xử lý cho loại {job.kind}.")
        last_renewal = time.monotonic()

        def progress(done: int) -> None:
            nonlocal last_renewal
            Job.objects.filter(pk=job_id).update(done=done)
            job.done = done
            if time.monotonic() - last_renewal > LEASE_SECONDS / 4:
                cache.set(_lease_key(job_id), owner, LEASE_SECONDS)
                last_renewal = time.monotonic()

        try:
            if kind.atomic:
                return _run_atomic(job, kind.handler, progress)
            result = kind.handler(job, progress)
        except Exception as exc:
            if _retriable(exc):
                raise  # the task retries; the job stays running and resumes
            log.exception("job %s (%s) failed", job_id, job.kind)
            return _finish(job, Job.Status.FAILED, error=(str(exc) or type(exc).__name__)[:2000])
        return _finish(job, Job.Status.DONE, result=result)
    finally:
        if cache.get(_lease_key(job_id)) == owner:
            cache.delete(_lease_key(job_id))


def _run_atomic(job: Job, handler: Handler, progress: Progress) -> Job:
    with transaction.atomic():
        if Job.objects.select_for_update().get(pk=job.pk).status == Job.Status.DONE:
            job.refresh_from_db()
            return job
        return _finish(job, Job.Status.DONE, result=handler(job, progress))


def _retriable(exc: Exception) -> bool:
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError | ConnectionError | TimeoutError)


def _finish(job: Job, status: str, *, result: dict[str, Any] | None = None, error: str = "") -> Job:
    fields: dict[str, Any] = {"status": status, "finished_at": clock.now(), "error": error}
    if result is not None:
        fields["result"] = result
    if status == Job.Status.DONE and job.total:
        fields["done"] = job.total
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(**fields)
    job.refresh_from_db()
    return job


def jobs_requeue_stale() -> int:
    """Re-queue jobs whose task was lost: running with a lapsed lease (the worker died), or
    pending for a while (the enqueue died with its process, or the broker lost the message)."""
    cutoff = clock.now() - STALE_PENDING
    candidates = Job.objects.filter(
        Q(status=Job.Status.RUNNING) | Q(status=Job.Status.PENDING, created_at__lte=cutoff)
    ).values_list("pk", flat=True)[:500]
    requeued = 0
    for job_id in candidates:
        if cache.get(_lease_key(job_id)) is None:
            job_enqueue(job_id)
            requeued += 1
    return requeued


def jobs_files_expire() -> int:
    """Delete the files of jobs finished over FILES_KEPT ago: their output, and an import's
    upload that a failure left behind (periodic, from beat)."""
    cutoff = clock.now() - FILES_KEPT
    old = Job.objects.filter(finished_at__lt=cutoff).exclude(result__has_key="expired")
    expired = 0
    for job in old.order_by("pk")[:500]:
        for name in (job.result.get("file"), job.params.get("upload")):
            if name:
                default_storage.delete(name)
        Job.objects.filter(pk=job.pk).update(result={**job.result, "expired": True})
        expired += 1
    return expired


def jobs_by_status() -> dict[str, float]:
    counts = dict.fromkeys(Job.Status.values, 0.0)
    for row in Job.objects.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = float(row["n"])
    return counts


def drill_job(job: Job, progress: Progress) -> dict[str, Any]:
    """A job that does nothing but take time: the fault drills and the worker test use it.

    It resumes from the job's `done`, as a real handler does; `resumed_from` shows a redelivery.
    """
    delay = float(job.params.get("delay", 0))
    start = job.done
    for step in range(start, job.total):
        time.sleep(delay)
        progress(step + 1)
    return {"steps": job.total, "resumed_from": start}
