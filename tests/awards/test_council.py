import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.awards.test_services import complete
from thidua.accounts.models import Role, User
from thidua.awards import council, services
from thidua.awards.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotCast,
    Council,
    CouncilMember,
    Nomination,
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
    keys_while_voting = set(Ballot.objects.filter(item=item).values_list("pk", flat=True))
    with pytest.raises(PermissionDenied):
        council.item_close(actor=members[1].user, item=item)
    item = council.item_close(actor=members[0].user, item=item)
    # 6 ballots + 2 written opinions = 8 of 15 members = 53.3 % >= 50 %
    assert (item.agree, item.disagree, item.recommended) == (8, 7, True)
    # At close the ballots are rewritten in random order with new keys.
    assert not keys_while_voting & set(
        Ballot.objects.filter(item=item).values_list("pk", flat=True)
    )
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
    assert Ballot.objects.filter(item=item).count() == 1


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
    n = services.nomination_appraise(actor=office_user, nomination=n, eligible=True)
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
    assert Ballot.objects.filter(item=item).count() == 1
    assert BallotCast.objects.filter(item=item).count() == 1
    assert len(errors) == 3
    assert Attendance.objects.filter(session=session).count() == 3


def test_show_of_hands_is_recorded_by_the_secretary(office_user, board, eligible):
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
