import threading
from datetime import date, time

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse

from tests.conftest import verified_client
from thidua.accounts.models import User
from thidua.awards import council
from thidua.awards.models import (
    Attendance,
    BallotCast,
    Council,
    CouncilMember,
    CouncilSession,
    SealedBallot,
    WrittenOpinion,
)
from thidua.core.models import ActionLog
from thidua.notifications.models import Notice, OutboxMail

pytestmark = pytest.mark.django_db


def scheduled(office_user, council11, agenda) -> CouncilSession:
    body, _members = council11
    session = council.session_create(
        actor=office_user,
        council=body,
        title="Xét khen thưởng năm 2022",
        held_on=date(2022, 12, 27),
        starts_at=time(14, 0),
        place="Phòng họp tầng 3",
    )
    council.session_add_nominations(actor=office_user, session=session, nominations=[agenda])
    return session


def opened(office_user, council11, agenda) -> CouncilSession:
    """Nine members present, two absent."""
    session = scheduled(office_user, council11, agenda)
    _body, members = council11
    for i, member in enumerate(members):
        council.attendance_set(
            actor=office_user,
            session=session,
            member=member,
            presence="present" if i < 9 else "absent",
        )
    return council.session_open(actor=office_user, session=session)


def test_every_member_is_invited_with_a_link_and_sees_the_session(
    office_user, council11, agenda, city, make_user, django_capture_on_commit_callbacks
):
    _body, members = council11
    with django_capture_on_commit_callbacks(execute=True):
        session = scheduled(office_user, council11, agenda)
    url = reverse("awards:session", args=[session.pk])
    notices = Notice.objects.filter(url=url)
    assert {n.user_id for n in notices} == {m.user_id for m in members}
    assert notices.first().title == "Giấy mời họp: Xét khen thưởng năm 2022"
    assert "14 giờ 00, ngày 27/12/2022 tại Phòng họp tầng 3" in notices.first().body
    invitations = [m for m in mail.outbox if m.subject.startswith("Giấy mời họp")]
    assert len(invitations) == 11
    assert url in invitations[0].body
    # Another council's session stays invisible to these members.
    other = Council.objects.create(
        owner_unit=city.city, name="Hội đồng khác", term_start=date(2021, 1, 1)
    )
    hidden = council.session_create(
        actor=office_user, council=other, title="Phiên của hội đồng khác", held_on=date(2022, 12, 1)
    )
    client = verified_client(members[5].user)
    page = client.get(reverse("awards:session-list")).content.decode()
    assert "Xét khen thưởng năm 2022" in page
    assert "Phiên của hội đồng khác" not in page
    assert "27/12/2022 14:00" in page  # date then time, as on every page
    assert client.get(reverse("awards:session", args=[hidden.pk])).status_code == 404
    detail = client.get(url).content.decode()
    assert "Bà Vũ Thị Hạnh, Công chức văn hóa – xã hội, Phường Suối Hoa" in detail
    assert "Tóm tắt thành tích:" in detail
    assert reverse("awards:nomination-detail", args=[agenda.pk]) in detail
    # The session opens: every member is told.
    with django_capture_on_commit_callbacks(execute=True):
        opened_session = council.session_open(
            actor=office_user, session=_all_present(office_user, session)
        )
    assert Notice.objects.filter(title__startswith="Phiên họp đã bắt đầu", url=url).count() == 11
    assert opened_session.status == "open"


def _all_present(office_user, session):
    for a in session.attendance.select_related("member"):
        council.attendance_set(
            actor=office_user, session=session, member=a.member, presence="present"
        )
    return session


@pytest.mark.parametrize("rows", [1, 6])
def test_session_list_query_count_is_flat(rows, office_user, council11, django_assert_num_queries):
    body, members = council11
    for i in range(rows):
        council.session_create(
            actor=office_user, council=body, title=f"Phiên {i}", held_on=date(2022, 12, 1 + i)
        )
    client = verified_client(members[4].user)
    client.get(reverse("awards:session-list"))  # warm the session and the device
    with django_assert_num_queries(6):
        response = client.get(reverse("awards:session-list"))
    assert len(response.context["sessions"]) == rows


@pytest.mark.parametrize("rows", [1, 6])
def test_session_list_for_noi_vu_query_count_is_flat(
    rows, office_user, council11, django_assert_num_queries
):
    """Nội vụ, who runs the sessions, gets each one's roll call with no query per row."""
    body, members = council11
    for i in range(rows):
        session = council.session_create(
            actor=office_user, council=body, title=f"Phiên {i}", held_on=date(2022, 12, 1 + i)
        )
        council.attendance_set(
            actor=office_user, session=session, member=members[i], presence="present"
        )
    client = verified_client(office_user)
    client.get(reverse("awards:session-list"))  # warm the session and the device
    with django_assert_num_queries(6):
        response = client.get(reverse("awards:session-list"))
    assert len(response.context["sessions"]) == rows
    assert response.content.decode().count("1/11 đã điểm danh") == rows


def test_the_session_list_shows_whoever_runs_it_the_roll_calls_progress(
    office_user, council11, agenda
):
    """Nội vụ who runs a session being prepared sees "3/11 đã điểm danh" on the list: the
    members do not, and nobody once the session has opened."""
    _body, members = council11
    session = scheduled(office_user, council11, agenda)
    for member in members[:3]:
        council.attendance_set(
            actor=office_user, session=session, member=member, presence="present"
        )
    listing = reverse("awards:session-list")
    page = verified_client(office_user).get(listing).content.decode()
    assert "3/11 đã điểm danh" in page
    member_page = verified_client(members[5].user).get(listing).content.decode()
    assert session.title in member_page
    assert "đã điểm danh" not in member_page
    # Once the roll is complete and the session opened, the list no longer shows it.
    for member in members[3:]:
        council.attendance_set(
            actor=office_user, session=session, member=member, presence="present"
        )
    assert "11/11 đã điểm danh" in verified_client(office_user).get(listing).content.decode()
    council.session_open(actor=office_user, session=session)
    assert "đã điểm danh" not in verified_client(office_user).get(listing).content.decode()


def test_a_member_without_any_role_reads_the_dossiers_on_the_agenda_only(
    office_user, council11, agenda, make_user, campaign, giay_khen, city
):
    body, _members = council11
    seat_only = make_user(None, username="thanhvienmoi")  # a seat, no role anywhere
    CouncilMember.objects.create(council=body, user=seat_only, role="member")
    client = verified_client(seat_only)
    detail = reverse("awards:nomination-detail", args=[agenda.pk])
    assert client.get(detail).status_code == 404  # not on an agenda yet
    session = scheduled(office_user, council11, agenda)
    page = client.get(detail)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Vũ Thị Hạnh" in html
    assert 'value="return"' not in html  # read-only: no appraisal buttons
    assert client.get(reverse("awards:session-list")).content.decode().count(session.title) == 1
    outsider = verified_client(make_user(None, username="nguoingoai"))
    assert outsider.get(detail).status_code == 404
    assert outsider.get(reverse("awards:session", args=[session.pk])).status_code == 404


def test_a_ballot_is_shown_back_for_confirmation_and_cast_only_when_confirmed(
    office_user, council11, agenda
):
    session = opened(office_user, council11, agenda)
    _body, members = council11
    item = session.items.order_by("position").first()
    council.item_vote_open(actor=members[0].user, item=item)
    client = verified_client(members[4].user)
    url = reverse("awards:session", args=[session.pk])
    assert 'name="choice" value="disagree"' in client.get(url).content.decode()
    choose = reverse("awards:ballot-choose", args=[session.pk, item.pk])
    cast = reverse("awards:ballot-cast", args=[session.pk, item.pk])
    assert f'action="{choose}"' in client.get(url).content.decode()
    page = client.post(choose, {"choice": "disagree"})
    html = page.content.decode()
    assert "Đồng chí chọn: <strong" in html
    assert "Không đồng ý</strong>" in html
    assert "Xác nhận bỏ phiếu" in html
    assert "Chọn lại" in html
    assert not BallotCast.objects.exists()  # choosing stores nothing
    assert not SealedBallot.objects.exists()
    assert f'action="{cast}"' in html
    client.post(cast, {"choice": "disagree"})
    assert BallotCast.objects.filter(item=item, member=members[4]).exists()
    assert SealedBallot.objects.filter(item=item).count() == 1
    after = client.get(url).content.decode()
    assert "Đồng chí đã bỏ phiếu (phiếu kín)." in after
    assert f'action="{choose}"' not in after
    # A second confirmation is refused: the ballot is final.
    client.post(cast, {"choice": "agree"})
    assert SealedBallot.objects.filter(item=item).count() == 1


def test_the_live_count_says_how_many_voted_never_what(office_user, council11, agenda):
    session = opened(office_user, council11, agenda)
    _body, members = council11
    item = session.items.order_by("position").first()
    council.item_vote_open(actor=members[0].user, item=item)
    for member, choice in zip(members[1:4], ("agree", "disagree", "abstain"), strict=True):
        council.ballot_cast(actor=member.user, item=item, choice=choice)
    chair = verified_client(members[0].user)
    live = reverse("awards:session-live", args=[session.pk])
    fragment = chair.get(live, {"item": item.pk}).content.decode()
    assert "Đã bỏ phiếu: 3/9 thành viên có mặt" in fragment
    assert 'hx-trigger="every 2s"' in fragment
    for word in ("Đồng ý", "Không đồng ý", "Không biểu quyết"):
        assert word not in fragment
    page = chair.get(reverse("awards:session", args=[session.pk])).content.decode()
    assert f'hx-get="{live}?item={item.pk}"' in page
    state = page.split(f'hx-get="{live}?v=')[1].split('"')[0]
    assert chair.get(live, {"v": state}).status_code == 204  # nothing changed
    council.ballot_cast(actor=members[4].user, item=item, choice="agree")
    assert chair.get(live, {"v": state}).status_code == 204  # a ballot reloads nothing
    council.item_close(actor=members[0].user, item=item)
    changed = chair.get(live, {"v": state})
    assert changed["HX-Refresh"] == "true"


def test_results_for_a_projector(office_user, council11, agenda):
    session = opened(office_user, council11, agenda)
    _body, members = council11
    first, second, _third = session.items.order_by("position")
    for item, agree in ((first, 9), (second, 5)):
        council.item_vote_open(actor=members[0].user, item=item)
        for i, member in enumerate(members[:9]):
            council.ballot_cast(
                actor=member.user, item=item, choice="agree" if i < agree else "disagree"
            )
        if item == first:
            council.item_close(actor=members[0].user, item=item)
    page = verified_client(members[7].user).get(
        reverse("awards:session-results", args=[session.pk])
    )
    html = page.content.decode()
    assert "Kết quả biểu quyết" in html
    assert "Đồng ý 9/11" in html
    assert "81,8%" in html
    assert "ngưỡng 50%" in html
    assert "ĐỀ NGHỊ KHEN THƯỞNG" in html
    assert html.count("Đang bỏ phiếu") == 1  # the second: no figure while open
    assert "Đồng ý 5/11" not in html
    assert "Chưa bỏ phiếu" in html


def test_a_member_sends_a_written_opinion_and_nothing_typed_is_lost(office_user, council11, agenda):
    session = scheduled(office_user, council11, agenda)
    _body, members = council11
    items = list(session.items.order_by("position"))
    client = verified_client(members[9].user)
    url = reverse("awards:written-opinion", args=[session.pk])
    page = client.post(
        url, {"reason": "Đi công tác", f"item_{items[0].pk}": "agree"}
    ).content.decode()
    assert "Đề nghị cho ý kiến đối với trường hợp này." in page
    assert 'value="Đi công tác"' in page  # kept
    assert not WrittenOpinion.objects.exists()
    data = {"reason": "Đi công tác", **{f"item_{i.pk}": "agree" for i in items}}
    data[f"item_{items[2].pk}"] = "disagree"
    response = client.post(url, data)
    assert response.status_code == 302
    a = Attendance.objects.get(session=session, member=members[9])
    assert (a.presence, a.reason) == ("written", "Đi công tác")
    assert dict(
        WrittenOpinion.objects.filter(member=members[9]).values_list("item_id", "choice")
    ) == {items[0].pk: "agree", items[1].pk: "agree", items[2].pk: "disagree"}
    again = client.get(url).content.decode()
    assert 'value="Đi công tác"' in again  # the member can correct it before the vote
    # Nội vụ enters one received on paper.
    office = verified_client(office_user)
    office.post(
        url + "?giay=1",
        {
            "member": members[10].pk,
            "reason": "Nghỉ ốm",
            **{f"item_{i.pk}": "agree" for i in items},
        },
    )
    assert Attendance.objects.get(session=session, member=members[10]).presence == "written"
    assert WrittenOpinion.objects.filter(member=members[10]).count() == 3


def test_a_present_member_votes_instead_of_writing(office_user, council11, agenda):
    session = opened(office_user, council11, agenda)
    _body, members = council11
    items = session.items.all()
    client = verified_client(members[2].user)
    page = client.get(reverse("awards:session", args=[session.pk])).content.decode()
    assert "gửi ý kiến bằng văn bản" not in page.split("<h2")[0]
    response = client.post(
        reverse("awards:written-opinion", args=[session.pk]),
        {"reason": "Bận", **{f"item_{i.pk}": "agree" for i in items}},
    )
    assert "Đồng chí có mặt tại phiên họp: đề nghị bỏ phiếu trực tiếp." in response.content.decode()


def test_scheduling_a_session_keeps_what_was_typed_on_errors(
    office_user, council11, agenda, campaign
):
    body, _members = council11
    client = verified_client(office_user)
    url = reverse("awards:session-create", args=[campaign.pk])
    form = client.get(url).content.decode()
    assert "Giờ họp (HH:MM)" in form
    assert "Ủy ban nhân dân phường Suối Hoa – Giấy khen" in form
    bad = client.post(
        url,
        {
            "council": body.pk,
            "title": "Phiên xét",
            "held_on": "32/12/2022",
            "starts_at": "14:00",
            "place": "Phòng họp 2",
            "nominations": [agenda.pk],
            "secret": "on",
        },
    )
    html = bad.content.decode()
    assert bad.status_code == 200
    assert 'value="Phòng họp 2"' in html
    assert "Nhập ngày theo dạng dd/mm/yyyy" in html
    assert not CouncilSession.objects.exists()
    ok = client.post(
        url,
        {
            "council": body.pk,
            "title": "Phiên xét",
            "held_on": "27/12/2022",
            "starts_at": "14:00",
            "place": "Phòng họp 2",
            "nominations": [agenda.pk],
            "secret": "on",
        },
    )
    session = CouncilSession.objects.get()
    assert ok["Location"] == reverse("awards:session", args=[session.pk])
    assert (session.held_on, session.starts_at, session.place) == (
        date(2022, 12, 27),
        time(14, 0),
        "Phòng họp 2",
    )
    assert session.items.count() == 3
    assert all(i.is_secret for i in session.items.all())
    assert (
        Notice.objects.filter(user__in=User.objects.filter(council_seats__council=body)).count()
        == 11
    )
    assert OutboxMail.objects.filter(subject="Giấy mời họp: Phiên xét").count() == 11


@pytest.mark.parametrize(("dossier", "nominees"), [("eligible", 1), ("agenda", 3)])
def test_session_page_query_count_is_flat(
    dossier, nominees, request, office_user, council11, django_assert_num_queries
):
    session = opened(office_user, council11, request.getfixturevalue(dossier))
    _body, members = council11
    for item in session.items.all():
        council.item_vote_open(actor=members[0].user, item=item)
        council.ballot_cast(actor=members[1].user, item=item, choice="agree")
    client = verified_client(members[1].user)
    url = reverse("awards:session", args=[session.pk])
    client.get(url)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["rows"]) == nominees
    assert response.content.decode().count("Đồng chí đã bỏ phiếu (phiếu kín).") == nominees


def test_a_repeated_scheduling_submission_makes_one_session_and_one_invitation(
    office_user, council11, agenda, campaign
):
    body, _members = council11
    client = verified_client(office_user)
    url = reverse("awards:session-create", args=[campaign.pk])
    form = client.get(url).content.decode()
    key = form.split('name="form_key" value="')[1].split('"')[0]
    data = {
        "form_key": key,
        "council": body.pk,
        "title": "Phiên xét",
        "held_on": "27/12/2022",
        "starts_at": "14:00",
        "place": "Phòng họp 2",
        "nominations": [agenda.pk],
        "secret": "on",
    }
    first = client.post(url, data)
    again = client.post(url, data)  # a double click, or a retry after a timeout
    session = CouncilSession.objects.get()
    assert first["Location"] == again["Location"] == reverse("awards:session", args=[session.pk])
    assert OutboxMail.objects.filter(subject="Giấy mời họp: Phiên xét").count() == 11


def test_the_roll_call_shows_who_is_not_marked_yet(office_user, council11, agenda):
    """Nobody is absent until the secretary says so: a new session lists every member as
    "Chưa điểm danh" (not "Vắng") and counts how many are marked."""
    session = scheduled(office_user, council11, agenda)
    _body, members = council11
    assert set(session.attendance.values_list("presence", flat=True)) == {"unmarked"}
    council.attendance_set(
        actor=office_user, session=session, member=members[0], presence="present"
    )
    council.attendance_set(
        actor=office_user, session=session, member=members[3], presence="absent", reason="Ốm"
    )
    page = verified_client(office_user).get(reverse("awards:session", args=[session.pk]))
    html = page.content.decode()
    assert "2/11 đã điểm danh" in html
    assert "có mặt 1/11" in html
    assert "Còn 9 thành viên chưa điểm danh: điểm danh đủ rồi mới bắt đầu được phiên họp." in html
    assert html.count('<span class="badge text-bg-warning">Chưa điểm danh</span>') == 9
    unmarked = html.split(f'id="presence-{members[5].pk}"')[1].split("</select>")[0]
    assert '<option value="" selected>Chưa điểm danh</option>' in unmarked
    assert '<option value="absent">Vắng</option>' in unmarked  # offered, not chosen
    absent = html.split(f'id="presence-{members[3].pk}"')[1].split("</select>")[0]
    assert '<option value="absent" selected>Vắng</option>' in absent
    assert "Chưa điểm danh" not in absent  # a mark is corrected, never taken back


def test_opening_is_refused_while_members_are_not_marked_naming_them(
    office_user, council11, agenda
):
    """Ten of eleven present would make the quorum, but the eleventh has not been marked: the
    session does not open, and the page says who is missing from the roll call."""
    session = scheduled(office_user, council11, agenda)
    _body, members = council11
    for member in members[:10]:
        council.attendance_set(
            actor=office_user, session=session, member=member, presence="present"
        )
    client = verified_client(office_user)
    response = client.post(reverse("awards:session-open", args=[session.pk]), follow=True)
    assert response.status_code == 200
    assert (
        "Chưa bắt đầu được phiên họp: còn 1 thành viên chưa điểm danh "
        f"({members[10].user.get_full_name()})"
    ) in response.content.decode()
    session.refresh_from_db()
    assert session.is_preparing
    assert not ActionLog.objects.filter(action="awards.session.opened").exists()
    # Marked absent, with or without a reason, the member no longer holds the session back.
    council.attendance_set(
        actor=office_user, session=session, member=members[10], presence="absent"
    )
    client.post(reverse("awards:session-open", args=[session.pk]))
    session.refresh_from_db()
    assert (session.status, session.present_count, session.members_total) == ("open", 10, 11)


def test_roll_call_all_present_keeps_written_opinions_and_earlier_absences(
    office_user, council11, agenda
):
    """The "Tất cả có mặt" button marks present the members nobody has marked yet; one who
    sent a written opinion stays absent (the opinion counts only while they are), and one the
    secretary already marked absent keeps the mark and its reason."""
    session = scheduled(office_user, council11, agenda)
    _body, members = council11
    council.attendance_set(
        actor=office_user, session=session, member=members[10], presence="written", reason="Ốm"
    )
    council.attendance_set(
        actor=office_user, session=session, member=members[9], presence="absent", reason="Họp tỉnh"
    )
    client = verified_client(office_user)
    page_url = reverse("awards:session", args=[session.pk])
    page = client.get(page_url).content.decode()
    assert 'name="tat-ca-co-mat" value="1" id="all-present">Tất cả có mặt</button>' in page
    assert "2/11 đã điểm danh" in page
    # The page posts every select: the marked ones with their marks, the others empty.
    posted = {f"presence-{m.pk}": "" for m in members[:9]} | {
        f"presence-{members[9].pk}": "absent",
        f"reason-{members[9].pk}": "Họp tỉnh",
        f"presence-{members[10].pk}": "written",
        f"reason-{members[10].pk}": "Ốm",
        "tat-ca-co-mat": "1",
    }
    response = client.post(
        reverse("awards:session-roll-call", args=[session.pk]), posted, follow=True
    )
    html = response.content.decode()
    assert "Đã lưu điểm danh; 9 thành viên còn lại (chưa điểm danh) được ghi là có mặt." in html
    assert "11/11 đã điểm danh" in html
    assert 'id="all-present"' not in html  # nobody left to mark
    assert "có mặt 9/11" in html
    assert "Đã điểm danh đủ." in html
    assert 'id="open-hint"' not in html
    presence = dict(session.attendance.values_list("member_id", "presence"))
    assert presence[members[10].pk] == "written"  # sent a written opinion: stays absent
    assert presence[members[9].pk] == "absent"
    assert session.attendance.get(member=members[9]).reason == "Họp tỉnh"
    assert [presence[m.pk] for m in members[:9]] == ["present"] * 9
    marks = ActionLog.objects.filter(action="awards.session.attendance", data__presence="present")
    assert sorted(marks.values_list("data__member", flat=True)) == [m.pk for m in members[:9]]
    # Pressed again with nobody left to mark: it says so, not that the rest were marked.
    again = client.post(
        reverse("awards:session-roll-call", args=[session.pk]),
        posted | {f"presence-{m.pk}": "present" for m in members[:9]},
        follow=True,
    ).content.decode()
    assert "không còn thành viên nào chưa điểm danh" in again
    assert "được ghi là có mặt" not in again
    # The secretary corrects one who left after all, then opens the session.
    client.post(
        reverse("awards:session-roll-call", args=[session.pk]),
        {f"presence-{members[3].pk}": "absent", f"reason-{members[3].pk}": "Đi công tác"},
    )
    client.post(reverse("awards:session-open", args=[session.pk]))
    session.refresh_from_db()
    assert (session.present_count, session.members_total) == (8, 11)
    assert "Đi công tác" in client.get(page_url).content.decode()


def test_all_present_saves_the_choices_made_on_the_form_first(office_user, council11, agenda):
    """The secretary marks one member "Vắng" with a reason and picks the counting committee
    among members not marked yet, then presses "Tất cả có mặt" without saving first: nothing
    chosen is lost. The absent member stays absent, every other member is present, the
    tellers are on the committee, and each member's mark is logged once."""
    session = scheduled(office_user, council11, agenda)
    _body, members = council11
    client = verified_client(office_user)
    posted = {f"presence-{m.pk}": "" for m in members} | {
        f"presence-{members[4].pk}": "absent",
        f"reason-{members[4].pk}": "Đi công tác tỉnh",
        f"counting-{members[1].pk}": "head",
        f"counting-{members[2].pk}": "member",
        "tat-ca-co-mat": "1",
    }
    response = client.post(
        reverse("awards:session-roll-call", args=[session.pk]), posted, follow=True
    )
    assert "11/11 đã điểm danh" in response.content.decode()
    rows = {a.member_id: a for a in session.attendance.all()}
    assert (rows[members[4].pk].presence, rows[members[4].pk].reason) == (
        "absent",
        "Đi công tác tỉnh",
    )
    assert [rows[m.pk].presence for m in members if m != members[4]] == ["present"] * 10
    assert (rows[members[1].pk].counting_role, rows[members[2].pk].counting_role) == (
        "head",
        "member",
    )
    logged = ActionLog.objects.filter(action="awards.session.attendance")
    assert sorted(logged.values_list("data__member", flat=True)) == sorted(m.pk for m in members)
    assert ActionLog.objects.filter(action="awards.session.counting_committee").count() == 1
    client.post(reverse("awards:session-open", args=[session.pk]))
    session.refresh_from_db()
    assert (session.status, session.present_count, session.members_total) == ("open", 10, 11)


def test_all_present_refused_writes_nothing(office_user, council11, agenda):
    """A choice the service refuses (a teller among the absent) refuses the whole form,
    "Tất cả có mặt" included: nobody is marked and the page says why."""
    session = scheduled(office_user, council11, agenda)
    _body, members = council11
    posted = {f"presence-{m.pk}": "" for m in members} | {
        f"presence-{members[4].pk}": "absent",
        f"counting-{members[4].pk}": "head",
        "tat-ca-co-mat": "1",
    }
    response = verified_client(office_user).post(
        reverse("awards:session-roll-call", args=[session.pk]), posted, follow=True
    )
    assert "Thành viên Ban kiểm phiếu phải là thành viên có mặt." in response.content.decode()
    assert set(session.attendance.values_list("presence", flat=True)) == {"unmarked"}
    assert not ActionLog.objects.filter(action="awards.session.attendance").exists()


def test_a_roll_call_from_a_page_shown_before_the_session_opened_is_refused(
    office_user, council11, agenda
):
    """The secretary's page still shows the roll call, but the session was opened meanwhile
    (from another device): the state is checked on the session as it is now, not as the page
    saw it, so nothing is written and the page says why."""
    session = scheduled(office_user, council11, agenda)
    _body, members = council11
    page_saw = CouncilSession.objects.get(pk=session.pk)
    for member in members[:10]:
        council.attendance_set(
            actor=office_user, session=session, member=member, presence="present"
        )
    council.attendance_set(
        actor=office_user, session=session, member=members[10], presence="absent"
    )
    council.session_open(actor=office_user, session=session)
    before = ActionLog.objects.count()
    with pytest.raises(ValidationError, match="Phiên họp đã bắt đầu: không sửa điểm danh"):
        council.attendance_set(
            actor=office_user, session=page_saw, member=members[0], presence="absent"
        )
    with pytest.raises(ValidationError, match="Phiên họp đã bắt đầu: không sửa điểm danh"):
        council.roll_call_record(
            actor=office_user,
            session=page_saw,
            presences={members[0].pk: ("absent", "")},
            roles={},
            all_present=True,
        )
    assert session.attendance.get(member=members[0]).presence == "present"
    assert ActionLog.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_a_mark_made_while_the_session_opens_waits_and_is_refused(office_user, council11, agenda):
    """The chair opens the session while the secretary, on a page shown before, marks a
    member absent: the mark waits for the opening on the session's row, then is refused in
    Vietnamese, so the opened session's quorum and its roll never disagree."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    session = scheduled(office_user, council11, agenda)
    _body, members = council11
    for member in members:
        council.attendance_set(
            actor=office_user, session=session, member=member, presence="present"
        )
    opening, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def open_session() -> None:
        try:
            with transaction.atomic():
                council.session_open(actor=office_user, session=session)
                opening.set()
                release.wait(10)
        finally:
            opening.set()
            connection.close()

    def mark_absent() -> None:
        try:
            council.attendance_set(
                actor=office_user,
                session=session,  # as the secretary's page saw it: still preparing
                member=members[0],
                presence="absent",
                reason="Về sớm",
            )
        except ValidationError as exc:
            outcome["refused"] = exc.messages[0]
        finally:
            connection.close()

    opener = threading.Thread(target=open_session)
    opener.start()
    assert opening.wait(30)
    marker = threading.Thread(target=mark_absent)
    marker.start()
    marker.join(1)  # the mark reaches the roll while the opening holds the session
    release.set()
    opener.join()
    marker.join()
    assert outcome == {"refused": "Phiên họp đã bắt đầu: không sửa điểm danh."}
    session.refresh_from_db()
    assert (session.status, session.present_count, session.members_total) == ("open", 11, 11)
    assert session.attendance.get(member=members[0]).presence == "present"
    assert not ActionLog.objects.filter(
        action="awards.session.attendance", data__presence="absent"
    ).exists()


def test_a_session_started_before_its_day_is_dated_the_day_it_met(office_user, council11, agenda):
    """Scheduled a month ahead and started today (brought forward, or the wrong button): the
    minutes and decisions must not date the meeting a month from now. The page says so before
    the button is pressed, and the log keeps the planned day."""
    from datetime import timedelta

    from thidua.core.clock import today_local

    session = scheduled(office_user, council11, agenda)
    today = today_local()
    ahead = today + timedelta(days=30)
    CouncilSession.objects.filter(pk=session.pk).update(held_on=ahead)
    _all_present(office_user, session)
    client = verified_client(office_user)
    url = reverse("awards:session", args=[session.pk])
    page = client.get(url).content.decode()
    assert f"Phiên họp dự kiến ngày {ahead:%d/%m/%Y}; bắt đầu hôm nay" in page
    response = client.post(reverse("awards:session-open", args=[session.pk]), follow=True)
    assert f"Đã bắt đầu phiên họp, ngày họp {today:%d/%m/%Y}." in response.content.decode()
    session.refresh_from_db()
    assert session.is_open
    assert session.held_on == today
    log = ActionLog.objects.get(action="awards.session.opened")
    assert log.data["scheduled_on"] == f"{ahead:%d/%m/%Y}"


def test_a_session_recorded_after_its_day_keeps_its_day(office_user, council11, agenda):
    """A meeting held on paper on 27/12/2022 and entered in the app later is dated 27/12/2022."""
    session = opened(office_user, council11, agenda)
    assert session.held_on == date(2022, 12, 27)
    assert "scheduled_on" not in ActionLog.objects.get(action="awards.session.opened").data


def test_a_launched_campaigns_session_is_titled_without_the_doubled_verb(
    office_user, council11, agenda, campaign
):
    """ "Phát động phong trào thi đua …" is proposed as "Xét khen thưởng phong trào thi đua …",
    not "Xét khen thưởng Phát động phong trào …" (as the tờ trình reads it)."""
    from thidua.campaigns.models import Campaign

    Campaign.objects.filter(pk=campaign.pk).update(
        title="Phát động phong trào thi đua chào mừng 110 năm Ngày sinh đồng chí Nguyễn Văn Cừ"
    )
    form = verified_client(office_user).get(reverse("awards:session-create", args=[campaign.pk]))
    assert (
        'value="Xét khen thưởng phong trào thi đua chào mừng 110 năm Ngày sinh đồng chí '
        'Nguyễn Văn Cừ"'
    ) in form.content.decode()
