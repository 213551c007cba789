"""Printing 200 certificates in the background on the production stack while the Celery worker is
killed and started again: the officer still gets one PDF with all 200, each print logged once."""

import io
import os
import re
import secrets
import signal

import psycopg
import pypdfium2 as pdfium
import pytest
from django.conf import settings

from tests.awards.conftest import (  # noqa: F401 - fixtures
    board,
    decided,
    eligible,
    giay_khen,
    recommended,
    signer,
)
from tests.ops.conftest import PASSWORD, Browser, bases, wait_until
from thidua.awards.models import AwardRecord, CertificatePrint, DecisionLine
from thidua.core.models import Job
from thidua.core.text import fold, vi_sort_key

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

COUNT = 200


@pytest.fixture
def decision_of_200(decided):  # noqa: F811 - the imported fixture
    """The final decision with 199 more registry entries, as its finalisation writes them."""
    first = decided.records.get()
    lines = DecisionLine.objects.bulk_create(
        DecisionLine(
            decision=decided,
            position=i,
            subject="individual",
            recipient_name=f"Nguyễn Văn Thành {i:03d}",
            recipient_detail="Công chức phường Suối Hoa",
            achievement="Đã có thành tích xuất sắc trong phong trào thi đua",
        )
        for i in range(1, COUNT)
    )
    AwardRecord.objects.bulk_create(
        AwardRecord(
            issuer_code=first.issuer_code,
            year=first.year,
            number=first.number + line.position,
            decision=decided,
            line=line,
            award_type=first.award_type,
            campaign=first.campaign,
            subject=line.subject,
            unit=first.unit,
            recipient_name=line.recipient_name,
            recipient_detail=line.recipient_detail,
            unit_name=first.unit_name,
            achievement=line.achievement,
            token=secrets.token_urlsafe(24),
            search_text=fold(line.recipient_name),
            name_sort=vi_sort_key(line.recipient_name),
        )
        for line in lines
    )
    assert decided.records.count() == COUNT
    return decided


def _blocker() -> psycopg.Connection:
    """A second session that can hold the print log table, so that the worker is caught
    mid-task: the PDF is rendered and stored, the print log not yet written."""
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"]
    )


def _waiting_on_print_log(conn: psycopg.Connection) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM pg_locks WHERE NOT granted"
        " AND relation = 'awards_certificateprint'::regclass"
    ).fetchone()
    return bool(row and row[0])


def _drop_sessions_of_the_dead(conn: psycopg.Connection) -> None:
    """A statement blocked on a lock would still run, and commit, once the lock is released,
    although its client is dead (the server notices only when it answers). End those sessions
    as the server does when it notices, so the killed worker leaves nothing behind."""
    conn.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        " AND pid <> pg_backend_pid()"
    )


def _print_all(browser: Browser, base: str, decision) -> Job:
    """The officer presses "In tất cả" on the decision's page."""
    page_url = f"{base}/quyet-dinh/{decision.pk}/"
    status, page = browser.get(page_url)
    assert status == 200, page[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    action = re.search(r'action="(/quyet-dinh/\d+/in/)"', page)  # the "In tất cả" form
    assert token
    assert action
    status, page = browser.post(
        base + action.group(1),
        {"csrfmiddlewaretoken": token.group(1), "printer": ""},
        referer=page_url,
    )
    assert status == 200
    assert "Đang in giấy khen trong nền." in page
    job = Job.objects.get(kind="awards.certificates")
    assert job.total == COUNT
    return job


@pytest.mark.parametrize("kill_at", ["before the print log", "after the print log"])
def test_200_certificates_survive_a_killed_worker(
    staff_user, decision_of_200, fresh_stack, kill_at
):
    a, b = bases(fresh_stack)
    browser = Browser()
    assert browser.login(a, "chuyenvien", PASSWORD)[0] == 200
    blocker, job_lock, watcher = _blocker(), _blocker(), _blocker()
    watcher.autocommit = True
    worker = fresh_stack.procs["worker"]
    try:
        blocker.execute("LOCK TABLE awards_certificateprint IN SHARE ROW EXCLUSIVE MODE")
        job = _print_all(browser, a, decision_of_200)

        # The worker has drawn all 200 pages and stored the PDF; it waits to log the prints.
        wait_until(lambda: _waiting_on_print_log(watcher), timeout=120)
        job.refresh_from_db()
        assert (job.status, job.done) == (Job.Status.RUNNING, COUNT)
        if kill_at == "after the print log":
            # Let it log the prints, and hold the job row so that it cannot mark the job done
            # (NO KEY: the print lines' foreign key to the job must still be able to share it).
            job_lock.execute("SELECT 1 FROM core_job WHERE id = %s FOR NO KEY UPDATE", [job.pk])
            blocker.rollback()
            logged = CertificatePrint.objects.filter(job=job)
            wait_until(lambda: logged.count() == COUNT, timeout=60)
            assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING
        restarts = worker.restarts
        os.killpg(worker.pid, signal.SIGKILL)  # the main process and its pool, at once
        _drop_sessions_of_the_dead(watcher)
        blocker.rollback()
        job_lock.rollback()

        # Nobody steps in: the supervisor starts a new worker, beat re-queues the job whose
        # lease lapsed, and the new worker prints the decision again from the start.
        wait_until(lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE, timeout=180)
    finally:
        for conn in (blocker, job_lock, watcher):
            conn.close()
    wait_until(lambda: worker.restarts > restarts, timeout=30)

    job.refresh_from_db()
    assert job.result["count"] == COUNT
    prints = CertificatePrint.objects.filter(record__decision=decision_of_200)
    assert prints.filter(job=job).count() == COUNT
    assert prints.count() == COUNT  # the rerun replaced its own log lines
    assert not prints.filter(is_reprint=True).exists()  # and did not count them as reprints

    # The officer follows the progress and downloads the file through the other process.
    status, page = browser.get(f"{b}/tac-vu/{job.pk}/")
    assert status == 200
    assert f"Đã xong {COUNT}/{COUNT}." in page
    pdf = pdfium.PdfDocument(io.BytesIO(browser.get_bytes(f"{b}/tac-vu/{job.pk}/tai-ve")))
    assert len(pdf) == COUNT
    texts = {pdf[i].get_textpage().get_text_range() for i in (0, COUNT - 1)}
    assert any("Nguyễn Văn Thành 199" in t for t in texts)
