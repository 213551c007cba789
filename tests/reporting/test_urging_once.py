"""Issue 18, L3: eight simultaneous clicks on "Lập công văn đôn đốc" make one numbered letter.

The page's form carries a submission key (core.submissions); the concurrent test needs real
transactions and parallel connections, so it runs on PostgreSQL (SQLite serialises writers)."""

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from tests.conftest import verified_client
from thidua.core.models import ActionLog, FormSubmission, IssuedDocument
from thidua.reporting.models import UrgingLetter

CLICKS = 8


def letters_numbered() -> int:
    """Entries of the outgoing register for urging letters (the plan has its own)."""
    return IssuedDocument.objects.filter(symbol__endswith="-NV").count()


def _urge_form_key(client, url: str) -> str:
    page = client.get(url).content.decode()
    form = re.search(r'<form method="post" action="[^"]*/don-doc/">.*?</form>', page, re.S)
    assert form, "no urge form on the page"
    key = re.search(r'name="form_key" value="([0-9a-f-]{36})"', form[0])
    assert key, "the urge form carries no submission key"
    return key[1]


@pytest.mark.django_db(transaction=True)
def test_eight_simultaneous_urge_clicks_make_one_letter(report_request, office_user):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL in CI")
    url = reverse("reporting:request-detail", args=[report_request.pk])
    urge = reverse("reporting:request-urge", args=[report_request.pk])
    key = _urge_form_key(verified_client(office_user), url)
    clients = [verified_client(office_user) for _ in range(CLICKS)]  # eight tabs, one person
    barrier = threading.Barrier(CLICKS)
    answers: list[int] = []

    def click(client) -> None:
        try:
            barrier.wait(timeout=30)
            response = client.post(urge, {"form_key": key}, follow=True)
            answers.append(response.status_code)
            assert "Đã lập công văn đôn đốc số 01/UBND-NV" in response.content.decode()
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers == [200] * CLICKS  # every click answered with the one letter
    assert UrgingLetter.objects.count() == 1
    assert letters_numbered() == 1
    assert ActionLog.objects.filter(action="reporting.urging_letter.issued").count() == 1
    assert FormSubmission.objects.get().result_id == str(UrgingLetter.objects.get().pk)
    # A new page (a new key) is a deliberate second letter, with the next number.
    client = verified_client(office_user)
    client.post(urge, {"form_key": _urge_form_key(client, url)})
    assert sorted(d.reference for d in IssuedDocument.objects.filter(symbol__endswith="-NV")) == [
        "01/UBND-NV",
        "02/UBND-NV",
    ]


@pytest.mark.django_db
def test_a_repeated_submission_returns_the_first_letter(report_request, office_user):
    """The same check without threads (both databases): a retry of one submission."""
    client = verified_client(office_user)
    url = reverse("reporting:request-detail", args=[report_request.pk])
    urge = reverse("reporting:request-urge", args=[report_request.pk])
    key = _urge_form_key(client, url)
    for _ in range(3):
        response = client.post(urge, {"form_key": key}, follow=True)
        assert "Đã lập công văn đôn đốc số 01/UBND-NV" in response.content.decode()
    assert UrgingLetter.objects.count() == 1
    assert letters_numbered() == 1


@pytest.mark.django_db
def test_a_report_request_sent_twice_from_one_page_is_sent_once(
    campaign, template, office_user, officer
):
    from thidua.notifications.models import Notice
    from thidua.reporting.models import ReportRequest

    client = verified_client(office_user)
    url = reverse("reporting:request-create", args=[campaign.pk])
    page = client.get(url).content.decode()
    key = re.search(r'name="form_key" value="([0-9a-f-]{36})"', page)[1]
    data = {
        "form_key": key,
        "template": template.pk,
        "kind": "regular",
        "title": "Báo cáo quý IV",
        "due_date": "15/12/2022",
        "confirm_deadline": "on",  # a past deadline, entered after the fact
        "audience": "invited",
        "reminder_offsets": "-5, -2, -1, 0",
        "repeat_every": "2",
        "escalate_after": "3",
    }
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    notified = Notice.objects.count()
    assert notified > 0
    second = client.post(url, data)  # the same submission again (double click, retry)
    assert second["Location"] == first["Location"]
    assert ReportRequest.objects.count() == 1
    assert Notice.objects.count() == notified  # nobody is told twice
    assert ActionLog.objects.filter(action="reporting.request.sent").count() == 1
