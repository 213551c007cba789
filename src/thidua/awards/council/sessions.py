"""A council session from invitation to minutes: scheduling with its agenda, the roll call and
counting committee, opening against the quorum, closing, and numbering (and signing) the
minutes."""

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thidua.accounts.models import User
from thidua.awards import rules
from thidua.awards.award_rules import quorum_in_force
from thidua.awards.council.members import members_users, presides
from thidua.awards.council.texts import session_url, when_text
from thidua.awards.models import (
    AgendaItem,
    Attendance,
    Council,
    CouncilMember,
    CouncilSession,
    Nomination,
)
from thidua.core.clock import now, today_local
from thidua.core.models import IssuedDocument
from thidua.core.services import action_log_record, document_number_take
from thidua.core.submissions import submission_claim, submission_done
from thidua.core.transitions import require, transition
from thidua.notifications.services import notify


def session_create(
    *,
    actor: User,
    council: Council,
    title: str,
    held_on: date,
    starts_at: time | None = None,
    place: str = "",
    quorum: tuple[int, int] | None = None,
) -> CouncilSession:
    """Schedule a session; every member gets an invitation (notice and mail with the link).
    The quorum is the rule set's in force on the meeting day unless given. Only Nội vụ of the
    council's body (rules.can_run_council_session)."""
    if not rules.can_run_council_session(actor, council):
        raise PermissionDenied
    quorum = quorum or quorum_in_force(held_on)
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
            users=members_users(session),
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
    if not rules.can_run_council_session(actor, council):
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
    `secret=False` where the rules allow an open vote (show of hands). Only Nội vụ of the
    council's body, and only dossiers of campaigns that body runs (rules.council_may_consider):
    a ward's council never takes the city's dossiers."""
    if not rules.can_run_council_session(actor, session):
        raise PermissionDenied
    to = Nomination.Status.IN_COUNCIL

    def refused(n: Nomination) -> str:
        return f"Hồ sơ “{n}” chưa được thẩm định đủ điều kiện."

    def has_rule(n: Nomination) -> None:
        if not rules.council_may_consider(session, n):
            raise ValidationError(
                f"Hồ sơ “{n}” thuộc phong trào do cơ quan khác tổ chức: "
                f"{session.council.name} không xét hồ sơ này."
            )
        if n.rule is None:
            raise ValidationError(refused(n))
        if not secret and n.rule.secret_ballot:
            raise ValidationError(
                f"Hồ sơ “{n}”: quy định khen thưởng yêu cầu bỏ phiếu kín, không biểu quyết giơ tay."
            )

    added = 0
    with transaction.atomic():
        for listed in Nomination.objects.filter(pk__in=[x.pk for x in nominations]):
            n = transition(
                listed,
                to=to,
                allowed_from=Nomination.TRANSITIONS[to],
                action="awards.nomination.in_council",
                actor=actor,
                refused=refused,
                done=lambda n: False,  # already in a council: refused, never put on twice
                check=has_rule,
                data={"session": session.pk},
            )
            for nominee in n.nominees.all():
                AgendaItem.objects.create(
                    session=session,
                    nominee=nominee,
                    position=session.items.count(),
                    threshold_percent=n.rule.threshold_percent,  # type: ignore[union-attr]
                    is_secret=secret,
                )
                added += 1
    return added


def _roll_call_locked(session: CouncilSession) -> CouncilSession:
    """The session's row, locked for the caller's transaction, while its roll call may still
    change: a session opened (or closed) meanwhile is refused on the locked row, so no mark is
    written after `session_open` counted the quorum. Call inside `transaction.atomic()`."""
    locked = CouncilSession.objects.select_for_update().get(pk=session.pk)
    if locked.status != CouncilSession.Status.PREPARING:
        raise ValidationError("Phiên họp đã bắt đầu: không sửa điểm danh.")
    return locked


def _mark(
    *, actor: User, session: CouncilSession, member: CouncilMember, presence: str, reason: str
) -> bool:
    """One member's mark on a locked session, logged when it changes; True when it did."""
    if presence not in dict(Attendance.marks()):
        raise ValidationError("Tình trạng dự họp không hợp lệ.")
    reason = "" if presence == Attendance.Presence.PRESENT else reason.strip()[:255]
    a = Attendance.objects.select_for_update().get(session=session, member=member)
    if (a.presence, a.reason) == (presence, reason):
        return False
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
    return True


def attendance_set(
    *,
    actor: User,
    session: CouncilSession,
    member: CouncilMember,
    presence: str,
    reason: str = "",
) -> None:
    """The secretary's roll call before the session opens, with the reason of an absence. A
    member is marked present, absent or absent with a written opinion, never back to "Chưa
    điểm danh"."""
    if not rules.can_run_council_session(actor, session):
        raise PermissionDenied
    if presence not in dict(Attendance.marks()):
        raise ValidationError("Tình trạng dự họp không hợp lệ.")
    with transaction.atomic():
        locked = _roll_call_locked(session)
        _mark(actor=actor, session=locked, member=member, presence=presence, reason=reason)


def counting_committee_set(
    *, actor: User, session: CouncilSession, roles: Mapping[int, str]
) -> None:
    """The counting committee (ban kiểm phiếu) elected from the present members: one head and
    any members. `roles` maps a member's id to "head", "member" or "" (not on the committee)."""
    if not rules.can_run_council_session(actor, session):
        raise PermissionDenied
    if any(role not in Attendance.Counting.values for role in roles.values()):
        raise ValidationError("Vai trò trong Ban kiểm phiếu không hợp lệ.")
    with transaction.atomic():
        # the state as it is now, not as the page saw it: a session closed meanwhile is refused
        locked = CouncilSession.objects.select_for_update().get(pk=session.pk)
        if locked.status == CouncilSession.Status.CLOSED:
            raise ValidationError("Phiên họp đã kết thúc.")
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


def roll_call_record(
    *,
    actor: User,
    session: CouncilSession,
    presences: Mapping[int, tuple[str, str]],
    roles: Mapping[int, str],
    all_present: bool = False,
) -> int:
    """The roll call form as one change: each member's presence and reason; with
    `all_present` ("Tất cả có mặt"), every member still "Chưa điểm danh" after that is marked
    present; then the counting committee among those present. All of it or nothing, each
    member's change logged as `attendance_set` logs it. Returns how many members "Tất cả có
    mặt" marked present.

    "Tất cả có mặt" marks only the unmarked: a member who sent a written opinion stays absent
    (they said so, and their opinion counts only while they are absent), and one marked absent,
    on the form or before, keeps that mark and its reason."""
    if not rules.can_run_council_session(actor, session):
        raise PermissionDenied
    members = {m.pk: m for m in CouncilMember.objects.filter(council_id=session.council_id)}
    marked = 0
    with transaction.atomic():
        locked = _roll_call_locked(session)
        for member_id, (presence, reason) in presences.items():
            if member_id in members:
                _mark(
                    actor=actor,
                    session=locked,
                    member=members[member_id],
                    presence=presence,
                    reason=reason,
                )
        if all_present:
            for a in locked.attendance.select_related("member").filter(
                presence=Attendance.Presence.UNMARKED
            ):
                _mark(
                    actor=actor,
                    session=locked,
                    member=a.member,
                    presence=Attendance.Presence.PRESENT,
                    reason="",
                )
                marked += 1
        counting_committee_set(actor=actor, session=locked, roles=roles)
    return marked


def session_open(*, actor: User, session: CouncilSession) -> CouncilSession:
    """Freeze the membership and check the quorum (present members against the whole council).
    The membership is the session's roll, made when it was scheduled and invited: the minutes
    list it, so a member added to the council afterwards counts in neither. Refused while any
    member is "Chưa điểm danh", naming them: the quorum and the minutes count as absent only
    members someone marked absent.

    The minutes and the decisions date the meeting by `held_on`. A session opened before the
    day it was scheduled for (brought forward) meets today: `held_on` becomes today and the log
    keeps the planned day. Opened after it, the day stays: a meeting recorded in the app after
    it was held on paper keeps its real date."""
    moved: dict[str, str] = {}

    def everyone_marked(s: CouncilSession) -> None:
        unmarked = [
            a.member.user.get_full_name()
            for a in s.attendance.filter(presence=Attendance.Presence.UNMARKED)
            .select_related("member__user")
            .order_by("member__pk")
        ]
        if unmarked:
            raise ValidationError(
                f"Chưa bắt đầu được phiên họp: còn {len(unmarked)} thành viên chưa điểm danh "
                f"({', '.join(unmarked)}). Đề nghị điểm danh đủ (có mặt, vắng hoặc vắng có ý "
                "kiến bằng văn bản) trước khi bắt đầu phiên họp."
            )

    def quorum(s: CouncilSession) -> dict[str, Any]:
        total = s.attendance.count()
        present = s.attendance.filter(presence=Attendance.Presence.PRESENT).count()
        if not (total > 0 and present * s.quorum_denominator >= s.quorum_numerator * total):
            raise ValidationError(
                f"Không đủ số thành viên dự họp: {present}/{total} có mặt, cần ít nhất "
                f"{s.quorum_numerator}/{s.quorum_denominator} tổng số thành viên."
            )
        held_on = min(s.held_on, today_local())
        if held_on != s.held_on:
            moved["scheduled_on"] = f"{s.held_on:%d/%m/%Y}"
        return {
            "members_total": total,
            "present_count": present,
            "quorum_met": True,
            "held_on": held_on,
        }

    to = CouncilSession.Status.OPEN
    return transition(
        session,
        to=to,
        allowed_from=CouncilSession.TRANSITIONS[to],
        action="awards.session.opened",
        actor=actor,
        refused="Phiên họp đã kết thúc.",
        related=("council",),
        permit=lambda s: require(rules.can_run_council_session(actor, s) or presides(actor, s)),
        check=everyone_marked,
        update=quorum,
        data=lambda s: {"present": s.present_count, "total": s.members_total} | moved,
        notify=lambda s: notify(
            users=members_users(s),
            title=f"Phiên họp đã bắt đầu: {s.title}",
            body=f"Có mặt {s.present_count}/{s.members_total} thành viên. Thành viên có mặt bỏ "
            "phiếu trên trang phiên họp khi Hội đồng mở bỏ phiếu từng trường hợp.",
            url=session_url(s),
        ),
    )


def session_close(*, actor: User, session: CouncilSession) -> CouncilSession:
    """The presiding member ends the session once every item is counted."""

    def all_counted(s: CouncilSession) -> None:
        if s.items.exclude(status=AgendaItem.Status.CLOSED).exists():
            raise ValidationError("Còn nội dung chưa kiểm phiếu.")

    to = CouncilSession.Status.CLOSED
    return transition(
        session,
        to=to,
        allowed_from=CouncilSession.TRANSITIONS[to],
        action="awards.session.closed",
        actor=actor,
        refused="Phiên họp chưa bắt đầu.",
        permit=lambda s: require(presides(actor, s)),
        check=all_counted,
        closed_at=lambda s: now(),
    )


def minutes_number(*, actor: User, session: CouncilSession) -> IssuedDocument:
    """Number the minutes from the council's own series ("05/BB-HĐTĐKT")."""
    if not rules.can_run_council_session(actor, session):
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
