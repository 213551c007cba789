"""Who sits on a session's council, in what role, and who presides over the session."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied

from thidua.accounts.models import User
from thidua.awards.models import Attendance, CouncilMember, CouncilSession

ROLE = CouncilMember.CouncilRole


def member_of(actor: User, session: CouncilSession) -> CouncilMember:
    member = CouncilMember.objects.filter(council_id=session.council_id, user=actor).first()
    if member is None:
        raise PermissionDenied
    return member


def presiding_member(
    session: CouncilSession, attendance: Iterable[Attendance] | None = None
) -> CouncilMember | None:
    """Who presides over the session (chủ trì): the chair if present at the roll call, else
    the first present vice-chair in the council's order (its members as added); None when
    neither is present. The session's roll decides, so a member who joined the council after
    the invitations never presides. Pages that have loaded the roll (with its members) pass
    it as `attendance` and spend no query."""
    if attendance is None:
        attendance = Attendance.objects.filter(
            session_id=session.pk, member__role__in=[ROLE.CHAIR, ROLE.VICE_CHAIR]
        ).select_related("member__user")
    present = sorted(
        (
            a.member
            for a in attendance
            if a.presence == Attendance.Presence.PRESENT
            and a.member.role in {ROLE.CHAIR, ROLE.VICE_CHAIR}
        ),
        key=lambda m: m.pk,
    )
    return next((m for m in present if m.role == ROLE.CHAIR), None) or next(iter(present), None)


def presides(
    actor: User, session: CouncilSession, attendance: Iterable[Attendance] | None = None
) -> bool:
    """Whether the actor presides over the session: what only the chair does (opening it,
    opening and closing a vote, closing the session) falls to the vice-chair when the chair
    is absent."""
    member = presiding_member(session, attendance)
    return member is not None and member.user_id == actor.pk


def members_users(session: CouncilSession) -> list[User]:
    return [m.user for m in CouncilMember.objects.filter(council_id=session.council_id)]
