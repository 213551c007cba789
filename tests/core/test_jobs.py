from datetime import timedelta

import pytest
from django.core.cache import cache

from thidua.core import jobs
from thidua.core.models import ActionLog, Job


@pytest.fixture
def counting_kind():
    """A job kind that writes one ActionLog row per item it has not written yet."""
    calls: list[int] = []

    def handler(job, progress):
        calls.append(job.done)
        for step in range(job.done, job.total):
            progress(step + 1)
        return {"items": job.total}

    jobs.register("tests.counting", handler)
    yield calls
    jobs._KINDS.pop("tests.counting", None)


@pytest.mark.django_db
def test_job_runs_after_commit_through_the_task(counting_kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(actor=None, kind="tests.counting", total=7, params={"x": 1})
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert (job.done, job.total, job.percent) == (7, 7, 100)
    assert job.result == {"items": 7}
    assert job.finished_at is not None
    assert counting_kind == [0]


@pytest.mark.django_db
def test_running_a_finished_job_again_is_a_no_op(counting_kind):
    job = Job.objects.create(kind="tests.counting", total=3)
    jobs.job_run(job.pk)
    jobs.job_run(job.pk)
    assert counting_kind == [0]


@pytest.mark.django_db
def test_a_redelivered_job_resumes_where_it_stopped(counting_kind):
    job = Job.objects.create(kind="tests.counting", total=10, status=Job.Status.RUNNING, done=6)
    assert jobs.job_run(job.pk).status == Job.Status.DONE
    assert counting_kind == [6]


@pytest.mark.django_db
def test_a_second_worker_waits_while_the_lease_is_held(counting_kind):
    job = Job.objects.create(kind="tests.counting", total=2)
    cache.add(f"thidua:job-lease:{job.pk}", "other-worker", 60)
    try:
        with pytest.raises(jobs.JobBusyError):
            jobs.job_run(job.pk)
    finally:
        cache.delete(f"thidua:job-lease:{job.pk}")
    assert counting_kind == []


@pytest.mark.django_db
def test_a_failing_handler_marks_the_job_failed():
    def broken(job, progress):
        raise ValueError("hỏng")

    jobs.register("tests.broken", broken)
    try:
        job = jobs.job_run(Job.objects.create(kind="tests.broken", total=1).pk)
    finally:
        jobs._KINDS.pop("tests.broken")
    assert job.status == Job.Status.FAILED
    assert job.error == "hỏng"
    assert not ActionLog.objects.exists()


@pytest.mark.django_db
def test_sweeper_requeues_lost_jobs_only(counting_kind):
    from thidua.core import clock

    lost = Job.objects.create(kind="tests.counting", total=4, status=Job.Status.RUNNING, done=1)
    forgotten = Job.objects.create(kind="tests.counting", total=2)
    Job.objects.filter(pk=forgotten.pk).update(created_at=clock.now() - timedelta(minutes=10))
    fresh = Job.objects.create(kind="tests.counting", total=4)
    held = Job.objects.create(kind="tests.counting", total=4, status=Job.Status.RUNNING)
    cache.add(f"thidua:job-lease:{held.pk}", "a-live-worker", 60)
    try:
        assert jobs.jobs_requeue_stale() == 2  # eager: the re-queued tasks run at once
    finally:
        cache.delete(f"thidua:job-lease:{held.pk}")
    for job, status in [
        (lost, Job.Status.DONE),
        (forgotten, Job.Status.DONE),
        (fresh, Job.Status.PENDING),
        (held, Job.Status.RUNNING),
    ]:
        job.refresh_from_db()
        assert job.status == status
    assert sorted(counting_kind) == [0, 1]


def test_unknown_kind_is_refused():
    with pytest.raises(KeyError):
        jobs.job_start(actor=None, kind="tests.nothing")


@pytest.mark.django_db
def test_drill_job_counts_its_steps():
    job = jobs.job_run(Job.objects.create(kind="core.drill", total=5, params={"delay": 0}).pk)
    assert job.status == Job.Status.DONE
    assert job.result == {"steps": 5, "resumed_from": 0}


@pytest.fixture
def atomic_kind():
    """An atomic kind whose handler writes rows it cannot recognise on a rerun."""
    calls: list[int] = []

    def handler(job, progress):
        calls.append(job.pk)
        ActionLog.objects.create(action="tests.row", target_type_id=1, target_id="1")
        if job.params.get("fail"):
            raise ValueError("bad row")
        return {"rows": 1}

    jobs.register("tests.atomic", handler, atomic=True)
    yield calls
    jobs._KINDS.pop("tests.atomic", None)


@pytest.mark.django_db
def test_an_atomic_job_commits_its_rows_with_done_or_not_at_all(atomic_kind):
    done = jobs.job_run(Job.objects.create(kind="tests.atomic").pk)
    assert (done.status, done.result) == (Job.Status.DONE, {"rows": 1})
    failed = jobs.job_run(Job.objects.create(kind="tests.atomic", params={"fail": True}).pk)
    assert (failed.status, failed.error) == (Job.Status.FAILED, "bad row")
    assert ActionLog.objects.filter(action="tests.row").count() == 1  # the failure left none

    # A second worker that claimed the job while the first ran it finds it done under the lock.
    claimed_late = Job.objects.get(pk=done.pk)
    handler = jobs._KINDS["tests.atomic"].handler
    assert jobs._run_atomic(claimed_late, handler, lambda n: None).status == Job.Status.DONE
    assert atomic_kind == [done.pk, failed.pk]
    assert ActionLog.objects.filter(action="tests.row").count() == 1
