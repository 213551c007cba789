"""Who may run a council's sessions: Nội vụ of the council's body, never a ward's own emulation
officer for the city's council; members vote as members (docs/security.md R16)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_unit, verified_client
from thidua.accounts.models import Role
from thidua.awards import council, selectors
from thidua.awards.models import (
    Attendance,
    Council,
    CouncilMember,
    CouncilSession,
    NamedVote,
    Nomination,
    WrittenOpinion,
)
from thidua.core.models import ActionLog
from thidua.notifications.models import Notice
from thidua.organizations.models import UnitKind, UnitRole

pytestmark = pytest.mark.django_db


def _trace(session: CouncilSession | None = None) -> tuple:
    """What a change of a council session leaves: sessions, the roll, the counting committee,
    votes and opinions, the minutes' number, log lines and notices."""
    sessions = CouncilSession.objects.order_by("pk")
    return (
        list(sessions.values_list("pk", "status", "minutes_number_id")),
        list(Attendance.objects.order_by("pk").values_list("presence", "reason", "counting_role")),
        list(NamedVote.objects.values_list("member_id", "choice")),
        list(WrittenOpinion.objects.values_list("member_id", "choice")),
        list(Nomination.objects.order_by("pk").values_list("status", flat=True)),
        ActionLog.objects.filter(action__startswith="awards.").count(),
        Notice.objects.count(),
    )


def _refused(*attempts) -> None:
    """Each attempt is refused and changes, logs and notifies nothing."""
    before = _trace()
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
        assert _trace() == before


def test_a_wards_officer_cannot_run_the_city_councils_session(
    office_user, ward_office, council11, eligible
):
    """Every service that changes a session of the city's council refuses the ward's Nội vụ
    officer at each stage (scheduling, the agenda, the roll and the counting committee,
    opening the session and a vote, a show of hands, written opinions on paper, the minutes),
    changing, logging and notifying nothing; the city's Nội vụ does each of them."""
    eligible.rule.secret_ballot = False  # the rules allow a show of hands for this award
    eligible.rule.save(update_fields=["secret_ballot"])
    body, members = council11
    day = date(2022, 12, 27)
    _refused(
        lambda: council.session_create(
            actor=ward_office, council=body, title="Phiên của phường", held_on=day
        ),
        lambda: council.session_schedule(
            actor=ward_office,
            council=body,
            title="Phiên của phường",
            held_on=day,
            starts_at=None,
            place="",
            nominations=[eligible],
        ),
    )
    assert not CouncilSession.objects.exists()
    session = council.session_create(actor=office_user, council=body, title="Phiên", held_on=day)

    # Preparing: the agenda, the roll, the counting committee, a paper opinion, the opening.
    _refused(
        lambda: council.session_add_nominations(
            actor=ward_office, session=session, nominations=[eligible], secret=False
        ),
        lambda: council.attendance_set(
            actor=ward_office, session=session, member=members[0], presence="present"
        ),
        lambda: council.roll_call_record(
            actor=ward_office,
            session=session,
            presences={members[0].pk: ("present", "")},
            roles={members[0].pk: "head"},
        ),
        lambda: council.counting_committee_set(
            actor=ward_office, session=session, roles={members[0].pk: "head"}
        ),
        lambda: council.session_open(actor=ward_office, session=session),
    )
    council.session_add_nominations(
        actor=office_user, session=session, nominations=[eligible], secret=False
    )
    for member in members[:9]:
        council.attendance_set(
            actor=office_user, session=session, member=member, presence="present"
        )
    council.attendance_set(
        actor=office_user, session=session, member=members[10], presence="absent"
    )
    item = session.items.get()
    _refused(
        lambda: council.written_opinion_submit(
            actor=ward_office,
            session=session,
            reason="Đi công tác",
            choices={item.pk: "agree"},
            member=members[9],
        ),
        lambda: council.session_open(actor=ward_office, session=session),
    )
    council.written_opinion_submit(
        actor=office_user,
        session=session,
        reason="Đi công tác",
        choices={item.pk: "agree"},
        member=members[9],
    )
    session = council.session_open(actor=office_user, session=session)
    assert session.is_open

    # Open: the counting committee, a vote, a show of hands, a paper opinion.
    _refused(
        lambda: council.counting_committee_set(
            actor=ward_office, session=session, roles={members[1].pk: "head"}
        ),
        lambda: council.item_vote_open(actor=ward_office, item=item),
    )
    council.counting_committee_set(
        actor=office_user, session=session, roles={members[1].pk: "head"}
    )
    item = council.item_vote_open(actor=office_user, item=item)
    votes = {m.pk: "agree" for m in members[:9]}
    _refused(
        lambda: council.named_votes_record(actor=ward_office, item=item, choices=votes),
        lambda: council.written_opinion_record(
            actor=ward_office, item=item, member=members[9], choice="disagree"
        ),
    )
    assert council.named_votes_record(actor=office_user, item=item, choices=votes) == 9
    council.written_opinion_record(actor=office_user, item=item, member=members[9], choice="agree")
    council.item_close(actor=members[0].user, item=item)
    session = council.session_close(actor=members[0].user, session=session)

    # Closed: the minutes' number.
    _refused(lambda: council.minutes_number(actor=ward_office, session=session))
    assert council.minutes_number(actor=office_user, session=session).reference
    assert not ActionLog.objects.filter(actor=ward_office).exists()

    # Through the pages as well: the session is not theirs to open (404), nor its minutes.
    minutes = reverse("awards:minutes-pdf", args=[session.pk])
    assert verified_client(office_user).get(minutes).status_code == 200
    ward = verified_client(ward_office)
    assert ward.get(minutes).status_code == 404
    other = council.session_create(actor=office_user, council=body, title="Phiên 2", held_on=day)
    before = _trace()
    for name in ("session-open", "session-roll-call", "session-counting", "minutes-number"):
        assert ward.post(reverse(f"awards:{name}", args=[other.pk])).status_code == 404
    assert _trace() == before


def test_a_wards_officer_runs_the_wards_council_but_not_on_the_citys_dossiers(
    office_user, ward_office, make_user, city, eligible
):
    """The rule is the council's body, not the city: the ward's Nội vụ runs the ward's own
    council, and neither the ward's nor the city's Nội vụ runs the other's. A council
    considers only dossiers of campaigns its body runs: the city's dossier is refused on the
    ward's agenda, with nothing changed."""
    ward_council = Council.objects.create(
        owner_unit=city.suoi_hoa, name="Hội đồng TĐKT phường Suối Hoa", term_start=date(2021, 1, 1)
    )
    seat = CouncilMember.objects.create(
        council=ward_council, user=make_user(Role.UNIT_HEAD, city.suoi_hoa), role="chair"
    )
    session = council.session_create(
        actor=ward_office, council=ward_council, title="Phiên phường", held_on=date(2022, 12, 20)
    )
    council.attendance_set(actor=ward_office, session=session, member=seat, presence="present")
    _refused(
        lambda: council.session_create(
            actor=office_user, council=ward_council, title="X", held_on=date(2022, 12, 20)
        ),
        lambda: council.attendance_set(
            actor=office_user, session=session, member=seat, presence="absent"
        ),
    )
    before = _trace()
    with pytest.raises(ValidationError) as refused:
        council.session_add_nominations(actor=ward_office, session=session, nominations=[eligible])
    assert "thuộc phong trào do cơ quan khác tổ chức" in refused.value.messages[0]
    assert _trace() == before
    eligible.refresh_from_db()
    assert eligible.status == Nomination.Status.ELIGIBLE


def test_a_wards_officer_sees_none_of_the_city_councils_sessions(
    office_user, ward_office, council11, eligible, campaign, django_assert_num_queries
):
    """The city's Nội vụ finds the city council's session in the list (one query), opens its
    page with the roll call and the opening button, and is offered to schedule one from the
    campaign's dossiers; the ward's Nội vụ sees none of it, gets 404 on the session's pages
    and 403 on the scheduling form."""
    body, members = council11
    session = council.session_create(
        actor=office_user, council=body, title="Phiên xét khen thưởng", held_on=date(2022, 12, 27)
    )
    for user in (office_user, ward_office):
        user.__dict__.pop("_thidua_fund_issuers", None)
        list(selectors.council_session_list_for(actor=user))  # roles, cached on the user
    with django_assert_num_queries(1):
        assert list(selectors.council_session_list_for(actor=office_user)) == [session]
    with django_assert_num_queries(1):
        assert list(selectors.council_session_list_for(actor=ward_office)) == []
    assert list(selectors.council_session_list_for(actor=members[3].user)) == [session]
    city, ward = verified_client(office_user), verified_client(ward_office)
    listing = reverse("awards:session-list")
    assert "Phiên xét khen thưởng" in city.get(listing).content.decode()
    assert "Phiên xét khen thưởng" not in ward.get(listing).content.decode()
    url = reverse("awards:session", args=[session.pk])
    page = city.get(url).content.decode()
    assert reverse("awards:session-roll-call", args=[session.pk]) in page
    assert reverse("awards:session-open", args=[session.pk]) in page
    assert "Nhập ý kiến bằng văn bản (bản giấy)" in page
    for name in ("session", "session-results", "written-opinion", "session-live"):
        assert ward.get(reverse(f"awards:{name}", args=[session.pk])).status_code == 404
    dossiers = reverse("awards:nomination-list", args=[campaign.pk])
    schedule = reverse("awards:session-create", args=[campaign.pk])
    assert schedule in city.get(dossiers).content.decode()
    assert city.get(schedule).status_code == 200
    assert schedule not in ward.get(dossiers).content.decode()
    assert ward.get(schedule).status_code == 403
    response = ward.post(
        schedule,
        {"council": body.pk, "title": "X", "held_on": "27/12/2022", "nominations": [eligible.pk]},
    )
    assert response.status_code == 403
    assert CouncilSession.objects.count() == 1


def test_the_campaigns_dossier_page_lists_only_sessions_the_user_may_open(
    office_user, ward_office, council11, eligible, campaign, django_assert_num_queries
):
    """The sessions on a campaign's dossier page follow council_session_list_for: the city's
    Nội vụ and a member of the city council see the session with the campaign's dossier on its
    agenda (one query); the ward's Nội vụ, whose click would get 404, is not told its title or
    date, and a session without the campaign's dossiers is not listed."""
    body, members = council11
    session = council.session_create(
        actor=office_user, council=body, title="Phiên xét khen thưởng", held_on=date(2022, 12, 27)
    )
    council.session_add_nominations(actor=office_user, session=session, nominations=[eligible])
    council.session_create(
        actor=office_user, council=body, title="Phiên khác", held_on=date(2022, 12, 28)
    )
    member = members[3].user
    for user in (office_user, ward_office, member):
        list(selectors.session_list_for(actor=user, campaign=campaign))  # roles, cached
        with django_assert_num_queries(1):
            listed = list(selectors.session_list_for(actor=user, campaign=campaign))
        assert listed == ([] if user is ward_office else [session])
    dossiers = reverse("awards:nomination-list", args=[campaign.pk])
    assert "Phiên xét khen thưởng" in verified_client(office_user).get(dossiers).content.decode()
    page = verified_client(ward_office).get(dossiers).content.decode()
    assert "Phiên xét khen thưởng" not in page
    assert "27/12/2022" not in page
    assert reverse("awards:session", args=[session.pk]) not in page


def test_a_council_kept_by_phong_noi_vu_is_the_citys(office_user, ward_office, city):
    """A council whose owner unit is Phòng Nội vụ (its standing office) serves the city: the
    city's Nội vụ runs and lists its sessions, the ward's does neither."""
    body = Council.objects.create(
        owner_unit=city.noivu, name="Hội đồng TĐKT thành phố", term_start=date(2021, 1, 1)
    )
    session = council.session_create(
        actor=office_user, council=body, title="Phiên", held_on=date(2022, 12, 27)
    )
    _refused(
        lambda: council.session_create(
            actor=ward_office, council=body, title="X", held_on=date(2022, 12, 27)
        )
    )
    assert list(selectors.council_session_list_for(actor=office_user)) == [session]
    assert list(selectors.council_session_list_for(actor=ward_office)) == []


def test_the_campaigns_dossier_list_names_only_the_sessions_the_reader_may_open(
    office_user, ward_office, council11, eligible, campaign
):
    """The campaign's dossier list names the council sessions on its dossiers, each a link
    to the session's page: the city's Nội vụ sees the city council's session; the ward's Nội
    vụ, whom that page refuses (404), is not shown it."""
    body, _members = council11
    session = council.session_create(
        actor=office_user, council=body, title="Phiên xét khen thưởng", held_on=date(2022, 12, 27)
    )
    council.session_add_nominations(actor=office_user, session=session, nominations=[eligible])
    dossiers = reverse("awards:nomination-list", args=[campaign.pk])
    link = reverse("awards:session", args=[session.pk])
    assert link in verified_client(office_user).get(dossiers).content.decode()
    ward = verified_client(ward_office)
    page = ward.get(dossiers)
    assert page.status_code == 200
    assert link not in page.content.decode()
    assert ward.get(link).status_code == 404


def test_the_dossier_list_reads_the_councils_run_once(office_user, council11, eligible, campaign):
    """The campaign's dossier list reads the councils Nội vụ runs once, for its "Lập phiên họp"
    button and for its sessions, in one query and without the issuer subquery (costly to build
    and compile: bench/page_cost.py), and the page keeps its query count."""
    body, _members = council11
    session = council.session_create(
        actor=office_user, council=body, title="Phiên xét khen thưởng", held_on=date(2022, 12, 27)
    )
    dossiers = reverse("awards:nomination-list", args=[campaign.pk])
    client = verified_client(office_user)
    client.get(dossiers)  # warm: roles, fragments
    with CaptureQueriesContext(connection) as queries:
        page = client.get(dossiers).content.decode()
    sql = [q["sql"] for q in queries]  # read now: the log is cleared by the next request
    assert reverse("awards:session-create", args=[campaign.pk]) in page
    assert len([q for q in sql if '"awards_council"' in q]) == 1
    assert not [q for q in sql if '"depth" DESC' in q]
    assert len(sql) == 9
    council.session_add_nominations(actor=office_user, session=session, nominations=[eligible])
    assert reverse("awards:session", args=[session.pk]) in client.get(dossiers).content.decode()


def test_the_councils_read_once_are_those_run_by_each_body(office_user, council11, campaign, city):
    """council_bodies_run_by, what the dossier list reads once, keeps councils_run_by's rows
    for an officer who is Nội vụ of two bodies (the city and Suối Hoa), with each council's
    body: the city's council and Suối Hoa's, not Vũ Ninh's; only the city's may consider the
    city campaign's dossiers (councils_for_campaign)."""
    UnitRole.objects.create(user=office_user, unit=city.suoi_hoa, role=Role.EMULATION_OFFICE)
    body, _members = council11
    ward, other = (
        Council.objects.create(
            owner_unit=unit, name=f"Hội đồng {unit.name}", term_start=date(2021, 1, 1)
        )
        for unit in (city.suoi_hoa, city.vu_ninh)
    )
    officer = type(office_user).objects.get(pk=office_user.pk)  # roles as granted now
    run = selectors.council_bodies_run_by(actor=officer)
    assert run == {body.pk: city.city.pk, ward.pk: city.suoi_hoa.pk}
    assert set(run) == set(selectors.councils_run_by(actor=officer).values_list("pk", flat=True))
    assert other.pk not in run
    assert selectors.council_ids_for_campaign(run=run, campaign=campaign) == [body.pk]
    assert [c.pk for c in selectors.councils_for_campaign(actor=officer, campaign=campaign)] == [
        body.pk
    ]


def test_the_councils_read_once_follow_owners_below_an_office(office_user, city, make_user):
    """A council owned by an office, or by a unit under an office, is its nearest body's, as
    the issuer subquery (councils_run_by) has it: the city's for one under Phòng Nội vụ, Vũ
    Ninh's (not run) for one under a ward's office, so council_bodies_run_by reads them from
    the owners' paths with the same rows; a ward's officer runs none of the city's."""
    team = make_unit("NV-TO", "Tổ thi đua", UnitKind.OTHER, city.noivu)
    ward_office = make_unit("VN-VP", "Văn phòng phường Vũ Ninh", UnitKind.OFFICE, city.vu_ninh)
    ward_team = make_unit("VN-TO", "Tổ thi đua phường", UnitKind.OTHER, ward_office)
    councils = {
        unit.code: Council.objects.create(
            owner_unit=unit, name=f"Hội đồng {unit.name}", term_start=date(2021, 1, 1)
        )
        for unit in (city.city, city.noivu, team, city.vu_ninh, ward_office, ward_team)
    }
    city_councils = {councils[code].pk for code in ("TPBN", "NV", "NV-TO")}
    officer = type(office_user).objects.get(pk=office_user.pk)
    run = selectors.council_bodies_run_by(actor=officer)
    assert run == dict.fromkeys(city_councils, city.city.pk)
    assert set(selectors.councils_run_by(actor=officer).values_list("pk", flat=True)) == set(run)
    ward = make_user(Role.EMULATION_OFFICE, ward_office, username="noivu-vuninh")
    ward_councils = {councils[code].pk for code in ("P-VUNINH", "VN-VP", "VN-TO")}
    assert selectors.council_bodies_run_by(actor=ward) == dict.fromkeys(
        ward_councils, city.vu_ninh.pk
    )
    assert set(selectors.councils_run_by(actor=ward).values_list("pk", flat=True)) == set(
        ward_councils
    )
