from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.awards.test_council import open_session
from tests.conftest import verified_client
from thidua.awards import services
from thidua.awards.models import BallotCast, Nomination, SealedBallot

pytestmark = pytest.mark.django_db


def test_members_vote_from_their_own_sessions_and_the_chair_closes(
    office_user,
    office_client,
    board,
    eligible,
):
    session, item, members = open_session(office_user, board, eligible)
    url = reverse("awards:session", args=[session.pk])
    cast = reverse("awards:ballot-cast", args=[session.pk, item.pk])
    voters = [verified_client(m.user) for m in members[:3]]
    for client, choice in zip(voters, ["agree", "agree", "disagree"], strict=True):
        page = client.get(url).content.decode()
        assert "Đồng ý" in page
        client.post(cast, {"choice": choice})
        assert "Đồng chí đã bỏ phiếu" in client.get(url).content.decode()
    voters[0].post(cast, {"choice": "disagree"})  # a second vote
    assert (
        BallotCast.objects.filter(item=item).count()
        == SealedBallot.objects.filter(item=item).count()
        == 3
    )
    assert "Đồng ý 2/" not in office_client.get(url).content.decode()  # no tally while voting
    chair = voters[0]
    chair.post(reverse("awards:item-close", args=[session.pk, item.pk]))
    chair.post(reverse("awards:session-close", args=[session.pk]))
    office_client.post(reverse("awards:minutes-number", args=[session.pk]))
    page = office_client.get(url).content.decode()
    assert "Đồng ý 2/15" in page
    pdf = office_client.get(reverse("awards:minutes-pdf", args=[session.pk])).content
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert "Số: 01/BB-HĐTĐKT" in text
    assert "BIÊN BẢN" in text


def test_closing_a_session_says_so_once(office_user, board, eligible):
    """The chair who closed the session read two alerts saying the same thing: the done message
    ("Đã kết thúc phiên họp.") and the member's box ("Phiên họp đã kết thúc.")."""
    session, item, members = open_session(office_user, board, eligible)
    chair = verified_client(members[0].user)
    chair.post(reverse("awards:item-close", args=[session.pk, item.pk]))
    page = chair.post(reverse("awards:session-close", args=[session.pk]), follow=True)
    text = page.content.decode()
    assert text.count("Đã kết thúc phiên họp.") + text.count("Phiên họp đã kết thúc.") == 1
    assert "<strong>Đã kết thúc</strong>" in text  # the session's status line


def test_generated_submission_lists_the_nominees(campaign, giay_khen, officer, city):
    from thidua.awards import services
    from thidua.organizations.models import Person

    person = Person.objects.create(
        full_name="Đặng Thị Thu",
        gender="female",
        unit=city.suoi_hoa,
        category="civil_servant",
        position="Công chức văn hóa",
    )
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    services.nominee_add(
        actor=officer, nomination=n, person=person, achievements="Tổ chức 4 buổi tọa đàm"
    )
    pdf = (
        verified_client(officer)
        .get(reverse("awards:submission-download", args=[n.pk, "pdf"]))
        .content
    )
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "TỜ TRÌNH" in text
    assert "Bà Đặng Thị Thu" in text


def test_rows_statuses_overdue_and_the_session_button(
    campaign, eligible, board, giay_khen, officer, office_client, city
):
    late = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    Nomination.objects.filter(pk=late.pk).update(
        status=Nomination.Status.UNDER_APPRAISAL,
        submitted_at=timezone.now(),
        appraisal_due=date(2022, 6, 1),
    )
    page = office_client.get(reverse("awards:nomination-list", args=[campaign.pk]))
    html = page.content.decode()
    assert html.count(reverse("awards:nomination-detail", args=[eligible.pk])) == 1
    assert f"<td>{eligible.get_status_display()}</td>" in html
    assert '01/06/2022 <span class="badge text-bg-danger">Quá hạn</span>' in html
    assert "Lập phiên họp Hội đồng (1 hồ sơ đủ điều kiện)" in html
    assert 'name="unit"' not in html  # Nội vụ drafts for no unit


def test_a_returned_dossier_shows_no_appraisal_deadline_in_the_list(
    campaign, giay_khen, officer, office_client, city
):
    """A dossier returned to its unit is no longer being appraised: the list shows no
    deadline for it (the dossier page already showed none); it gets a new one when sent
    again. It showed the old date, as if Nội vụ still had to finish by then."""
    returned = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    Nomination.objects.filter(pk=returned.pk).update(
        status=Nomination.Status.RETURNED,
        submitted_at=timezone.now(),
        appraisal_due=date(2022, 12, 18),
    )
    html = office_client.get(reverse("awards:nomination-list", args=[campaign.pk]))
    row = html.content.decode().split(reverse("awards:nomination-detail", args=[returned.pk]))[1]
    row = row[: row.index("</tr>")]
    assert "Bị trả lại" in row
    assert "18/12/2022" not in row
    assert "<td>—</td>" in row


def test_a_unit_officer_drafts_for_its_own_unit_only(campaign, officer, city):
    html = (
        verified_client(officer)
        .get(reverse("awards:nomination-list", args=[campaign.pk]))
        .content.decode()
    )
    assert f'<option value="{city.suoi_hoa.pk}">{city.suoi_hoa.name}</option>' in html
    assert f'<option value="{city.centre.pk}">' not in html


def _people_in_select(html: str) -> str:
    start = html.index('<select class="form-select mb-2" id="person"')
    return html[start : html.index("</select>", start)]


def test_the_person_dropdown_offers_only_people_not_yet_in_the_dossier(
    campaign, giay_khen, officer, city
):
    from thidua.organizations.models import Person

    inside, outside = (
        Person.objects.create(
            full_name=name, gender="female", unit=city.suoi_hoa, category="civil_servant"
        )
        for name in ("Đặng Thị Thu", "Ngô Thị Lan")
    )
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    services.nominee_add(actor=officer, nomination=n, person=inside)
    html = (
        verified_client(officer)
        .get(reverse("awards:nomination-detail", args=[n.pk]))
        .content.decode()
    )
    people = _people_in_select(html)
    assert "Ngô Thị Lan" in people
    assert "Đặng Thị Thu" not in people
    assert f'value="{outside.pk}"' in people
    assert f'value="{inside.pk}"' not in people


def test_a_refused_add_keeps_what_the_official_typed(campaign, giay_khen, officer, city):
    from thidua.organizations.models import Person

    person = Person.objects.create(
        full_name="Đặng Thị Thu", gender="female", unit=city.suoi_hoa, category="civil_servant"
    )
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    services.nominee_add(actor=officer, nomination=n, person=person)
    client = verified_client(officer)
    typed = "Hoàn thành xuất sắc nhiệm vụ; 3 sáng kiến cấp thành phố"
    response = client.post(
        reverse("awards:nominee-person-add", args=[n.pk]),
        {"person": person.pk, "achievements": typed},
    )
    html = response.content.decode()
    assert "Đặng Thị Thu đã có trong hồ sơ này." in html
    assert f'name="achievements" rows="2">{typed}</textarea>' in html
    # A refused collective keeps its text too (the dossier already holds the unit).
    services.nominee_add(actor=officer, nomination=n, unit=city.suoi_hoa)
    html = client.post(
        reverse("awards:nominee-unit-add", args=[n.pk]), {"achievements": "Tập thể tiêu biểu"}
    ).content.decode()
    assert "đã có trong hồ sơ này." in html
    assert 'name="achievements" rows="2">Tập thể tiêu biểu</textarea>' in html
