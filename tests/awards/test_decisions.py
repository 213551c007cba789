import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from tests.awards.test_services import complete
from tests.factories.images import photo
from thidua.awards import decisions, services
from thidua.awards.models import AppraisalRound, AwardRecord, AwardRule, Decision, Nomination
from thidua.awards.registry import RegistryFilter, honour_board, registry_search
from thidua.awards.selectors import recommended_nominees
from thidua.core.models import ActionLog
from thidua.organizations.models import Person

pytestmark = pytest.mark.django_db


def draft(office_user, campaign, nomination):
    return decisions.decision_draft(
        actor=office_user,
        campaign=campaign,
        award_type=nomination.award_type,
        nominees=list(recommended_nominees(campaign=campaign)),
    )


def test_draft_from_the_recommended_list_then_approve(office_user, signer, campaign, recommended):
    d = draft(office_user, campaign, recommended)
    assert d.status == "draft"
    assert d.number is None
    assert d.summary == "Về việc tặng Giấy khen của Chủ tịch UBND thành phố"
    assert d.articles[0].startswith("Điều 1. Tặng Giấy khen của Chủ tịch UBND thành phố cho 01 cá")
    assert [line.recipient_name for line in d.lines.all()] == ["Bà Vũ Thị Hạnh"]
    assert not recommended_nominees(campaign=campaign).exists()  # held by the draft
    with pytest.raises(PermissionDenied):
        decisions.decision_approve(actor=office_user, decision=d)
    with pytest.raises(ValidationError):  # not yet sent for signature
        decisions.decision_approve(actor=signer, decision=d)
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    d = decisions.decision_approve(actor=signer, decision=d, signed_on=date(2022, 12, 30))
    assert d.status == "final"
    assert d.reference == "01/QĐ-UBND"
    assert d.signer_name == "Lê Quang Minh"
    record = AwardRecord.objects.get()
    assert (record.year, record.number, record.recipient_name) == (2022, 1, "Bà Vũ Thị Hạnh")
    assert record.unit_name == "Ủy ban nhân dân phường Suối Hoa"
    assert Nomination.objects.get(pk=recommended.pk).status == "decided"
    assert ActionLog.objects.filter(action="awards.decision.signed", target_id=str(d.pk)).exists()
    assert ActionLog.objects.filter(
        action="awards.nomination.decided", target_id=str(recommended.pk)
    ).exists()
    with pytest.raises(ValidationError):  # a final decision is never edited
        decisions.decision_update(actor=office_user, decision=d, summary="Khác")


def test_signer_returns_the_draft_with_a_note(office_user, signer, campaign, recommended):
    d = draft(office_user, campaign, recommended)
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    with pytest.raises(ValidationError):
        decisions.decision_return(actor=signer, decision=d, note=" ")
    d = decisions.decision_return(actor=signer, decision=d, note="Sửa Điều 3.")
    assert (d.status, d.return_note) == ("draft", "Sửa Điều 3.")
    d = decisions.decision_update(
        actor=office_user, decision=d, articles=["Điều 1. Tặng.", "", "Điều 2. Thi hành."]
    )
    assert d.articles == ["Điều 1. Tặng.", "Điều 2. Thi hành."]


def test_numbers_restart_each_year_and_registry_numbers_follow_the_issuer(
    office_user, signer, campaign, recommended, make_user, city, giay_khen, officer, head
):
    first = draft(office_user, campaign, recommended)
    decisions.decision_send_for_signature(actor=office_user, decision=first)
    decisions.decision_approve(actor=signer, decision=first, signed_on=date(2022, 12, 30))
    # A second dossier for the next year's decision, recommended without a council vote.
    AwardRule.objects.filter(award_type=giay_khen).update(council_vote=False, quota_per_unit=None)
    people = [
        Person.objects.create(full_name=n, gender="male", unit=city.suoi_hoa, category="worker")
        for n in ("Đặng Văn Ánh", "Lương Văn Bình")
    ]
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    complete(n, officer, people)
    services.nomination_submit(actor=head, nomination=n)
    services.nomination_receive(actor=office_user, nomination=n)
    services.nomination_appraise(
        actor=office_user, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
    )
    second = draft(office_user, campaign, n)
    decisions.decision_send_for_signature(actor=office_user, decision=second)
    second = decisions.decision_approve(actor=signer, decision=second, signed_on=date(2023, 1, 5))
    assert second.reference == "01/QĐ-UBND"  # numbering restarts in the new year
    assert sorted(AwardRecord.objects.filter(decision=second).values_list("year", "number")) == [
        (2023, 1),
        (2023, 2),
    ]


def test_amend_and_revoke_by_a_new_decision(office_user, signer, campaign, recommended):
    d = draft(office_user, campaign, recommended)
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    d = decisions.decision_approve(actor=signer, decision=d, signed_on=date(2022, 12, 30))
    record = AwardRecord.objects.get()
    with pytest.raises(ValidationError):
        decisions.decision_correct(
            actor=office_user, decision=d, kind="amend", records=[record], reason=""
        )
    amend = decisions.decision_correct(
        actor=office_user, decision=d, kind="amend", records=[record], reason="sai tên"
    )
    line = amend.lines.get()
    decisions.decision_line_edit(
        actor=office_user,
        line=line,
        recipient_name="Bà Vũ Thị Hạnh Nguyên",
        recipient_detail=line.recipient_detail,
        achievement=line.achievement,
    )
    decisions.decision_send_for_signature(actor=office_user, decision=amend)
    amend = decisions.decision_approve(actor=signer, decision=amend, signed_on=date(2023, 1, 3))
    record.refresh_from_db()
    assert (record.status, record.ended_by) == ("amended", amend)
    fixed = AwardRecord.objects.get(decision=amend)
    assert fixed.recipient_name == "Bà Vũ Thị Hạnh Nguyên"
    assert fixed.status == "valid"
    assert amend.corrects == d
    assert list(d.corrections.all()) == [amend]

    revoke = decisions.decision_correct(
        actor=office_user, decision=amend, kind="revoke", records=[fixed], reason="gian dối"
    )
    decisions.decision_send_for_signature(actor=office_user, decision=revoke)
    decisions.decision_approve(actor=signer, decision=revoke, signed_on=date(2023, 2, 1))
    fixed.refresh_from_db()
    assert fixed.status == "revoked"
    assert AwardRecord.objects.filter(decision=revoke).count() == 0
    assert honour_board(campaign_id=campaign.pk) == []


def test_signed_scan_path(office_user, campaign, recommended):
    d = draft(office_user, campaign, recommended)
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    d = decisions.decision_record_signed_scan(
        actor=office_user,
        decision=d,
        scan=photo("quyet-dinh-da-ky.jpg"),
        signed_on=date(2022, 12, 29),
        signer_name="Nguyễn Văn Phong",
    )
    assert d.status == "final"
    assert d.signed_scan.name
    assert d.signer_name == "Nguyễn Văn Phong"


def test_awarded_nominee_cannot_be_nominated_again_in_the_campaign(
    office_user, signer, campaign, recommended, officer, giay_khen, city
):
    d = draft(office_user, campaign, recommended)
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    decisions.decision_approve(actor=signer, decision=d, signed_on=date(2022, 12, 30))
    person = AwardRecord.objects.get().person
    again = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    services.nominee_add(actor=officer, nomination=again, person=person, achievements="x")
    problems = services.eligibility_problems(again, date(2023, 1, 10))
    assert any("đã được tặng" in p and "01/QĐ-UBND" in p for p in problems)


def test_disclosure_period_blocks_signature(office_user, campaign, recommended, giay_khen):
    AwardRule.objects.filter(award_type=giay_khen).update(disclosure_days=10_000)
    Nomination.objects.filter(pk=recommended.pk).update(
        rule=AwardRule.objects.get(award_type=giay_khen)
    )
    d = draft(office_user, campaign, recommended)
    with pytest.raises(ValidationError) as exc:
        decisions.decision_send_for_signature(actor=office_user, decision=d)
    assert "công khai" in exc.value.messages[0]


def test_registry_search_ignores_accents(office_user, signer, campaign, recommended, officer):
    d = draft(office_user, campaign, recommended)
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    decisions.decision_approve(actor=signer, decision=d, signed_on=date(2022, 12, 30))
    assert registry_search(actor=office_user, f=RegistryFilter(q="vu thi hanh")).count() == 1
    assert registry_search(actor=office_user, f=RegistryFilter(q="hạnh", year=2021)).count() == 0
    assert registry_search(actor=officer, f=RegistryFilter()).count() == 1  # own unit


def sent_drafts(count, office_user, campaign, giay_khen, officer, head, city):
    """`count` one-person decisions waiting for signature (no council vote needed)."""
    AwardRule.objects.filter(award_type=giay_khen).update(council_vote=False, quota_per_unit=None)
    drafts = []
    for i in range(count):
        person = Person.objects.create(
            full_name=f"Người {i}", gender="male", unit=city.suoi_hoa, category="worker"
        )
        n = services.nomination_create(
            actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
        )
        complete(n, officer, [person])
        services.nomination_submit(actor=head, nomination=n)
        services.nomination_receive(actor=office_user, nomination=n)
        services.nomination_appraise(
            actor=office_user, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
        )
        d = decisions.decision_draft(
            actor=office_user,
            campaign=campaign,
            award_type=giay_khen,
            nominees=list(n.nominees.all()),
        )
        drafts.append(decisions.decision_send_for_signature(actor=office_user, decision=d))
    return drafts


def test_a_decision_cannot_be_signed_before_one_numbered_earlier(
    office_user, signer, campaign, giay_khen, officer, head, city
):
    first, second, third = sent_drafts(3, office_user, campaign, giay_khen, officer, head, city)
    decisions.decision_approve(actor=signer, decision=first, signed_on=date(2022, 12, 28))
    # The leader's "Ký duyệt" with an earlier date is refused, with the number and date to beat.
    with pytest.raises(ValidationError) as exc:
        decisions.decision_approve(actor=signer, decision=second, signed_on=date(2022, 12, 27))
    assert "Quyết định số 01/QĐ-UBND đã ban hành ngày 28/12/2022" in exc.value.messages[0]
    assert "ngày ký phải từ 28/12/2022 trở đi" in exc.value.messages[0]
    second.refresh_from_db()
    assert (second.status, second.number_id, second.signed_on) == ("awaiting_signature", None, None)
    assert not AwardRecord.objects.filter(decision=second).exists()
    # Nội vụ recording a paper copy signed earlier is refused the same way.
    with pytest.raises(ValidationError) as exc:
        decisions.decision_record_signed_scan(
            actor=office_user,
            decision=third,
            scan=photo("ban-giay.jpg"),
            signed_on=date(2022, 12, 20),
            signer_name="Nguyễn Văn Phong",
        )
    assert "01/QĐ-UBND" in exc.value.messages[0]
    third.refresh_from_db()
    assert third.status == "awaiting_signature"
    assert not third.signed_scan
    # Same day or later is fine, and numbers stay in date order.
    decisions.decision_approve(actor=signer, decision=second, signed_on=date(2022, 12, 28))
    decisions.decision_record_signed_scan(
        actor=office_user,
        decision=third,
        scan=photo("ban-giay.jpg"),
        signed_on=date(2022, 12, 30),
        signer_name="Nguyễn Văn Phong",
    )
    rows = list(
        Decision.objects.order_by("number__number").values_list("number__number", "signed_on")
    )
    assert rows == [(1, date(2022, 12, 28)), (2, date(2022, 12, 28)), (3, date(2022, 12, 30))]


def test_decision_signing_form_shows_the_refusal(
    office_client, office_user, signer, campaign, giay_khen, officer, head, city
):
    first, second = sent_drafts(2, office_user, campaign, giay_khen, officer, head, city)
    decisions.decision_approve(actor=signer, decision=first, signed_on=date(2022, 12, 28))
    response = office_client.post(
        reverse("awards:decision-record-scan", args=[second.pk]),
        {
            "signed_on": "20/12/2022",
            "signer_name": "Nguyễn Văn Phong",
            "scan": photo("ban-giay.jpg"),
        },
        follow=True,
    )
    text = response.content.decode()
    assert "Quyết định số 01/QĐ-UBND đã ban hành ngày 28/12/2022" in text
    second.refresh_from_db()
    assert second.status == "awaiting_signature"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_share_a_number(
    office_user, signer, campaign, giay_khen, officer, head, city
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    drafts = sent_drafts(4, office_user, campaign, giay_khen, officer, head, city)
    barrier = threading.Barrier(len(drafts))
    errors: list[BaseException] = []

    def approve(d: Decision) -> None:
        try:
            barrier.wait()
            decisions.decision_approve(actor=signer, decision=d, signed_on=date(2022, 12, 30))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(Decision.objects.values_list("number__number", flat=True))
    assert numbers == [1, 2, 3, 4]
    assert sorted(AwardRecord.objects.values_list("number", flat=True)) == [1, 2, 3, 4]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_signing_on_different_dates_keeps_numbers_in_date_order(
    office_user, signer, campaign, giay_khen, officer, head, city
):
    """Six decisions signed at once with shuffled dates, both ways of signing: whatever the
    interleaving, no decision ends with a lower number than one dated after it, and each refusal
    names the decision that blocks it."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    drafts = sent_drafts(6, office_user, campaign, giay_khen, officer, head, city)
    days = [date(2022, 12, d) for d in (27, 30, 28, 29, 26, 30)]
    barrier = threading.Barrier(len(drafts))
    refused: list[str] = []
    errors: list[BaseException] = []

    def sign(d: Decision, day: date, on_paper: bool) -> None:
        try:
            barrier.wait()
            if on_paper:
                decisions.decision_record_signed_scan(
                    actor=office_user,
                    decision=d,
                    scan=photo("ban-giay.jpg"),
                    signed_on=day,
                    signer_name="Nguyễn Văn Phong",
                )
            else:
                decisions.decision_approve(actor=signer, decision=d, signed_on=day)
        except ValidationError as exc:
            refused.append(exc.messages[0])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=sign, args=(d, day, i % 2 == 1))
        for i, (d, day) in enumerate(zip(drafts, days, strict=True))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    rows = list(
        Decision.objects.filter(status="final")
        .order_by("number__number")
        .values_list("number__number", "signed_on")
    )
    assert [n for n, _ in rows] == list(range(1, len(rows) + 1))
    assert [d for _, d in rows] == sorted(d for _, d in rows)
    assert len(rows) + len(refused) == len(drafts)
    assert all("đã ban hành ngày" in m and "trở đi" in m for m in refused)
    assert Decision.objects.filter(status="awaiting_signature").count() == len(refused)
    assert AwardRecord.objects.count() == len(rows)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_drafting_the_same_nominee_twice_at_once_puts_it_in_one_decision(
    office_user, campaign, recommended
):
    """Two tabs (or two officers) draft from the same recommended list at the same instant:
    one draft holds the nominee, the other is refused, so no one is awarded twice."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    nominees = list(recommended_nominees(campaign=campaign))
    barrier = threading.Barrier(2)
    refused: list[str] = []
    errors: list[BaseException] = []

    def make_draft() -> None:
        try:
            barrier.wait()
            decisions.decision_draft(
                actor=office_user,
                campaign=campaign,
                award_type=recommended.award_type,
                nominees=nominees,
            )
        except ValidationError as exc:
            refused.append(exc.messages[0])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=make_draft) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Decision.objects.count() == 1
    assert len(refused) == 1
    assert "chưa có trong quyết định khác" in refused[0]


def _revoke(office_user, signer, decision, record, *, sign=True):
    d = decisions.decision_correct(
        actor=office_user, decision=decision, kind="revoke", records=[record], reason="gian dối"
    )
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    if sign:
        d = decisions.decision_approve(actor=signer, decision=d, signed_on=date(2023, 2, 1))
    return d


def _second_draft_made_before_drafting_refused_it(d, **changes):
    """A copy of a correction draft, lines and all: two drafts for one award, as drafting
    allowed before it refused a second one. Signing still refuses what such a pair would do."""
    lines = list(d.lines.all())
    copy = Decision.objects.get(pk=d.pk)
    copy.pk = None
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save()
    for line in lines:
        line.pk, line.decision = None, copy
        line.save()
    return copy


def test_a_second_correction_of_an_award_is_refused_at_drafting(office_user, signer, decided):
    """A revocation of Bà Vũ Thị Hạnh's Giấy khen is being drafted: an amendment (or another
    revocation) of the same award is refused when drafted, naming the draft to continue."""
    record = AwardRecord.objects.get()
    first = _revoke(office_user, signer, decided, record, sign=False)
    for kind in ("amend", "revoke"):
        with pytest.raises(ValidationError) as exc:
            decisions.decision_correct(
                actor=office_user, decision=decided, kind=kind, records=[record], reason="sai tên"
            )
        assert exc.value.messages == [
            "Khen thưởng của Bà Vũ Thị Hạnh (số vào sổ 0001/2022) đã có trong dự thảo quyết định "
            f"thu hồi khác: “{first.summary}” (chờ ký, lập ngày "
            f"{first.drafted_on:%d/%m/%Y}). Mỗi khen thưởng chỉ có một dự thảo sửa đổi, thu hồi: "
            "đề nghị tiếp tục dự thảo đó hoặc bỏ khen thưởng này khỏi dự thảo đó."
        ]
    assert Decision.objects.filter(corrects=decided).count() == 1
    first = decisions.decision_approve(actor=signer, decision=first, signed_on=date(2023, 2, 1))
    with pytest.raises(ValidationError) as exc:  # revoked: nothing left to correct
        _revoke(office_user, signer, decided, record, sign=False)
    assert "còn hiệu lực" in exc.value.messages[0]


def test_an_award_already_revoked_is_not_revoked_again_by_a_second_decision(
    office_user, signer, decided
):
    from thidua.core.models import IssuedDocument

    record = AwardRecord.objects.get()
    first = _revoke(office_user, signer, decided, record, sign=False)
    second = _second_draft_made_before_drafting_refused_it(first)
    first = decisions.decision_approve(actor=signer, decision=first, signed_on=date(2023, 2, 1))
    numbered = IssuedDocument.objects.count()
    with pytest.raises(ValidationError) as exc:
        decisions.decision_approve(actor=signer, decision=second, signed_on=date(2023, 2, 1))
    assert "0001/2022" in exc.value.messages[0]
    assert first.reference in exc.value.messages[0]
    second.refresh_from_db()
    assert (second.status, second.number_id) == ("awaiting_signature", None)
    assert IssuedDocument.objects.count() == numbered  # no number taken, none skipped
    record.refresh_from_db()
    assert (record.status, record.ended_by_id) == ("revoked", first.pk)


def test_a_revocation_drafted_before_an_amendment_was_signed_is_refused(
    office_user, signer, decided
):
    """Revoking the old entry after it was amended would leave the new entry valid while a
    revoking decision says the award is gone."""
    record = AwardRecord.objects.get()
    revoke = _revoke(office_user, signer, decided, record, sign=False)
    amend = _second_draft_made_before_drafting_refused_it(revoke, kind="amend")
    amend = decisions.decision_approve(actor=signer, decision=amend, signed_on=date(2023, 1, 3))
    with pytest.raises(ValidationError) as exc:
        decisions.decision_record_signed_scan(
            actor=office_user,
            decision=revoke,
            scan=photo("quyet-dinh-da-ky.jpg"),
            signed_on=date(2023, 2, 1),
            signer_name="Nguyễn Văn Phong",
        )
    assert "được sửa đổi" in exc.value.messages[0]
    assert amend.reference in exc.value.messages[0]
    assert AwardRecord.objects.get(decision=amend).status == "valid"
    assert Decision.objects.get(pk=revoke.pk).status == "awaiting_signature"


def _council_recommends_all(office_user, board, nomination):
    """Every member present, every nominee of the dossier voted for unanimously."""
    from thidua.awards import council

    body, members = board
    session = council.session_create(
        actor=office_user, council=body, title="Phiên xét khen", held_on=date(2022, 12, 27)
    )
    council.session_add_nominations(actor=office_user, session=session, nominations=[nomination])
    for member in members:
        council.attendance_set(
            actor=office_user, session=session, member=member, presence="present"
        )
    session = council.session_open(actor=office_user, session=session)
    for listed in session.items.all():
        item = council.item_vote_open(actor=office_user, item=listed)
        for member in members:
            council.ballot_cast(actor=member.user, item=item, choice="agree")
        council.item_close(actor=members[0].user, item=item)


def test_nominees_left_for_a_later_decision_stay_on_the_recommended_list(
    office_user, signer, campaign, board, agenda
):
    """The decision page lets Nội vụ tick some of the recommended nominees: a dossier whose
    nominees go into two decisions keeps the others decidable after the first is signed."""
    _council_recommends_all(office_user, board, agenda)
    nominees = list(recommended_nominees(campaign=campaign))
    assert len(nominees) == 3
    first = decisions.decision_draft(
        actor=office_user, campaign=campaign, award_type=agenda.award_type, nominees=nominees[:1]
    )
    decisions.decision_send_for_signature(actor=office_user, decision=first)
    decisions.decision_approve(actor=signer, decision=first, signed_on=date(2022, 12, 30))

    left = list(recommended_nominees(campaign=campaign))
    assert [n.pk for n in left] == [n.pk for n in nominees[1:]]
    assert Nomination.objects.get(pk=agenda.pk).status == "council_done"  # not decided yet
    assert not ActionLog.objects.filter(action="awards.nomination.decided").exists()

    second = decisions.decision_draft(
        actor=office_user, campaign=campaign, award_type=agenda.award_type, nominees=left
    )
    decisions.decision_send_for_signature(actor=office_user, decision=second)
    decisions.decision_approve(actor=signer, decision=second, signed_on=date(2022, 12, 30))
    assert AwardRecord.objects.count() == 3
    assert Nomination.objects.get(pk=agenda.pk).status == "decided"
    log = ActionLog.objects.get(action="awards.nomination.decided")  # the dossier's move, once
    assert (log.target_id, log.actor_id) == (str(agenda.pk), signer.pk)
    assert log.data == {
        "from": "council_done",
        "to": "decided",
        "decision": second.pk,
        "reference": "02/QĐ-UBND",
    }


def test_a_hold_begun_after_the_council_vote_stops_the_award(
    office_user, signer, campaign, recommended
):
    """Discipline or inspection opened after the council recommended someone: the draft is not
    sent to the signer, and one already sent is not signed, while the hold lasts."""
    from thidua.core.clock import today_local

    d = draft(office_user, campaign, recommended)
    person = d.lines.get().nominee.person
    hold = services.hold_add(
        actor=office_user,
        reason="Đang xem xét kỷ luật",
        active_from=today_local() - timedelta(days=10),
        person=person,
    )
    with pytest.raises(ValidationError) as exc:
        decisions.decision_send_for_signature(actor=office_user, decision=d)
    assert "Vũ Thị Hạnh đang trong thời gian xem xét kỷ luật" in exc.value.messages[0]
    services.hold_end(actor=office_user, hold=hold, day=today_local() - timedelta(days=1))
    decisions.decision_send_for_signature(actor=office_user, decision=d)  # the hold has ended
    services.hold_add(
        actor=office_user, reason="Đang thanh tra", active_from=today_local(), person=person
    )
    with pytest.raises(ValidationError) as exc:
        decisions.decision_approve(actor=signer, decision=d)
    assert "chưa xét khen" in exc.value.messages[0]
    d.refresh_from_db()
    assert (d.status, d.number_id) == ("awaiting_signature", None)
    assert not AwardRecord.objects.exists()


def test_an_ended_award_is_refused_print_by_the_name_of_its_certificate(decided, office_user):
    from thidua.awards import printing

    record = decided.records.get()
    record.award_type.name = "Bằng khen của Chủ tịch UBND thành phố"
    record.award_type.save()
    AwardRecord.objects.filter(pk=record.pk).update(status=AwardRecord.Status.REVOKED)
    record.refresh_from_db()
    with pytest.raises(ValidationError, match="không in bằng khen"):
        printing.certificate_pdf(actor=office_user, record=record)


def test_discarding_a_draft_puts_its_nominees_back_on_the_recommended_list(
    office_user, signer, campaign, recommended
):
    """An abandoned grant draft held its nominees (one award per nominee): discarded with a
    reason, they can be put in a new draft, and the log says who discarded what and why."""
    d = draft(office_user, campaign, recommended)
    decisions.decision_send_for_signature(actor=office_user, decision=d)  # never signed
    assert not recommended_nominees(campaign=campaign).exists()
    with pytest.raises(ValidationError) as exc:
        decisions.decision_discard(actor=office_user, decision=d, reason="  ")
    assert exc.value.messages == ["Cần ghi rõ lý do hủy dự thảo."]

    decisions.decision_discard(actor=office_user, decision=d, reason="Lập lại theo mẫu mới")

    assert not Decision.objects.filter(pk=d.pk).exists()
    assert [n.nomination_id for n in recommended_nominees(campaign=campaign)] == [recommended.pk]
    log = ActionLog.objects.get(action="awards.decision.discarded")
    assert (log.target_id, log.actor_id) == (str(d.pk), office_user.pk)
    assert log.data["note"] == "Lập lại theo mẫu mới"
    assert log.data["status"] == "awaiting_signature"
    # the signer it was sent to is told it no longer needs signing
    assert signer.notices.filter(title__startswith="Dự thảo quyết định đã được rút").exists()
    again = draft(office_user, campaign, recommended)
    decisions.decision_send_for_signature(actor=office_user, decision=again)
    again = decisions.decision_approve(actor=signer, decision=again, signed_on=date(2022, 12, 30))
    assert again.reference == "01/QĐ-UBND"  # a discarded draft never took a number


def test_discarding_a_correction_draft_lets_the_award_be_corrected_again(
    office_user, signer, decided
):
    record = AwardRecord.objects.get()
    first = _revoke(office_user, signer, decided, record, sign=False)
    with pytest.raises(ValidationError):  # one correction at a time per award
        decisions.decision_correct(
            actor=office_user, decision=decided, kind="amend", records=[record], reason="sai tên"
        )
    decisions.decision_discard(actor=office_user, decision=first, reason="Nhầm người")
    amend = decisions.decision_correct(
        actor=office_user, decision=decided, kind="amend", records=[record], reason="sai tên"
    )
    assert amend.corrects_id == decided.pk
    record.refresh_from_db()
    assert record.status == "valid"  # the discarded revocation changed nothing


def test_signing_a_draft_discarded_meanwhile_is_refused_in_words(
    office_user, signer, campaign, recommended
):
    """The signer's page was shown before Nội vụ discarded the draft: "Ký duyệt" then says
    the draft is gone (no server error, no number taken)."""
    from thidua.core.models import IssuedDocument

    d = draft(office_user, campaign, recommended)
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    shown = Decision.objects.get(pk=d.pk)
    numbered = IssuedDocument.objects.count()
    decisions.decision_discard(actor=office_user, decision=d, reason="Lập lại")
    with pytest.raises(ValidationError) as exc:
        decisions.decision_approve(actor=signer, decision=shown, signed_on=date(2022, 12, 30))
    assert exc.value.messages == ["Dự thảo quyết định này đã bị hủy."]
    assert IssuedDocument.objects.count() == numbered


def test_a_signed_decision_is_never_discarded(office_user, decided):
    with pytest.raises(ValidationError) as exc:
        decisions.decision_discard(actor=office_user, decision=decided, reason="Nhầm")
    assert exc.value.messages == [
        "Quyết định số 01/QĐ-UBND đã được ký ban hành ngày 30/12/2022: không hủy được. "
        "Muốn thay đổi, đề nghị lập quyết định sửa đổi hoặc thu hồi."
    ]
    assert Decision.objects.get(pk=decided.pk).status == "final"
    assert AwardRecord.objects.get().status == "valid"
    assert not ActionLog.objects.filter(action="awards.decision.discarded").exists()


def test_only_the_campaigns_office_discards_its_drafts(
    office_user, signer, make_user, city, campaign, recommended
):
    """A signer, a unit's focal officer and a ward's own emulation officer cannot discard the
    city's draft; nothing is deleted or logged."""
    from thidua.accounts.models import Role

    d = draft(office_user, campaign, recommended)
    ward_office = make_user(Role.EMULATION_OFFICE, city.suoi_hoa, username="vp-suoihoa")
    for actor in (signer, make_user(Role.UNIT_OFFICER), ward_office):
        with pytest.raises(PermissionDenied):
            decisions.decision_discard(actor=actor, decision=d, reason="Không cần nữa")
    assert Decision.objects.filter(pk=d.pk).exists()
    assert not ActionLog.objects.filter(action="awards.decision.discarded").exists()


def test_the_draft_page_discards_with_a_reason(office_user, signer, campaign, recommended):
    from tests.conftest import verified_client

    d = draft(office_user, campaign, recommended)
    office = verified_client(office_user)
    page = office.get(reverse("awards:decision-detail", args=[d.pk])).content.decode()
    assert "Hủy dự thảo" in page
    assert reverse("awards:decision-discard", args=[d.pk]) in page
    assert (
        "Hủy dự thảo"
        not in verified_client(signer)
        .get(reverse("awards:decision-detail", args=[d.pk]))
        .content.decode()
    )
    url = reverse("awards:decision-discard", args=[d.pk])
    refused = office.post(url, {"note": ""}, follow=True)
    assert "Cần ghi rõ lý do hủy dự thảo." in refused.content.decode()
    assert Decision.objects.filter(pk=d.pk).exists()
    done = office.post(url, {"note": "Lập lại"}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("awards:decision-list", args=[campaign.pk])
    page = done.content.decode()
    assert "Đã hủy dự thảo quyết định." in page
    nominee = recommended.nominees.get()
    assert f'id="nominee-{nominee.pk}"' in page  # on the recommended list again
    assert not Decision.objects.filter(pk=d.pk).exists()
    # what is left of it: the page lists the discarded draft, who discarded it and why
    gone = page.split('id="discarded"')[1].split("</table>")[0]
    assert d.summary in gone
    assert "Lập lại" in gone
    assert str(office_user) in gone


def test_a_discarded_correction_shows_in_the_signed_decisions_history(office_user, signer, decided):
    from tests.conftest import verified_client

    record = AwardRecord.objects.get()
    first = _revoke(office_user, signer, decided, record, sign=False)
    office = verified_client(office_user)
    done = office.post(
        reverse("awards:decision-discard", args=[first.pk]), {"note": "Nhầm người"}, follow=True
    )
    assert done.redirect_chain[-1][0] == reverse("awards:decision-detail", args=[decided.pk])
    history = done.content.decode().split('id="history"')[1]
    assert 'Hủy dự thảo quyết định: <span class="text-secondary">Nhầm người</span>' in history
    assert 'id="discard"' not in done.content.decode()  # a signed decision: no such button


def _vu_ninh_dossier(make_user, city, campaign, award, office_user):
    """An eligible dossier of phường Vũ Ninh for one person, with its officer and head."""
    from thidua.accounts.models import Role

    officer = make_user(Role.UNIT_OFFICER, city.vu_ninh, username="cb-vuninh")
    head = make_user(Role.UNIT_HEAD, city.vu_ninh, username="ct-vuninh")
    person = Person.objects.create(
        full_name="Đỗ Văn Nam", gender="male", unit=city.vu_ninh, category="civil_servant"
    )
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.vu_ninh, award_type=award
    )
    complete(n, officer, [person])
    services.nomination_submit(actor=head, nomination=n)
    services.nomination_receive(actor=office_user, nomination=n)
    return services.nomination_appraise(
        actor=office_user, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
    ), officer


def _council_votes(office_user, board, nominations, against=()):
    """Every member present; each nominee voted for unanimously, but those in `against`."""
    from thidua.awards import council

    body, members = board
    session = council.session_create(
        actor=office_user, council=body, title="Phiên xét khen", held_on=date(2022, 12, 27)
    )
    council.session_add_nominations(actor=office_user, session=session, nominations=nominations)
    for member in members:
        council.attendance_set(
            actor=office_user, session=session, member=member, presence="present"
        )
    session = council.session_open(actor=office_user, session=session)
    for listed in session.items.select_related("nominee").order_by("pk"):
        item = council.item_vote_open(actor=office_user, item=listed)
        choice = "disagree" if listed.nominee_id in against else "agree"
        for member in members:
            council.ballot_cast(actor=member.user, item=item, choice=choice)
        council.item_close(actor=members[0].user, item=item)


def _sign(office_user, signer, campaign, award, nominees, day=date(2022, 12, 30)):
    d = decisions.decision_draft(
        actor=office_user, campaign=campaign, award_type=award, nominees=nominees
    )
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    return decisions.decision_approve(actor=signer, decision=d, signed_on=day)


def test_each_proposing_unit_is_told_its_dossiers_outcome_when_the_decision_is_signed(
    office_user, signer, officer, head, make_user, city, campaign, board, agenda
):
    """Suối Hoa's dossier (two people and the ward; the council turned Ông Ngô Văn Bình down)
    and Vũ Ninh's are in one decision: each ward's officers and head see one notice about their
    own dossier, naming the decision, its date, the award and who got it; no one else does."""
    from tests.conftest import verified_client

    vu_ninh, vu_ninh_officer = _vu_ninh_dossier(
        make_user, city, campaign, agenda.award_type, office_user
    )
    binh = agenda.nominees.get(person__full_name="Ngô Văn Bình")
    _council_votes(office_user, board, [agenda, vu_ninh], against={binh.pk})
    _sign(office_user, signer, campaign, agenda.award_type, recommended_nominees(campaign=campaign))

    award = "Giấy khen của Chủ tịch UBND thành phố"
    for user in (officer, head):
        (notice,) = user.notices.filter(title__contains="01/QĐ-UBND")
        assert notice.title == (
            f"Hồ sơ {award} đã có quyết định khen thưởng: Quyết định số 01/QĐ-UBND ngày 30/12/2022"
        )
        assert notice.body == (
            f"Quyết định số 01/QĐ-UBND ngày 30/12/2022 tặng {award} cho Bà Vũ Thị Hạnh; "
            "Ủy ban nhân dân phường Suối Hoa. Hội đồng không đề nghị khen thưởng: Ông Ngô Văn Bình."
        )
        assert notice.url == reverse("awards:nomination-detail", args=[agenda.pk])
    (theirs,) = vu_ninh_officer.notices.filter(title__contains="01/QĐ-UBND")
    assert (
        theirs.body == f"Quyết định số 01/QĐ-UBND ngày 30/12/2022 tặng {award} cho Ông Đỗ Văn Nam."
    )
    assert "Vũ Thị Hạnh" not in theirs.body
    for user in (office_user, signer):
        assert not user.notices.filter(title__contains="01/QĐ-UBND").exists()
    page = verified_client(officer).get(reverse("notifications:notice-list")).content.decode()
    assert "Quyết định số 01/QĐ-UBND ngày 30/12/2022" in page
    assert "Đỗ Văn Nam" not in page


def test_a_dossier_decided_in_two_decisions_is_told_it_is_decided_in_part_then_in_full(
    office_user, signer, officer, campaign, board, agenda
):
    _council_votes(office_user, board, [agenda])
    nominees = list(recommended_nominees(campaign=campaign))
    _sign(office_user, signer, campaign, agenda.award_type, nominees[:1])
    (first,) = officer.notices.filter(title__contains="01/QĐ-UBND")
    assert first.title.startswith("Hồ sơ Giấy khen của Chủ tịch UBND thành phố được quyết định một")
    assert first.body.endswith(
        "cho Ủy ban nhân dân phường Suối Hoa. Hồ sơ mới được quyết định một phần; còn chờ "
        "quyết định khen thưởng khác: Bà Vũ Thị Hạnh; Ông Ngô Văn Bình."
    )
    _sign(office_user, signer, campaign, agenda.award_type, nominees[1:], day=date(2022, 12, 31))
    (second,) = officer.notices.filter(title__contains="02/QĐ-UBND")
    assert "đã có quyết định khen thưởng" in second.title
    assert "một phần" not in second.body
    assert (
        "Đã được tặng Giấy khen của Chủ tịch UBND thành phố tại Quyết định số 01/QĐ-UBND ngày "
        "30/12/2022: Ủy ban nhân dân phường Suối Hoa." in second.body
    )


def test_a_paper_copy_recorded_tells_the_unit_too(office_user, officer, campaign, recommended):
    d = draft(office_user, campaign, recommended)
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    decisions.decision_record_signed_scan(
        actor=office_user,
        decision=d,
        scan=photo("quyet-dinh-da-ky.jpg"),
        signed_on=date(2022, 12, 29),
        signer_name="Lê Quang Minh",
    )
    assert officer.notices.filter(
        title__endswith="Quyết định số 01/QĐ-UBND ngày 29/12/2022"
    ).exists()


def _correct(office_user, signer, original, kind, records, day, edit=None):
    d = decisions.decision_correct(
        actor=office_user, decision=original, kind=kind, records=records, reason="Sai sót"
    )
    for line in d.lines.all():
        if edit and line.record_id in edit:
            decisions.decision_line_edit(
                actor=office_user,
                line=line,
                recipient_name=edit[line.record_id],
                recipient_detail=line.recipient_detail,
                achievement=line.achievement,
            )
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    return decisions.decision_approve(actor=signer, decision=d, signed_on=day)


def test_the_units_whose_awards_are_amended_or_revoked_are_told(
    office_user, signer, officer, head, make_user, city, campaign, board, agenda
):
    """An amending or revoking decision, once signed, tells each unit whose awards it corrects,
    once, what it changes in its own awards, with the decision's number and date and the
    decision it corrects; other units and the city's staff are told nothing."""
    vu_ninh, vu_ninh_officer = _vu_ninh_dossier(
        make_user, city, campaign, agenda.award_type, office_user
    )
    _council_votes(office_user, board, [agenda, vu_ninh])
    grant = _sign(
        office_user, signer, campaign, agenda.award_type, recommended_nominees(campaign=campaign)
    )
    records = {r.recipient_name: r for r in AwardRecord.objects.filter(decision=grant)}
    hanh, binh, nam = (records[x] for x in ("Bà Vũ Thị Hạnh", "Ông Ngô Văn Bình", "Ông Đỗ Văn Nam"))
    award = "Giấy khen của Chủ tịch UBND thành phố"
    original = "Quyết định số 01/QĐ-UBND ngày 30/12/2022"

    amend = _correct(
        office_user,
        signer,
        grant,
        "amend",
        [hanh],
        date(2023, 1, 3),
        edit={hanh.pk: "Bà Vũ Thị Hồng Hạnh"},
    )
    fixed = AwardRecord.objects.get(decision=amend)
    source = "Quyết định số 01/QĐ-UBND ngày 03/01/2023"
    for user in (officer, head):
        (notice,) = user.notices.filter(title__contains=source)
        assert notice.title == f"Sửa đổi {award} của đơn vị: {source}"
        assert notice.body == (
            f"{source} sửa đổi thông tin khen thưởng {award} tại {original}: Bà Vũ Thị Hạnh "
            f"(số vào sổ {hanh.registry_reference}, nay số vào sổ {fixed.registry_reference}): "
            "tên “Bà Vũ Thị Hạnh” thành “Bà Vũ Thị Hồng Hạnh”."
        )
        assert notice.url == reverse("awards:nomination-detail", args=[agenda.pk])
    assert not vu_ninh_officer.notices.filter(title__contains=source).exists()

    _correct(office_user, signer, grant, "revoke", [binh, nam], date(2023, 2, 1))
    source = "Quyết định số 02/QĐ-UBND ngày 01/02/2023"
    (ours,) = officer.notices.filter(title__contains=source)
    assert ours.title == f"Thu hồi {award} của đơn vị: {source}"
    assert ours.body == (
        f"{source} thu hồi {award} đã tặng tại {original} đối với: Ông Ngô Văn Bình (số vào sổ "
        f"{binh.registry_reference}). Tập thể, cá nhân bị thu hồi nộp lại hiện vật khen thưởng "
        "và tiền thưởng đã nhận."
    )
    (theirs,) = vu_ninh_officer.notices.filter(title__contains=source)
    assert "Ông Đỗ Văn Nam" in theirs.body
    assert "Ngô Văn Bình" not in theirs.body
    assert theirs.url == reverse("awards:nomination-detail", args=[vu_ninh.pk])
    for user in (office_user, signer):
        assert not user.notices.filter(title__contains="/QĐ-UBND ngày 0").exists()


def test_a_correction_of_an_award_without_a_dossier_links_its_registry_record(
    office_user, signer, decided, make_user
):
    """An award whose decision line has no dossier (entered without one): the unit is told of
    its amendment with a link to the award in the registry, which its officer can open."""
    from tests.conftest import verified_client
    from thidua.accounts.models import Role
    from thidua.awards.models import DecisionLine

    record = AwardRecord.objects.get(decision=decided)
    DecisionLine.objects.filter(decision=decided).update(nominee=None)
    unit_officer = make_user(Role.UNIT_OFFICER, record.unit, username="cb-khong-ho-so")
    amend = _correct(
        office_user,
        signer,
        decided,
        "amend",
        [record],
        date(2023, 1, 3),
        edit={record.pk: "Bà Vũ Thị Hồng Hạnh"},
    )
    (notice,) = unit_officer.notices.filter(title__contains=amend.citation)
    assert notice.url == reverse("awards:record", args=[record.pk])
    assert "Bà Vũ Thị Hồng Hạnh" in notice.body
    page = verified_client(unit_officer).get(notice.url)
    assert page.status_code == 200
    assert record.registry_reference in page.content.decode()
