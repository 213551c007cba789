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


def test_200_certificates_survive_a_killed_worker(stack, staff_user, decision_of_200):
    a, b = bases(stack)
    browser = Browser()
    assert browser.login(a, "chuyenvien", PASSWORD)[0] == 200
    page_url = f"{a}/quyet-dinh/{decision_of_200.pk}/"
    status, page = browser.get(page_url)
    assert status == 200, page[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token

    blocker = _blocker()
    watcher = _blocker()
    watcher.autocommit = True
    try:
        blocker.execute("LOCK TABLE awards_certificateprint IN SHARE ROW EXCLUSIVE MODE")
        status, page = browser.post(
            page_url,
            {"csrfmiddlewaretoken": token.group(1), "action": "print", "printer": ""},
            referer=page_url,
        )
        assert status == 200
        assert "Đang in giấy khen trong nền." in page
        job = Job.objects.get(kind="awards.certificates")
        assert job.total == COUNT

        # The worker has drawn all 200 pages and waits to write the print log: kill it there.
        wait_until(lambda: _waiting_on_print_log(watcher), timeout=120)
        job.refresh_from_db()
        assert (job.status, job.done) == (Job.Status.RUNNING, COUNT)
        worker = stack.procs["worker"]
        restarts = worker.restarts
        os.killpg(worker.pid, signal.SIGKILL)  # the main process and its pool, at once
        blocker.rollback()

        # Nobody steps in: the supervisor starts a new worker, beat re-queues the job whose
        # lease lapsed, and the new worker prints the decision again from the start.
        wait_until(lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE, timeout=180)
    finally:
        blocker.close()
        watcher.close()
    assert worker.restarts > restarts

    job.refresh_from_db()
    assert job.result["count"] == COUNT
    assert CertificatePrint.objects.filter(job=job).count() == COUNT
    assert CertificatePrint.objects.filter(record__decision=decision_of_200).count() == COUNT

    # The officer follows the progress and downloads the file through the other process.
    status, page = browser.get(f"{b}/tac-vu/{job.pk}/")
    assert status == 200
    assert f"Đã xong {COUNT}/{COUNT}." in page
    pdf_bytes = browser.get_bytes(f"{b}/tac-vu/{job.pk}/tai-ve")
    pdf = pdfium.PdfDocument(io.BytesIO(pdf_bytes))
    assert len(pdf) == COUNT
    texts = {pdf[i].get_textpage().get_text_range() for i in (0, COUNT - 1)}
    assert any("Nguyễn Văn Thành 199" in t for t in texts)
