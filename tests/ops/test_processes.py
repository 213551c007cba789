"""Two app processes and a Celery worker, for real: what one process does, the other sees."""

import os
import signal
from pathlib import Path

import pytest

from tests.ops.conftest import PASSWORD, REDIS_URL, Browser, bases, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_signed_in_on_one_process_and_continue_on_the_other(stack, staff_user):
    a, b = bases(stack)
    browser = Browser()
    status, page = browser.login(a, "chuyenvien", PASSWORD)
    assert status == 200
    assert "Người dùng chuyenvien" in page
    for base in (b, a, b):
        status, page = browser.get(f"{base}/thong-bao/")
        assert status == 200
        assert "Người dùng chuyenvien" in page


def test_a_locked_out_account_stays_locked_on_the_other_process(stack, staff_user):
    a, b = bases(stack)
    for _ in range(5):
        status, page = Browser().login(a, "chuyenvien", "sai-mat-khau-roi")
    assert "Tài khoản tạm khóa" in page
    status, page = Browser().login(b, "chuyenvien", PASSWORD)  # right password, other process
    assert status == 429
    assert "Tài khoản tạm khóa" in page
    status, page = Browser().login(a, "chuyenvien", PASSWORD)
    assert status == 429


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def _fresh_pools(app) -> None:
    """Eager calls already built connection pools for the old broker URL: forget them (kombu
    keeps pools per URL, so closing one would break the next user of the same URL)."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(settings):
    """This process sends tasks to the stack's Redis instead of running them eagerly."""
    from thidua.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.CELERY_BROKER_URL = REDIS_URL
    _fresh_pools(app)
    yield app
    app.conf.task_always_eager, app.conf.broker_url = saved
    _fresh_pools(app)


def test_a_worker_on_redis_runs_a_job_end_to_end(stack, broker):
    from thidua.core import jobs
    from thidua.core.models import Job

    job = Job.objects.create(kind="core.drill", total=5, params={"delay": 0.01})
    jobs.job_enqueue(job.pk)
    wait_until(lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE, timeout=60)
    job.refresh_from_db()
    assert (job.done, job.result) == (5, {"steps": 5, "resumed_from": 0})


def test_a_task_whose_worker_process_is_killed_runs_again_and_finishes(stack, broker):
    from thidua.core import jobs
    from thidua.core.models import Job

    job = Job.objects.create(kind="core.drill", total=40, params={"delay": 0.1})
    jobs.job_enqueue(job.pk)
    wait_until(lambda: Job.objects.get(pk=job.pk).done >= 5, timeout=60)
    pool = _children(stack.procs["worker"].pid)
    assert pool, "the worker has no pool process"
    for pid in pool:
        os.kill(pid, signal.SIGKILL)  # mid-task: acks_late + reject_on_worker_lost re-queue it
    wait_until(lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE, timeout=240)
    job.refresh_from_db()
    assert job.done == 40
    assert job.result["steps"] == 40
    assert job.result["resumed_from"] >= 5  # the second delivery resumed, it did not restart
