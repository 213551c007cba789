"""Voting on the agenda: opening a vote, secret ballots, a show of hands, written opinions of
absent members, and the presiding member's count against the whole membership."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse

from thidua.accounts.models import Role, User
from thidua.awards import rules
from thidua.awards.council.members import member_of, presides
from thidua.awards.council.sealing import ballot_seal, ballots_unseal
from thidua.awards.council.texts import nominee_label, percent_text, threshold_text
from thidua.awards.models import (
    AgendaItem,
    Attendance,
    BallotCast,
    Choice,
    CouncilMember,
    CouncilSession,
    NamedVote,
    Nomination,
    SealedBallot,
    WrittenOpinion,
)
from thidua.core.services import action_log_record
from thidua.core.transitions import require, transition
from thidua.notifications.services import notify
from thidua.organizations.selectors import users_with_role_in


def item_vote_open(*, actor: User, item: AgendaItem) -> AgendaItem:
    def session_open(i: AgendaItem) -> None:
        if CouncilSession.objects.get(pk=i.session_id).status != CouncilSession.Status.OPEN:
            raise ValidationError("Phiên họp chưa bắt đầu.")

    to = AgendaItem.Status.VOTING
    return transition(
        item,
        to=to,
        allowed_from=AgendaItem.TRANSITIONS[to],
        action="awards.vote.opened",
        actor=actor,
        permit=lambda i: require(
            rules.can_run_council_session(actor, item.session) or presides(actor, item.session)
        ),
        done=lambda i: i.status != AgendaItem.Status.PENDING,  # opened or counted already
        check=session_open,
    )


def named_votes_record(*, actor: User, item: AgendaItem, choices: dict[int, str]) -> int:
    """Record a show of hands: the secretary enters each present member's vote (Nội vụ of the
    council's body, rules.can_run_council_session)."""
    if not rules.can_run_council_session(actor, item.session):
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
    """Cast a confirmed secret ballot: a receipt that the member voted and, apart, the sealed
    choice (module docstring). Final once cast; a second ballot is refused by the unique
    receipt even when two requests arrive at the same instant."""
    if choice not in Choice.values:
        raise ValidationError("Lựa chọn không hợp lệ.")
    session = item.session
    member = member_of(actor, session)
    if not item.is_secret:
        raise ValidationError("Nội dung này biểu quyết công khai: thư ký ghi kết quả giơ tay.")
    if not Attendance.objects.filter(
        session=session, member=member, presence=Attendance.Presence.PRESENT
    ).exists():
        raise ValidationError("Chỉ thành viên có mặt mới bỏ phiếu tại phiên họp.")
    try:
        with transaction.atomic():
            # The lock orders casts against the chair's close: no ballot lands after the count.
            i = AgendaItem.objects.select_for_update().get(pk=item.pk)
            if i.status != AgendaItem.Status.VOTING:
                raise ValidationError("Chưa mở hoặc đã kết thúc bỏ phiếu cho nội dung này.")
            BallotCast.objects.create(item=i, member=member)
            SealedBallot.objects.create(item=i, seal=ballot_seal(i.pk, choice))
            # The log says who voted on what item, never the choice.
            action_log_record(actor=actor, action="awards.ballot.cast", target=i)
    except IntegrityError:
        raise ValidationError("Đồng chí đã bỏ phiếu cho nội dung này.") from None


def written_opinion_submit(
    *,
    actor: User,
    session: CouncilSession,
    reason: str,
    choices: Mapping[int, str],
    member: CouncilMember | None = None,
) -> int:
    """An absent member's written opinion (ý kiến bằng văn bản) on every nominee of the agenda,
    sent by the member before the session opens, or while it is open and no vote is counted
    yet. It marks the member absent with the reason given; it can be sent again to correct it
    until then. Counted with the ballots against the whole membership. Nội vụ enters an opinion
    received on paper by naming the `member`."""
    if member is None:
        member = member_of(actor, session)
    elif (
        not rules.can_run_council_session(actor, session) or member.council_id != session.council_id
    ):
        raise PermissionDenied
    reason = reason.strip()[:255]
    if not reason:
        raise ValidationError("Đề nghị ghi rõ lý do vắng mặt.")
    with transaction.atomic():
        s = CouncilSession.objects.select_for_update().get(pk=session.pk)
        items = list(AgendaItem.objects.select_for_update().filter(session=s))
        a = Attendance.objects.select_for_update().filter(session=s, member=member).first()
        if a is None:  # joined the council after this session was scheduled
            raise ValidationError("Đồng chí không có tên trong danh sách triệu tập phiên họp này.")
        if s.status == CouncilSession.Status.CLOSED or any(
            i.status == AgendaItem.Status.CLOSED for i in items
        ):
            raise ValidationError("Hội đồng đã kiểm phiếu: không gửi ý kiến bằng văn bản nữa.")
        if s.status == CouncilSession.Status.OPEN and a.presence == Attendance.Presence.PRESENT:
            raise ValidationError("Đồng chí có mặt tại phiên họp: đề nghị bỏ phiếu trực tiếp.")
        if not items:
            raise ValidationError("Phiên họp chưa có nội dung xét.")
        if {i.pk for i in items} - set(choices) or any(
            choices[i.pk] not in Choice.values for i in items
        ):
            raise ValidationError("Đề nghị cho ý kiến đối với tất cả các trường hợp.")
        a.presence, a.reason, a.counting_role = (
            Attendance.Presence.WRITTEN_OPINION,
            reason,
            Attendance.Counting.NONE,
        )
        a.save(update_fields=["presence", "reason", "counting_role"])
        for i in items:
            WrittenOpinion.objects.update_or_create(
                item=i, member=member, defaults={"choice": choices[i.pk]}
            )
        action_log_record(
            actor=actor,
            action="awards.written_opinion.sent",
            target=s,
            data={
                "member": member.pk,
                "reason": reason,
                "items": len(items),
                "on_paper": member.user_id != actor.pk,
            },
        )
    return len(items)


def written_opinion_record(
    *, actor: User, item: AgendaItem, member: CouncilMember, choice: str
) -> None:
    """The secretary enters a written opinion received on paper."""
    if not rules.can_run_council_session(actor, item.session):
        raise PermissionDenied
    if choice not in Choice.values:
        raise ValidationError("Lựa chọn không hợp lệ.")
    if not Attendance.objects.filter(
        session=item.session, member=member, presence=Attendance.Presence.WRITTEN_OPINION
    ).exists():
        raise ValidationError("Chỉ ghi ý kiến bằng văn bản của thành viên vắng mặt có gửi ý kiến.")
    with transaction.atomic():
        i = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if i.status == AgendaItem.Status.CLOSED:
            raise ValidationError("Nội dung này đã kiểm phiếu.")
        WrittenOpinion.objects.update_or_create(item=i, member=member, defaults={"choice": choice})
        action_log_record(
            actor=actor,
            action="awards.written_opinion.recorded",
            target=i,
            data={"member": member.pk, "choice": choice},
        )


def _tally(i: AgendaItem) -> dict[str, Any]:
    """The count when the presiding member closes a vote: the ballots (unsealed here), the show of hands
    and the written opinions, against the whole membership."""
    counts = dict.fromkeys(Choice.values, 0)
    for choice in ballots_unseal(i):
        counts[choice] += 1
    written = i.written_opinions.filter(
        member_id__in=Attendance.objects.filter(
            session_id=i.session_id, presence=Attendance.Presence.WRITTEN_OPINION
        ).values("member_id")
    )
    for rows in (
        i.named_votes.values("choice").annotate(n=Count("pk")),
        written.values("choice").annotate(n=Count("pk")),
    ):
        for row in rows:
            counts[row["choice"]] += row["n"]
    agree = counts["agree"]
    return {
        "agree": agree,
        "disagree": counts["disagree"],
        "abstain": counts["abstain"],
        "recommended": agree * 100 >= i.threshold_percent * i.session.members_total,
    }


def _council_step_done(
    actor: User, nomination: Nomination, items: list[AgendaItem], total: int
) -> None:
    """The dossier's last nominee is counted: with at least one recommended it waits for the
    decision ("Hội đồng đã xét"); with none, the council's "no" is its final outcome, and the
    unit is told each nominee's count against its threshold."""
    if any(x.recommended for x in items):
        to, action = Nomination.Status.COUNCIL_DONE, "awards.nomination.council_done"
    else:
        to, action = Nomination.Status.NOT_RECOMMENDED, "awards.nomination.not_recommended"
    results = "; ".join(
        f"{nominee_label(x.nominee)}: đồng ý {x.agree}/{total} ({percent_text(x.agree, total)}),"
        f" cần từ {threshold_text(Decimal(x.threshold_percent))}"
        for x in sorted(items, key=lambda x: x.position)
    )
    transition(
        nomination,
        to=to,
        allowed_from=Nomination.TRANSITIONS[to],
        action=action,
        actor=actor,
        related=("award_type",),
        done=lambda n: n.status != Nomination.Status.IN_COUNCIL,  # moved on already
        notify=None
        if to == Nomination.Status.COUNCIL_DONE
        else lambda n: notify(
            users=users_with_role_in(
                unit_ids={n.unit_id}, roles={Role.UNIT_OFFICER, Role.UNIT_HEAD}
            ),
            title=f"Hồ sơ {n.award_type.name}: Hội đồng không đề nghị khen thưởng"[:255],
            body=f"Không trường hợp nào đạt tỷ lệ đề nghị khen thưởng. {results}.",
            url=reverse("awards:nomination-detail", args=[n.pk]),
        ),
    )


def item_close(*, actor: User, item: AgendaItem) -> AgendaItem:
    """The presiding member (the chair, or a vice-chair in the chair's absence) closes the
    vote: totals (ballots plus written opinions) against the whole
    membership decide the recommendation. The dossier's council step is done when its last
    nominee is counted: "Hội đồng đã xét" if any was recommended, else "Hội đồng không đề
    nghị", final."""
    to = AgendaItem.Status.CLOSED
    with transaction.atomic():
        i = transition(
            item,
            to=to,
            allowed_from=AgendaItem.TRANSITIONS[to],
            action="awards.vote.closed",
            actor=actor,
            refused="Nội dung này chưa mở bỏ phiếu.",
            permit=lambda i: require(presides(actor, item.session)),
            update=_tally,
            data=lambda i: {
                "agree": i.agree,
                "total": i.session.members_total,
                "recommended": i.recommended,
            },
        )
        nomination = i.nominee.nomination
        items = list(
            AgendaItem.objects.filter(nominee__nomination=nomination).select_related(
                "nominee__person__unit", "nominee__unit", "nominee__household__unit"
            )
        )
        if all(x.status == AgendaItem.Status.CLOSED for x in items):
            _council_step_done(actor, nomination, items, i.session.members_total)
    return i
