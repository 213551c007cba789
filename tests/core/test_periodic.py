"""Periodic jobs: one beat entry per job, and one failing job never skips the others."""

import pytest
from django.conf import settings
from django.core.management import call_command

from thidua.core import periodic
from thidua.core.tasks import run_periodic_job_task


def test_beat_has_one_entry_per_registered_job():
    entries = {
        e["args"][0]
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "thidua.core.tasks.run_periodic_job_task"
    }
    assert entries == set(periodic.registered())


def test_a_failing_job_does_not_skip_the_others(monkeypatch, capsys):
    ran = []

    def broken() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(periodic, "_JOBS", {"a.broken": broken, "b.fine": lambda: ran.append(1)})
    results = periodic.run_all()
    assert ran == [1]
    assert isinstance(results["a.broken"], RuntimeError)
    call_command("run_periodic")
    assert ran == [1, 1]
    assert "a.broken: boom" in capsys.readouterr().out


@pytest.mark.django_db
def test_beat_task_runs_the_named_job(monkeypatch):
    monkeypatch.setattr(periodic, "_JOBS", {"x.one": lambda: 7, "x.two": lambda: 1 / 0})
    assert run_periodic_job_task.delay("x.one").get() == 7
