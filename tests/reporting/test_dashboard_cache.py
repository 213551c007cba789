"""The dashboard's figures are cached per campaign (reporting.selectors.dashboard): every
service that changes what they count must show on the next visit."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.factories.reports import narrative, report_written
from tests.participation.test_services import commitments, register
from tests.reporting.test_services import submit
from thidua.campaigns.selectors import figures_version_name
from thidua.core import versions
from thidua.participation import services as participation
from thidua.reporting import services

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def figures(client, campaign):
    response = client.get(reverse("reporting:dashboard", args=[campaign.pk]))
    assert response.status_code == 200
    return response.context["d"]


def test_each_counted_change_shows_on_the_next_visit(
    campaign, template, office_user, office_client, officer, head, city
):
    d = figures(office_client, campaign)
    assert (d["activities"], d["registered"], d["open_difficulties"]) == (0, 0, 0)
    assert (d["report_status"], d["reminders"], d["commitment_progress"]) == ([], 0, None)

    reg = register(campaign, officer, head, city.suoi_hoa)
    d = figures(office_client, campaign)
    assert (d["registered"], d["registrations"], d["commitment_progress"]) == (1, 1, 0)

    commitment = reg.commitments.filter(target_kind="number").first()
    participation.activity_record(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        form=campaign.forms.first(),
        title="Tọa đàm",
        held_on=date(2022, 7, 5),
        participants=20,
        contributions={commitment.pk: commitment.target_value},
    )
    d = figures(office_client, campaign)
    assert (d["activities"], d["participants"]) == (1, 20)
    assert d["commitment_progress"] > 0

    difficulty = participation.difficulty_raise(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, title="Thiếu kinh phí", text="…"
    )
    assert figures(office_client, campaign)["open_difficulties"] == 1
    participation.difficulty_close(actor=office_user, difficulty=difficulty)
    assert figures(office_client, campaign)["open_difficulties"] == 0

    request = services.request_create(
        actor=office_user,
        campaign=campaign,
        template=template,
        title="Báo cáo",
        units=[city.suoi_hoa, city.vu_ninh],
        due_date=date(2022, 12, 15),
    )
    assert [(r["status"], r["n"]) for r in figures(office_client, campaign)["report_status"]] == [
        ("pending", 2)
    ]
    services.reminders_send_due(datetime(2022, 12, 8, 9, tzinfo=HCM))
    assert figures(office_client, campaign)["reminders"] == 2
    a = request.assignments.get(unit=city.suoi_hoa)
    with time_machine.travel(datetime(2022, 12, 16, 10, tzinfo=HCM)):  # after the deadline
        submit(a, officer, head, narrative(a), {})
    rows = {
        r["status"]: (r["n"], r["late"]) for r in figures(office_client, campaign)["report_status"]
    }
    assert rows == {"pending": (1, 0), "submitted": (1, 1)}


def test_each_move_bumps_the_figures_at_once_and_again_on_commit(
    campaign,
    report_request,
    office_user,
    officer,
    head,
    city,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    name = figures_version_name(campaign.pk)
    renewed: list[str] = []
    renew = versions._renew
    monkeypatch.setattr(versions, "_renew", lambda n: renewed.append(n) or renew(n))

    def bumps(move):
        renewed.clear()
        with django_capture_on_commit_callbacks(execute=True):
            row = move()
            assert renewed == [name]  # at once
        assert renewed == [name, name]  # and again on commit
        return row

    reg = participation.registration_save(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        note="",
        commitments=commitments(campaign),
    )
    reg = bumps(
        lambda: participation.registration_send_for_approval(actor=officer, registration=reg)
    )
    reg = bumps(lambda: participation.registration_return(actor=head, registration=reg, note="Sửa"))
    reg = participation.registration_send_for_approval(actor=officer, registration=reg)
    bumps(lambda: participation.registration_approve(actor=head, registration=reg))

    difficulty = participation.difficulty_raise(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, title="Thiếu kinh phí", text="…"
    )
    bumps(lambda: participation.difficulty_forward(actor=office_user, difficulty=difficulty))
    bumps(
        lambda: participation.difficulty_answer(
            actor=office_user, difficulty=difficulty, answer="Có"
        )
    )
    bumps(lambda: participation.difficulty_close(actor=office_user, difficulty=difficulty))

    a = report_written(report_request.assignments.get(unit=city.suoi_hoa), officer)
    a = bumps(lambda: services.report_send_for_approval(actor=officer, assignment=a))
    a = bumps(lambda: services.report_submit(actor=head, assignment=a))
    a = bumps(lambda: services.report_return(actor=office_user, assignment=a, note="Bổ sung"))
    a = services.report_submit(actor=head, assignment=a)
    bumps(lambda: services.report_accept(actor=office_user, assignment=a))
