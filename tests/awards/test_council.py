import os
import random
import subprocess
import sys
import threading
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.awards.test_services import complete
from thidua.accounts.models import Role, User
from thidua.awards import council, services
from thidua.awards.models import (
    AgendaItem,
    AppraisalRound,
    Attendance,
    Ballot,
    BallotCast,
    Council,
    CouncilMember,
    CouncilSession,
    Nomination,
    RuleSet,
    SealedBallot,
)
from thidua.core.models import ActionLog
from thidua.organizations.models import Person

pytestmark = pytest.mark.django_db


def open_session(office_user, board, eligible, present=13, written=2):
    body, members = board
    session = council.session_create(
        actor=office_user, council=body, title="Phiên xét khen", held_on=date(2022, 12, 27)
    )
    council.session_add_nominations(actor=office_user, session=session, nominations=[eligible])
    for i, member in enumerate(members):
        presence = "present" if i < present else ("written" if i < present + written else "absent")
        council.attendance_set(actor=office_user, session=session, member=member, presence=presence)
    session = council.session_open(actor=office_user, session=session)
    item = council.item_vote_open(actor=office_user, item=session.items.get())
    return session, item, members


def test_quorum_is_two_thirds_of_the_whole_council(office_user, board, eligible):
    with pytest.raises(ValidationError):
        open_session(office_user, board, eligible, present=9, written=0)  # 9/15 = 60 %
    Nomination.objects.filter(pk=eligible.pk).update(status="eligible")
    AgendaItem.objects.all().delete()
    session, _, _ = open_session(
        office_user, board, eligible, present=10, written=0
    )  # 10/15 = 66.67 %
    assert session.quorum_met


def test_quorum_comes_from_the_rule_set_in_force_on_the_meeting_day(office_user, board, eligible):
    """Nội vụ sets the council's quorum with the rules (/quy-dinh-khen-thuong/): a session held
    under a rule set asking three quarters does not open with 11 of 15 present (73,3%)."""
    RuleSet.objects.filter(
        effective_from__lte=date(2022, 12, 27), effective_to__gte=date(2022, 12, 27)
    ).update(quorum_numerator=3, quorum_denominator=4)
    with pytest.raises(ValidationError) as exc:
        open_session(office_user, board, eligible, present=11, written=0)
    assert "11/15 có mặt, cần ít nhất 3/4 tổng số thành viên" in exc.value.messages[0]
    Nomination.objects.filter(pk=eligible.pk).update(status="eligible")
    AgendaItem.objects.all().delete()
    session, _item, _members = open_session(office_user, board, eligible, present=12, written=0)
    assert (session.quorum_numerator, session.quorum_denominator) == (3, 4)
    assert (session.present_count, session.members_total, session.quorum_met) == (12, 15, True)


def test_a_member_added_after_the_invitations_is_not_counted_in_the_session(
    office_user, board, eligible, make_user
):
    """The session's membership is its roll (the members invited): the quorum, the thresholds
    and the minutes count the same people. A member who joins the council afterwards is told
    they are not on the roll instead of getting an error page."""
    body, members = board
    session = council.session_create(
        actor=office_user, council=body, title="Phiên xét khen", held_on=date(2022, 12, 27)
    )
    council.session_add_nominations(actor=office_user, session=session, nominations=[eligible])
    newcomer = CouncilMember.objects.create(
        council=body, user=make_user(Role.COUNCIL_MEMBER, username="hd-moi")
    )
    with pytest.raises(ValidationError) as exc:
        council.written_opinion_submit(
            actor=newcomer.user,
            session=session,
            reason="Đi công tác",
            choices={session.items.get().pk: "agree"},
        )
    assert "không có tên trong danh sách triệu tập" in exc.value.messages[0]
    for i, member in enumerate(members):  # 10 of the 15 invited: two thirds
        council.attendance_set(
            actor=office_user,
            session=session,
            member=member,
            presence="present" if i < 10 else "absent",
        )
    session = council.session_open(actor=office_user, session=session)
    assert (session.present_count, session.members_total, session.quorum_met) == (10, 15, True)


def test_secret_ballot_tally_and_threshold_of_total_membership(office_user, board, eligible):
    _session, item, members = open_session(office_user, board, eligible)
    for member in members[:6]:
        council.ballot_cast(actor=member.user, item=item, choice="agree")
    for member in members[6:13]:
        council.ballot_cast(actor=member.user, item=item, choice="disagree")
    for member in members[13:15]:
        council.written_opinion_record(actor=office_user, item=item, member=member, choice="agree")
    item.refresh_from_db()
    assert (item.agree, item.disagree) == (0, 0)  # no tally before the chair closes
    # While the vote is open no readable choice exists: only sealed ballots.
    assert not Ballot.objects.filter(item=item).exists()
    sealed = set(SealedBallot.objects.filter(item=item).values_list("pk", flat=True))
    assert len(sealed) == 13
    with pytest.raises(PermissionDenied):
        council.item_close(actor=members[1].user, item=item)
    item = council.item_close(actor=members[0].user, item=item)
    # 6 ballots + 2 written opinions = 8 of 15 members = 53.3 % >= 50 %
    assert (item.agree, item.disagree, item.recommended) == (8, 7, True)
    # At close the seals are opened, the choices written in random order with new keys.
    assert not SealedBallot.objects.filter(item=item).exists()
    assert not sealed & set(Ballot.objects.filter(item=item).values_list("pk", flat=True))
    assert Ballot.objects.filter(item=item).count() == 13
    assert Nomination.objects.get(pk=eligible.pk).status == "council_done"
    # Secrecy: ballots carry no voter, no time, and a random key.
    assert {f.name for f in Ballot._meta.get_fields()} == {"id", "item", "choice"}
    assert BallotCast.objects.filter(item=item).count() == 13
    cast_logs = ActionLog.objects.filter(action="awards.ballot.cast")
    assert all(log.data == {} for log in cast_logs)


def test_exactly_the_threshold_is_enough(office_user, board, eligible):
    # 15 members, threshold 60 %: 9 agree (60.0 %) passes, 8 would not.
    AgendaItem.objects.all().delete()
    _session, item, members = open_session(office_user, board, eligible, present=15, written=0)
    AgendaItem.objects.filter(pk=item.pk).update(threshold_percent=60)
    for i, member in enumerate(members):
        council.ballot_cast(actor=member.user, item=item, choice="agree" if i < 9 else "disagree")
    assert council.item_close(actor=members[0].user, item=item).recommended is True


def test_double_vote_absent_member_and_outsider_are_refused(
    office_user, board, eligible, make_user
):
    _session, item, members = open_session(office_user, board, eligible)
    council.ballot_cast(actor=members[1].user, item=item, choice="agree")
    with pytest.raises(ValidationError):
        council.ballot_cast(actor=members[1].user, item=item, choice="disagree")
    with pytest.raises(ValidationError):
        council.ballot_cast(
            actor=members[14].user, item=item, choice="agree"
        )  # written opinion, not present
    with pytest.raises(PermissionDenied):
        council.ballot_cast(actor=make_user(Role.COUNCIL_MEMBER), item=item, choice="agree")
    assert SealedBallot.objects.filter(item=item).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_members_voting_at_the_same_instant(
    campaign, giay_khen, officer, head, office_user, city, make_user
):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL in CI")
    body = Council.objects.create(owner_unit=city.city, name="HĐ", term_start=date(2021, 1, 1))
    members = [
        CouncilMember.objects.create(council=body, user=make_user(Role.COUNCIL_MEMBER), role=r)
        for r in ("chair", "member", "member")
    ]
    person = Person.objects.create(
        full_name="Ngô Văn Bình", gender="male", unit=city.suoi_hoa, category="civil_servant"
    )
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    complete(n, officer, [person])
    services.nomination_submit(actor=head, nomination=n)
    services.nomination_receive(actor=office_user, nomination=n)
    n = services.nomination_appraise(
        actor=office_user, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
    )
    session, item, _ = open_session(office_user, (body, members), n, present=3, written=0)
    errors: list[str] = []
    voter = User.objects.get(pk=members[1].user_id)

    def vote(choice: str) -> None:
        try:
            council.ballot_cast(actor=voter, item=item, choice=choice)
        except ValidationError as exc:
            errors.append(exc.messages[0])
        finally:
            connection.close()

    threads = [
        threading.Thread(target=vote, args=(c,)) for c in ("agree", "disagree", "agree", "abstain")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert SealedBallot.objects.filter(item=item).count() == 1
    assert BallotCast.objects.filter(item=item).count() == 1
    assert len(errors) == 3
    assert Attendance.objects.filter(session=session).count() == 3


def test_show_of_hands_is_recorded_by_the_secretary(office_user, board, eligible):
    eligible.rule.secret_ballot = False  # the rules allow an open vote for this award
    eligible.rule.save(update_fields=["secret_ballot"])
    body, members = board
    session = council.session_create(
        actor=office_user, council=body, title="Phiên", held_on=date(2022, 12, 27)
    )
    council.session_add_nominations(
        actor=office_user, session=session, nominations=[eligible], secret=False
    )
    for member in members:
        council.attendance_set(
            actor=office_user, session=session, member=member, presence="present"
        )
    session = council.session_open(actor=office_user, session=session)
    item = council.item_vote_open(actor=office_user, item=session.items.get())
    with pytest.raises(ValidationError):
        council.ballot_cast(actor=members[1].user, item=item, choice="agree")  # not a secret vote
    votes = {m.pk: ("agree" if i < 12 else "disagree") for i, m in enumerate(members)}
    assert council.named_votes_record(actor=office_user, item=item, choices=votes) == 15
    item = council.item_close(actor=members[0].user, item=item)
    assert (item.agree, item.disagree, item.recommended) == (12, 3, True)


def test_no_show_of_hands_where_the_rules_require_a_secret_ballot(office_user, board, eligible):
    body, _members = board
    assert eligible.rule.secret_ballot
    with pytest.raises(ValidationError) as exc:
        council.session_schedule(
            actor=office_user,
            council=body,
            title="Phiên",
            held_on=date(2022, 12, 27),
            starts_at=None,
            place="Phòng họp số 1",
            nominations=[eligible],
            secret=False,
        )
    assert "bỏ phiếu kín" in exc.value.messages[0]
    assert not AgendaItem.objects.exists()
    assert not CouncilSession.objects.exists()  # no session, no invitation sent
    assert Nomination.objects.get(pk=eligible.pk).status == "eligible"


def test_seals_are_fixed_length_never_repeat_and_open_only_with_the_server_key(settings):
    seals = [council.ballot_seal(7, choice) for choice in ("agree", "agree", "abstain")]
    assert len(set(seals)) == 3  # the same choice twice seals differently
    assert {len(s) for s in seals} == {96}  # a choice's length shows nowhere
    assert [council.ballot_unseal(7, s) for s in seals] == ["agree", "agree", "abstain"]
    with pytest.raises(ValidationError):
        council.ballot_unseal(8, seals[0])  # another item's key
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "another-server-" * 4, []
    with pytest.raises(ValidationError):
        council.ballot_unseal(7, seals[0])


def test_a_key_rotated_during_the_vote_still_opens_earlier_seals(settings):
    old = settings.SECRET_KEY
    seal = council.ballot_seal(3, "disagree")
    settings.SECRET_KEY = "rotated-key-" * 5
    settings.SECRET_KEY_FALLBACKS = [old]
    assert council.ballot_unseal(3, seal) == "disagree"


def test_percentages_use_the_decimal_comma():
    assert council.percent_text(9, 11) == "81,8%"
    assert council.percent_text(14, 15) == "93,3%"
    assert council.percent_text(15, 15) == "100%"
    assert council.percent_text(0, 0) == "0%"
    assert council.threshold_text(Decimal("50.00")) == "50%"
    assert council.threshold_text(Decimal("66.67")) == "66,67%"


def _close_in_another_process(item: AgendaItem, chair: User) -> None:
    """The chair's close, run by a fresh app process on the same database: nothing from the
    process that took the votes (memory, cache) is needed to count them."""
    db = connection.settings_dict
    url = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    code = (
        "from thidua.awards import council; from thidua.awards.models import AgendaItem; "
        "from thidua.accounts.models import User; "
        f"council.item_close(actor=User.objects.get(pk={chair.pk}), "
        f"item=AgendaItem.objects.get(pk={item.pk}))"
    )
    manage = Path(__file__).resolve().parents[2] / "src" / "manage.py"
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": ""}
    subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, str(manage), "shell", "-c", code], env=env, check=True, timeout=120
    )


@pytest.mark.django_db(transaction=True)
def test_database_reader_cannot_link_voters_to_choices_while_the_vote_is_open(
    office_user, board, eligible
):
    """Issue 18 M4: with the whole database in hand during the vote, join receipts to choices by
    transaction (xmin), physical order (ctid), key or time: nothing readable comes out. After
    the close (by another process) the counts are right and share nothing with the receipts."""
    if connection.vendor != "postgresql":
        pytest.skip("xmin and ctid are PostgreSQL's; this runs on PostgreSQL in CI")
    _session, item, members = open_session(office_user, board, eligible, present=13, written=2)
    plan = ["agree"] * 7 + ["disagree"] * 4 + ["abstain"] * 2
    rng = random.Random(18)  # noqa: S311 - a reproducible voting order, not a secret
    rng.shuffle(plan)
    for member, choice in zip(members[:13], plan, strict=True):
        council.ballot_cast(actor=member.user, item=item, choice=choice)
    for member in members[13:]:
        council.written_opinion_record(actor=office_user, item=item, member=member, choice="agree")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM awards_ballot WHERE item_id = %s", [item.pk])
        assert cursor.fetchone() == (0,)  # no readable choice exists while the vote is open
        cursor.execute(
            "SELECT c.member_id, s.seal FROM awards_ballotcast c "
            "JOIN awards_sealedballot s ON s.xmin = c.xmin AND s.item_id = c.item_id "
            "WHERE c.item_id = %s ORDER BY c.id",
            [item.pk],
        )
        by_xmin = cursor.fetchall()
        cursor.execute(
            "SELECT s.seal FROM awards_sealedballot s WHERE s.item_id = %s ORDER BY s.ctid",
            [item.pk],
        )
        by_ctid = [seal for (seal,) in cursor.fetchall()]
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'awards_sealedballot'"
        )
        columns = {name for (name,) in cursor.fetchall()}
    # The join by transaction finds each voter's row, and the row is random bytes:
    seals = [seal for _, seal in by_xmin]
    assert len(seals) == len(by_ctid) == 13
    assert len(set(seals)) == 13  # seven "agree" ballots, no two alike: nothing to group by
    assert {len(seal) for seal in seals} == {96}  # no length difference between choices
    assert columns == {"id", "item_id", "seal"}  # no time, no voter, no sequential key
    for seal in seals:
        assert not {"agree", "disagree", "abstain"} & {seal, bytes.fromhex(seal).hex()}
        for choice in ("agree", "disagree", "abstain"):
            assert choice.encode() not in bytes.fromhex(seal)
    chair = User.objects.get(pk=members[0].user_id)
    _close_in_another_process(item, chair)

    item.refresh_from_db()
    assert (item.status, item.agree, item.disagree, item.abstain) == ("closed", 9, 4, 2)
    assert item.recommended is True  # 9 of 15 = 60 % >= 50 %
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM awards_sealedballot WHERE item_id = %s", [item.pk])
        assert cursor.fetchone() == (0,)
        cursor.execute(
            "SELECT xmin::text, id::text, choice FROM awards_ballot WHERE item_id = %s "
            "ORDER BY ctid",
            [item.pk],
        )
        ballots = cursor.fetchall()
        cursor.execute(
            "SELECT xmin::text, id FROM awards_ballotcast WHERE item_id = %s ORDER BY id",
            [item.pk],
        )
        casts = cursor.fetchall()
        cursor.execute(
            "SELECT count(*) FROM awards_ballot b JOIN awards_ballotcast c ON b.xmin = c.xmin"
        )
        assert cursor.fetchone() == (0,)  # no shared transaction
    assert len(ballots) == 13
    assert len({x for x, _, _ in ballots}) == 1  # all written by the close, in one transaction
    assert not {x for x, _, _ in ballots} & {x for x, _ in casts}
    assert all(uuid.UUID(pk).version == 4 for _, pk, _ in ballots)  # random keys, no sequence
    assert sorted(c for _, _, c in ballots) == sorted(plan)
    # Physical order is a fresh shuffle, not the order of the receipts (1 in 25,740 by chance).
    assert [c for _, _, c in ballots] != plan


def _roll_call(office_user, council11, eligible, absent):
    """A session of the eleven-member council with the members of `absent` away."""
    body, members = council11
    session = council.session_create(
        actor=office_user, council=body, title="Phiên xét khen", held_on=date(2022, 12, 27)
    )
    council.session_add_nominations(actor=office_user, session=session, nominations=[eligible])
    for i, member in enumerate(members):
        council.attendance_set(
            actor=office_user,
            session=session,
            member=member,
            presence="absent" if i in absent else "present",
            reason="Đi công tác" if i in absent else "",
        )
    return session, members


def test_the_vice_chair_presides_when_the_chair_is_absent(office_user, council11, eligible):
    """The chair is away at the roll call: the vice-chair presides (opens the session and the
    vote, counts, ends the session) and the minutes say so; the absent chair can do none of it."""
    from thidua.awards.minutes import minutes_document

    session, members = _roll_call(office_user, council11, eligible, absent={0})
    chair, vice = members[0], members[1]
    assert council.presiding_member(session) == vice
    with pytest.raises(PermissionDenied):
        council.session_open(actor=chair.user, session=session)
    session = council.session_open(actor=vice.user, session=session)
    _the_page_says_the_vice_chair_presides(session, office_user, vice.user)
    item = council.item_vote_open(actor=vice.user, item=session.items.get())
    for member in members[1:]:
        council.ballot_cast(actor=member.user, item=item, choice="agree")
    with pytest.raises(PermissionDenied):
        council.item_close(actor=chair.user, item=item)
    item = council.item_close(actor=vice.user, item=item)
    assert (item.agree, item.recommended) == (10, True)
    assert Nomination.objects.get(pk=eligible.pk).status == "council_done"
    with pytest.raises(PermissionDenied):
        council.session_close(actor=chair.user, session=session)
    session = council.session_close(actor=vice.user, session=session)
    assert session.is_closed
    minutes = minutes_document(session)
    assert (
        "Chủ trì: đồng chí Nguyễn Văn Thành, Phó Chủ tịch UBND thành phố – Phó Chủ tịch Hội "
        "đồng (Chủ tịch Hội đồng vắng mặt)."
    ) in [getattr(block, "text", "") for block in minutes.body]
    sealed = next(b.text for b in minutes.body if "niêm phong" in getattr(b, "text", ""))
    assert "đến khi người chủ trì phiên họp kết thúc bỏ phiếu" in sealed  # not "Chủ tịch"
    assert (minutes.signature.title, minutes.signature.name) == (
        "PHÓ CHỦ TỊCH HỘI ĐỒNG",
        "Nguyễn Văn Thành",
    )


def _the_page_says_the_vice_chair_presides(session, office_user, vice_user):
    """The session's page names who presides and why, for the secretary and the vice-chair,
    whom it tells what falls to them."""
    from django.urls import reverse

    from tests.conftest import verified_client

    url = reverse("awards:session", args=[session.pk])
    presiding = (
        'id="presiding">Nguyễn Văn Thành – Phó Chủ tịch Hội đồng (Chủ tịch Hội đồng vắng mặt)'
    )
    assert presiding in verified_client(office_user).get(url).content.decode()
    page = verified_client(vice_user).get(url).content.decode()
    assert presiding in page
    assert "Chủ tịch Hội đồng vắng mặt: đồng chí chủ trì phiên họp" in page


def test_the_chair_present_presides_and_the_vice_chair_does_not(office_user, council11, eligible):
    session, members = _roll_call(office_user, council11, eligible, absent={10})
    chair, vice = members[0], members[1]
    assert council.presiding_member(session) == chair
    session = council.session_open(actor=chair.user, session=session)
    item = council.item_vote_open(actor=chair.user, item=session.items.get())
    with pytest.raises(PermissionDenied):
        council.item_close(actor=vice.user, item=item)
    assert council.item_close(actor=chair.user, item=item).is_closed


def test_no_one_presides_when_chair_and_vice_chair_are_both_absent(
    office_user, council11, eligible
):
    session, members = _roll_call(office_user, council11, eligible, absent={0, 1})
    assert council.presiding_member(session) is None
    session = council.session_open(actor=office_user, session=session)  # 9/11 present
    item = council.item_vote_open(actor=office_user, item=session.items.get())
    for member in (members[0], members[1], members[2]):
        with pytest.raises(PermissionDenied):
            council.item_close(actor=member.user, item=item)


def test_a_dossier_whose_nominees_are_all_voted_down_is_not_recommended(
    office_user, council11, agenda, officer
):
    """The council votes down every nominee of phường Suối Hoa's dossier: when the last is
    counted the dossier ends "Hội đồng không đề nghị" (not "Hội đồng đã xét", which waits for
    a decision that will never come), logged, and the ward is told with the counts."""
    from django.urls import reverse

    from tests.conftest import verified_client
    from thidua.notifications.models import Notice

    session, members = _roll_call(office_user, council11, agenda, absent=set())
    session = council.session_open(actor=office_user, session=session)
    chair = members[0].user
    items = list(session.items.order_by("position"))
    for n, item in enumerate(items):
        council.item_vote_open(actor=chair, item=item)
        for i, member in enumerate(members):
            council.ballot_cast(
                actor=member.user, item=item, choice="agree" if i < 5 else "abstain"
            )
        council.item_close(actor=chair, item=item)  # 5/11 = 45,5 % < 50 %
        status = Nomination.objects.get(pk=agenda.pk).status
        assert status == ("in_council" if n < len(items) - 1 else "not_recommended")
    log = ActionLog.objects.get(action="awards.nomination.not_recommended")
    assert (log.target_id, log.data["from"], log.data["to"]) == (
        str(agenda.pk),
        "in_council",
        "not_recommended",
    )
    assert not ActionLog.objects.filter(action="awards.nomination.council_done").exists()
    # The council's outcome, linked to the dossier (as the appraisal's notice before it is)
    notice = Notice.objects.get(
        user=officer,
        url__endswith=f"/{agenda.pk}/",
        title="Hồ sơ Giấy khen của Chủ tịch UBND thành phố: Hội đồng không đề nghị khen thưởng",
    )
    assert (
        "Bà Vũ Thị Hạnh, Công chức văn hóa – xã hội, Phường Suối Hoa: đồng ý 5/11 (45,5%), cần từ 50%"
        in notice.body
    )
    page = verified_client(officer).get(reverse("awards:nomination-detail", args=[agenda.pk]))
    html = page.content.decode()
    assert "Hội đồng không đề nghị" in html
    assert "không đề nghị khen thưởng trường hợp nào trong hồ sơ này" in html
    results = html.split('id="council-results"')[1].split("</ul>")[0]  # the counts, as told
    assert (
        "Bà Vũ Thị Hạnh, Công chức văn hóa – xã hội, Phường Suối Hoa: đồng ý 5/11 thành viên "
        "(45,5%), cần từ 50% tổng số thành viên → <strong>không đề nghị khen thưởng</strong>"
    ) in results
    assert results.count("<li>") == len(items)
