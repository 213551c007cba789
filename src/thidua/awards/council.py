"""The council session: attendance, quorum, secret ballots, tallies against total membership."""

import secrets
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count

from thidua.accounts.models import User
from thidua.awards import rules
from thidua.awards.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotCast,
    Choice,
    Council,
    CouncilMember,
    CouncilSession,
    NamedVote,
    Nomination,
    WrittenOpinion,
)
from thidua.core.models import IssuedDocument
from thidua.core.services import action_log_record, document_number_take


def _member(actor: User, session: CouncilSession) -> CouncilMember:
    member = CouncilMember.objects.filter(council_id=session.council_id, user=actor).first()
    if member is None:
        raise PermissionDenied
    return member


def _is_chair(actor: User, session: CouncilSession) -> bool:
    return CouncilMember.objects.filter(
        council_id=session.council_id, user=actor, role=CouncilMember.CouncilRole.CHAIR
    ).exists()


def session_create(
    *,
    actor: User,
    council: Council,
    title: str,
    held_on: date,
    quorum: tuple[int, int] = (2, 3),
) -> CouncilSession:
    if not rules.can_appraise(actor):
        raise PermissionDenied
    with transaction.atomic():
        session = CouncilSession.objects.create(
            council=council,
            title=title,
            held_on=held_on,
            quorum_numerator=quorum[0],
            quorum_denominator=quorum[1],
        )
        Attendance.objects.bulk_create(
            Attendance(session=session, member=m) for m in council.members.all()
        )
        action_log_record(actor=actor, action="awards.session.created", target=session)
    return session


def session_add_nominations(
    *, actor: User, session: CouncilSession, nominations: Iterable[Nomination], secret: bool = True
) -> int:
    """Put every nominee of eligible dossiers on the agenda, with the threshold of its rules.
    `secret=False` where the rules allow an open vote (show of hands)."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    added = 0
    with transaction.atomic():
        for n in Nomination.objects.select_for_update().filter(pk__in=[x.pk for x in nominations]):
            if n.status != Nomination.Status.ELIGIBLE or n.rule is None:
                raise ValidationError(f"Hồ sơ “{n}” chưa được thẩm định đủ điều kiện.")
            for nominee in n.nominees.all():
                AgendaItem.objects.create(
                    session=session,
                    nominee=nominee,
                    position=session.items.count(),
                    threshold_percent=n.rule.threshold_percent,
                    is_secret=secret,
                )
                added += 1
            n.status = Nomination.Status.IN_COUNCIL
            n.save(update_fields=["status"])
            action_log_record(
                actor=actor,
                action="awards.nomination.in_council",
                target=n,
                data={"session": session.pk},
            )
    return added


def attendance_set(
    *, actor: User, session: CouncilSession, member: CouncilMember, presence: str
) -> None:
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if session.status != CouncilSession.Status.PREPARING:
        raise ValidationError("Phiên họp đã bắt đầu: không sửa điểm danh.")
    with transaction.atomic():
        Attendance.objects.filter(session=session, member=member).update(presence=presence)
        action_log_record(
            actor=actor,
            action="awards.session.attendance",
            target=session,
            data={"member": member.pk, "presence": presence},
        )


def session_open(*, actor: User, session: CouncilSession) -> CouncilSession:
    """Freeze the membership and check the quorum (present members against the whole council)."""
    if not (rules.can_appraise(actor) or _is_chair(actor, session)):
        raise PermissionDenied
    with transaction.atomic():
        s = CouncilSession.objects.select_for_update().get(pk=session.pk)
        if s.status == CouncilSession.Status.OPEN:
            return s
        total = s.council.members.count()
        present = s.attendance.filter(presence=Attendance.Presence.PRESENT).count()
        s.members_total, s.present_count = total, present
        s.quorum_met = total > 0 and present * s.quorum_denominator >= s.quorum_numerator * total
        if not s.quorum_met:
            raise ValidationError(
                f"Không đủ số thành viên dự họp: {present}/{total} có mặt, cần ít nhất "
                f"{s.quorum_numerator}/{s.quorum_denominator} tổng số thành viên."
            )
        s.status = CouncilSession.Status.OPEN
        s.save(update_fields=["members_total", "present_count", "quorum_met", "status"])
        action_log_record(
            actor=actor,
            action="awards.session.opened",
            target=s,
            data={"present": present, "total": total},
        )
    return s


def item_vote_open(*, actor: User, item: AgendaItem) -> AgendaItem:
    session = item.session
    if not (rules.can_appraise(actor) or _is_chair(actor, session)):
        raise PermissionDenied
    with transaction.atomic():
        i = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if session.status != CouncilSession.Status.OPEN:
            raise ValidationError("Phiên họp chưa bắt đầu.")
        if i.status != AgendaItem.Status.PENDING:
            return i
        i.status = AgendaItem.Status.VOTING
        i.save(update_fields=["status"])
        action_log_record(actor=actor, action="awards.vote.opened", target=i)
    return i


def named_votes_record(*, actor: User, item: AgendaItem, choices: dict[int, str]) -> int:
    """Record a show of hands: the secretary enters each present member's vote."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if item.is_secret:
        raise ValidationError("Nội dung này bỏ phiếu kín: thành viên tự bỏ phiếu.")
    present = set(
        Attendance.objects.filter(
            session=item.session, presence=Attendance.Presence.PRESENT
        ).values_list("member_id", flat=True)
    )
    if set(choices) - present or any(c not in Choice.values for c in choices.values()):
        raise ValidationError("Chỉ ghi biểu quyết của thành viên có mặt, với lựa chọn hợp lệ.")
    with transaction.atomic():
        i = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if i.status != AgendaItem.Status.VOTING:
            raise ValidationError("Chưa mở hoặc đã kết thúc biểu quyết cho nội dung này.")
        for member_id, choice in choices.items():
            NamedVote.objects.update_or_create(
                item=i, member_id=member_id, defaults={"choice": choice}
            )
        action_log_record(
            actor=actor, action="awards.named_vote.recorded", target=i, data={"votes": choices}
        )
    return len(choices)


def ballot_cast(*, actor: User, item: AgendaItem, choice: str) -> None:
    """Record that the member voted and, separately, the choice. A second vote is refused by
    the unique constraint even when two requests arrive at the same instant."""
    if choice not in Choice.values:
        raise ValidationError("Lựa chọn không hợp lệ.")
    session = item.session
    member = _member(actor, session)
    if not item.is_secret:
        raise ValidationError("Nội dung này biểu quyết công khai: thư ký ghi kết quả giơ tay.")
    if not Attendance.objects.filter(
        session=session, member=member, presence=Attendance.Presence.PRESENT
    ).exists():
        raise ValidationError("Chỉ thành viên có mặt mới bỏ phiếu tại phiên họp.")
    try:
        with transaction.atomic():
            i = AgendaItem.objects.get(pk=item.pk)
            if i.status != AgendaItem.Status.VOTING:
                raise ValidationError("Chưa mở hoặc đã kết thúc bỏ phiếu cho nội dung này.")
            BallotCast.objects.create(item=i, member=member)
            Ballot.objects.create(item=i, choice=choice)
            # The log says who voted on what item, never the choice.
            action_log_record(actor=actor, action="awards.ballot.cast", target=i)
    except IntegrityError:
        raise ValidationError("Đồng chí đã bỏ phiếu cho nội dung này.") from None


def written_opinion_record(
    *, actor: User, item: AgendaItem, member: CouncilMember, choice: str
) -> None:
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if not Attendance.objects.filter(
        session=item.session, member=member, presence=Attendance.Presence.WRITTEN_OPINION
    ).exists():
        raise ValidationError("Chỉ ghi ý kiến bằng văn bản của thành viên vắng mặt có gửi ý kiến.")
    with transaction.atomic():
        WrittenOpinion.objects.update_or_create(
            item=item, member=member, defaults={"choice": choice}
        )
        action_log_record(
            actor=actor,
            action="awards.written_opinion.recorded",
            target=item,
            data={"member": member.pk, "choice": choice},
        )


def _reshuffle_ballots(item: AgendaItem) -> None:
    """Rewrite the item's ballots in random order with new keys, so not even the physical order
    of rows in the table (insertion order) can be matched against who voted when."""
    choices = list(item.ballots.values_list("choice", flat=True))
    secrets.SystemRandom().shuffle(choices)
    item.ballots.all().delete()
    Ballot.objects.bulk_create(Ballot(item=item, choice=choice) for choice in choices)


def item_close(*, actor: User, item: AgendaItem) -> AgendaItem:
    """The chair closes the vote: totals (ballots plus written opinions) against the whole
    membership decide the recommendation."""
    if not _is_chair(actor, item.session):
        raise PermissionDenied
    with transaction.atomic():
        i = (
            AgendaItem.objects.select_for_update()
            .select_related("session", "nominee__nomination")
            .get(pk=item.pk)
        )
        if i.status == AgendaItem.Status.CLOSED:
            return i
        if i.status != AgendaItem.Status.VOTING:
            raise ValidationError("Nội dung này chưa mở bỏ phiếu.")
        counts = dict.fromkeys(Choice.values, 0)
        for rows in (
            i.ballots.values("choice").annotate(n=Count("pk")),
            i.named_votes.values("choice").annotate(n=Count("pk")),
            i.written_opinions.values("choice").annotate(n=Count("pk")),
        ):
            for row in rows:
                counts[row["choice"]] += row["n"]
        i.agree, i.disagree, i.abstain = counts["agree"], counts["disagree"], counts["abstain"]
        _reshuffle_ballots(i)
        i.recommended = i.agree * 100 >= i.threshold_percent * i.session.members_total
        i.status = AgendaItem.Status.CLOSED
        i.save(update_fields=["agree", "disagree", "abstain", "recommended", "status"])
        action_log_record(
            actor=actor,
            action="awards.vote.closed",
            target=i,
            data={"agree": i.agree, "total": i.session.members_total, "recommended": i.recommended},
        )
        nomination = i.nominee.nomination
        if (
            not AgendaItem.objects.filter(nominee__nomination=nomination)
            .exclude(status=AgendaItem.Status.CLOSED)
            .exists()
        ):
            Nomination.objects.filter(pk=nomination.pk).update(
                status=Nomination.Status.COUNCIL_DONE
            )
            action_log_record(
                actor=actor, action="awards.nomination.council_done", target=nomination
            )
    return i


def session_close(*, actor: User, session: CouncilSession) -> CouncilSession:
    """The chair ends the session once every item is counted."""
    if not _is_chair(actor, session):
        raise PermissionDenied
    with transaction.atomic():
        s = CouncilSession.objects.select_for_update().get(pk=session.pk)
        if s.status == CouncilSession.Status.CLOSED:
            return s
        if s.items.exclude(status=AgendaItem.Status.CLOSED).exists():
            raise ValidationError("Còn nội dung chưa kiểm phiếu.")
        s.status = CouncilSession.Status.CLOSED
        s.save(update_fields=["status"])
        action_log_record(actor=actor, action="awards.session.closed", target=s)
    return s


def minutes_number(*, actor: User, session: CouncilSession) -> IssuedDocument:
    """Number the minutes from the council's own series ("05/BB-HĐTĐKT")."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if session.status != CouncilSession.Status.CLOSED:
        raise ValidationError("Chỉ lập biên bản sau khi kết thúc phiên họp.")
    with transaction.atomic():
        s = CouncilSession.objects.select_for_update().get(pk=session.pk)
        if s.minutes_number_id:
            return s.minutes_number  # type: ignore[return-value]
        entry = document_number_take(
            actor=actor,
            issuer_code=f"HD-{s.council.owner_unit.code}",
            doc_type="BB",
            symbol="BB-HĐTĐKT",
            issued_on=s.held_on,
            summary=f"Biên bản {s.title}",
            target=s,
        )
        s.minutes_number = entry
        s.save(update_fields=["minutes_number"])
    return entry
