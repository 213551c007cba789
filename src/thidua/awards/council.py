"""The council session: invitations, attendance, quorum, written opinions, secret ballots and
tallies against total membership.

Secret ballots (issue 18, M4). While a vote is open the database holds, for each member who
voted, a receipt (`BallotCast`: who) and, written in the same transaction, a sealed ballot
(`SealedBallot`: a random nonce and HMAC-SHA256 of the choice under a key derived from the
server's SECRET_KEY, which is never stored in the database). The seal has one fixed length and
differs for every ballot, so joining receipts to sealed rows by transaction (`xmin`), physical
order (`ctid`), key or time gives the reader nothing but random bytes. When the chair closes the
vote, the seals are opened, the choices shuffled and written as `Ballot` rows with random keys in
the close transaction, and the sealed rows deleted: the readable choices share no transaction,
order, key or timestamp with any receipt. Nothing is kept in process memory or in the cache, so a
restart of the app, or of Redis, during the vote loses nothing, and the demo (SQLite, local
memory cache) gives the same guarantee as production.

The member confirms a choice before it is cast and cannot change it afterwards, as with a paper
ballot in the urn: changing it would need a link from the member to the ballot until the close.
"""

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.formats import number_format

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
    Nominee,
    SealedBallot,
    WrittenOpinion,
)
from thidua.core.clock import now
from thidua.core.models import IssuedDocument
from thidua.core.services import action_log_record, document_number_take
from thidua.core.submissions import submission_claim, submission_done
from thidua.notifications.services import notify

_NONCE_BYTES = 16
_SEAL_SALT = "thidua.awards.ballot-seal"


def percent_text(part: int, total: int) -> str:
    """ "81,8%": one decimal with the Vietnamese decimal comma; whole numbers without it."""
    if not total:
        return "0%"
    value = (Decimal(100) * part / total).quantize(Decimal("0.1"))
    if value == value.to_integral_value():
        return f"{int(value)}%"
    return f"{number_format(value, decimal_pos=1, use_l10n=True)}%"


def threshold_text(threshold: Decimal) -> str:
    """The rule's threshold as printed: "50%", "66,67%"."""
    value = Decimal(threshold).normalize()
    if value == value.to_integral_value():
        return f"{int(value)}%"
    return f"{number_format(value, use_l10n=True)}%"


def nominee_label(nominee: Nominee) -> str:
    """ "Bà Vũ Thị Hạnh, Chuyên viên, Phường Suối Hoa", "Hộ ông Nguyễn Văn Hùng, Tổ dân phố 3,
    phường Suối Hoa" or "Tập thể Đoàn Thanh niên …"."""
    if nominee.person_id and nominee.person is not None:
        p = nominee.person
        unit = p.unit.short_name or p.unit.name if p.unit_id else ""
        return ", ".join(x for x in (f"{p.salutation} {p.full_name}", p.position, unit) if x)
    if nominee.household_id and nominee.household is not None:
        return f"{nominee.household}, {nominee.household.full_address}"
    return f"Tập thể {nominee.unit}"


# ----------------------------------------------------------------------------- sealing


def _seal_keys(item_pk: int) -> list[bytes]:
    """The item's sealing key from the current SECRET_KEY, then from each fallback (so a key
    rotated during a vote still opens the seals made before)."""
    return [
        salted_hmac(_SEAL_SALT, f"item:{item_pk}", secret=secret, algorithm="sha256").digest()
        for secret in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))
    ]


def _mac(key: bytes, nonce: bytes, choice: str) -> bytes:
    return hmac.new(key, nonce + choice.encode(), hashlib.sha256).digest()


def ballot_seal(item_pk: int, choice: str) -> str:
    """A fixed-length, never repeated seal of `choice`: nonce ‖ HMAC(key, nonce ‖ choice)."""
    nonce = secrets.token_bytes(_NONCE_BYTES)
    return (nonce + _mac(_seal_keys(item_pk)[0], nonce, choice)).hex()


def ballot_unseal(item_pk: int, seal: str) -> str:
    """The choice in a seal, found by checking each possible choice against the MAC."""
    raw = bytes.fromhex(seal)
    nonce, tag = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    for key in _seal_keys(item_pk):
        for choice in Choice.values:
            if hmac.compare_digest(_mac(key, nonce, choice), tag):
                return str(choice)
    raise ValidationError("Có phiếu kín không mở được (sai khóa niêm phong): không kiểm phiếu.")


# ----------------------------------------------------------------------------- helpers


def _member(actor: User, session: CouncilSession) -> CouncilMember:
    member = CouncilMember.objects.filter(council_id=session.council_id, user=actor).first()
    if member is None:
        raise PermissionDenied
    return member


def _is_chair(actor: User, session: CouncilSession) -> bool:
    return CouncilMember.objects.filter(
        council_id=session.council_id, user=actor, role=CouncilMember.CouncilRole.CHAIR
    ).exists()


def _members_users(session: CouncilSession) -> list[User]:
    return [m.user for m in CouncilMember.objects.filter(council_id=session.council_id)]


def session_url(session: CouncilSession) -> str:
    return reverse("awards:session", args=[session.pk])


def when_text(session: CouncilSession) -> str:
    """ "14 giờ 00, ngày 27/12/2022" (the hour only when it is set)."""
    day = f"ngày {session.held_on:%d/%m/%Y}"
    return f"{session.starts_at:%H} giờ {session.starts_at:%M}, {day}" if session.starts_at else day


# ----------------------------------------------------------------------------- session


def session_create(
    *,
    actor: User,
    council: Council,
    title: str,
    held_on: date,
    starts_at: time | None = None,
    place: str = "",
    quorum: tuple[int, int] = (2, 3),
) -> CouncilSession:
    """Schedule a session; every member gets an invitation (notice and mail with the link)."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    with transaction.atomic():
        session = CouncilSession.objects.create(
            council=council,
            title=title,
            held_on=held_on,
            starts_at=starts_at,
            place=place.strip(),
            quorum_numerator=quorum[0],
            quorum_denominator=quorum[1],
        )
        Attendance.objects.bulk_create(
            Attendance(session=session, member=m) for m in council.members.all()
        )
        action_log_record(actor=actor, action="awards.session.created", target=session)
        where = f" tại {session.place}" if session.place else ""
        notify(
            users=_members_users(session),
            title=f"Giấy mời họp: {session.title}",
            body=(
                f"{council.name} họp vào {when_text(session)}{where}. Đề nghị đồng chí nghiên "
                "cứu hồ sơ trên trang “Phiên họp”; nếu vắng mặt, gửi ý kiến bằng văn bản "
                "trước phiên họp."
            ),
            url=session_url(session),
        )
    return session


def session_schedule(
    *,
    actor: User,
    council: Council,
    title: str,
    held_on: date,
    starts_at: time | None,
    place: str,
    nominations: Iterable[Nomination],
    secret: bool = True,
    form_key: uuid.UUID | None = None,
) -> CouncilSession:
    """Schedule a session with its agenda in one transaction: a refused agenda leaves no
    session and sends no invitation, and a repeated submission (double click, retry) of the
    same form makes one session and one round of invitations."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    with transaction.atomic():
        claim = submission_claim(actor=actor, key=form_key, action="awards.session")
        if claim.earlier is not None:
            return claim.earlier  # type: ignore[no-any-return]
        session = session_create(
            actor=actor,
            council=council,
            title=title,
            held_on=held_on,
            starts_at=starts_at,
            place=place,
        )
        session_add_nominations(
            actor=actor, session=session, nominations=nominations, secret=secret
        )
        submission_done(claim, session)
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
    *,
    actor: User,
    session: CouncilSession,
    member: CouncilMember,
    presence: str,
    reason: str = "",
) -> None:
    """The secretary's roll call before the session opens, with the reason of an absence."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if presence not in Attendance.Presence.values:
        raise ValidationError("Tình trạng dự họp không hợp lệ.")
    if session.status != CouncilSession.Status.PREPARING:
        raise ValidationError("Phiên họp đã bắt đầu: không sửa điểm danh.")
    reason = "" if presence == Attendance.Presence.PRESENT else reason.strip()[:255]
    with transaction.atomic():
        a = Attendance.objects.select_for_update().get(session=session, member=member)
        if (a.presence, a.reason) == (presence, reason):
            return
        a.presence, a.reason = presence, reason
        if presence != Attendance.Presence.PRESENT:
            a.counting_role = Attendance.Counting.NONE  # tellers are present members
        a.save(update_fields=["presence", "reason", "counting_role"])
        action_log_record(
            actor=actor,
            action="awards.session.attendance",
            target=session,
            data={"member": member.pk, "presence": presence, "reason": reason},
        )


def counting_committee_set(
    *, actor: User, session: CouncilSession, roles: Mapping[int, str]
) -> None:
    """The counting committee (ban kiểm phiếu) elected from the present members: one head and
    any members. `roles` maps a member's id to "head", "member" or "" (not on the committee)."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if session.status == CouncilSession.Status.CLOSED:
        raise ValidationError("Phiên họp đã kết thúc.")
    if any(role not in Attendance.Counting.values for role in roles.values()):
        raise ValidationError("Vai trò trong Ban kiểm phiếu không hợp lệ.")
    with transaction.atomic():
        rows = {
            a.member_id: a for a in Attendance.objects.select_for_update().filter(session=session)
        }
        wanted = {pk: rows[pk].counting_role for pk in rows} | {
            pk: role for pk, role in roles.items() if pk in rows
        }
        if sum(role == Attendance.Counting.HEAD for role in wanted.values()) > 1:
            raise ValidationError("Ban kiểm phiếu chỉ có một Trưởng ban.")
        if any(
            role and rows[pk].presence != Attendance.Presence.PRESENT for pk, role in wanted.items()
        ):
            raise ValidationError("Thành viên Ban kiểm phiếu phải là thành viên có mặt.")
        changed = [a for pk, a in rows.items() if a.counting_role != wanted[pk]]
        for a in changed:
            a.counting_role = wanted[a.member_id]
            a.save(update_fields=["counting_role"])
        if changed:
            action_log_record(
                actor=actor,
                action="awards.session.counting_committee",
                target=session,
                data={str(pk): role for pk, role in wanted.items() if role},
            )


def session_open(*, actor: User, session: CouncilSession) -> CouncilSession:
    """Freeze the membership and check the quorum (present members against the whole council)."""
    if not (rules.can_appraise(actor) or _is_chair(actor, session)):
        raise PermissionDenied
    with transaction.atomic():
        s = CouncilSession.objects.select_for_update().select_related("council").get(pk=session.pk)
        if s.status == CouncilSession.Status.OPEN:
            return s
        if s.status == CouncilSession.Status.CLOSED:
            raise ValidationError("Phiên họp đã kết thúc.")
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
        notify(
            users=_members_users(s),
            title=f"Phiên họp đã bắt đầu: {s.title}",
            body=f"Có mặt {present}/{total} thành viên. Thành viên có mặt bỏ phiếu trên trang "
            "phiên họp khi Hội đồng mở bỏ phiếu từng trường hợp.",
            url=session_url(s),
        )
    return s


def item_vote_open(*, actor: User, item: AgendaItem) -> AgendaItem:
    session = item.session
    if not (rules.can_appraise(actor) or _is_chair(actor, session)):
        raise PermissionDenied
    with transaction.atomic():
        i = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if CouncilSession.objects.get(pk=i.session_id).status != CouncilSession.Status.OPEN:
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
    """Cast a confirmed secret ballot: a receipt that the member voted and, apart, the sealed
    choice (module docstring). Final once cast; a second ballot is refused by the unique
    receipt even when two requests arrive at the same instant."""
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
        member = _member(actor, session)
    elif not rules.can_appraise(actor) or member.council_id != session.council_id:
        raise PermissionDenied
    reason = reason.strip()[:255]
    if not reason:
        raise ValidationError("Đề nghị ghi rõ lý do vắng mặt.")
    with transaction.atomic():
        s = CouncilSession.objects.select_for_update().get(pk=session.pk)
        items = list(AgendaItem.objects.select_for_update().filter(session=s))
        a = Attendance.objects.select_for_update().get(session=s, member=member)
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
    if not rules.can_appraise(actor):
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


def _ballots_unseal(item: AgendaItem) -> list[str]:
    """Open every sealed ballot of the item, write the choices in random order with random keys
    and delete the seals. Runs inside the close transaction."""
    seals = list(item.sealed_ballots.values_list("seal", flat=True))
    receipts = item.casts.count()
    if len(seals) != receipts:
        raise ValidationError(
            f"Số phiếu niêm phong ({len(seals)}) khác số thành viên đã bỏ phiếu ({receipts}): "
            "không kiểm phiếu."
        )
    choices = [ballot_unseal(item.pk, seal) for seal in seals]
    secrets.SystemRandom().shuffle(choices)
    item.sealed_ballots.all().delete()
    Ballot.objects.bulk_create(Ballot(item=item, choice=choice) for choice in choices)
    return choices


def item_close(*, actor: User, item: AgendaItem) -> AgendaItem:
    """The chair closes the vote: totals (ballots plus written opinions) against the whole
    membership decide the recommendation."""
    if not _is_chair(actor, item.session):
        raise PermissionDenied
    with transaction.atomic():
        i = (
            AgendaItem.objects.select_for_update(of=("self",))
            .select_related("session", "nominee__nomination")
            .get(pk=item.pk)
        )
        if i.status == AgendaItem.Status.CLOSED:
            return i
        if i.status != AgendaItem.Status.VOTING:
            raise ValidationError("Nội dung này chưa mở bỏ phiếu.")
        counts = dict.fromkeys(Choice.values, 0)
        for choice in _ballots_unseal(i):
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
        i.agree, i.disagree, i.abstain = counts["agree"], counts["disagree"], counts["abstain"]
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
        if s.status != CouncilSession.Status.OPEN:
            raise ValidationError("Phiên họp chưa bắt đầu.")
        if s.items.exclude(status=AgendaItem.Status.CLOSED).exists():
            raise ValidationError("Còn nội dung chưa kiểm phiếu.")
        s.status, s.closed_at = CouncilSession.Status.CLOSED, now()
        s.save(update_fields=["status", "closed_at"])
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
        minutes_sign_pdf(actor=actor, session=s)
    return entry


def minutes_sign_pdf(*, actor: User, session: CouncilSession) -> bool:
    """The council's secretary numbers the minutes: when they have a signing key, the minutes'
    PDF is signed in the secretary's blank (left). False otherwise. The chair's signature in
    the right blank is not wired (docs/architecture.md, Signing)."""
    from thidua.awards.minutes import minutes_document
    from thidua.documents.official import render_pdf_with_signature_box
    from thidua.documents.services import has_signing_key, signed_pdf_issue

    is_secretary = CouncilMember.objects.filter(
        council_id=session.council_id, user=actor, role=CouncilMember.CouncilRole.SECRETARY
    ).exists()
    if not is_secretary or not has_signing_key(actor=actor):
        return False
    pdf, box = render_pdf_with_signature_box(minutes_document(session), left=True)
    row = signed_pdf_issue(
        actor=actor,
        target=session,
        pdf=pdf,
        issuer=session.council.owner_unit,
        box=box,
        reason=f"Ký biên bản số {session.minutes_number.reference if session.minutes_number else ''}",
        with_seal=False,  # minutes bear the signatures of the secretary and the chair, no seal
    )
    return row is not None
