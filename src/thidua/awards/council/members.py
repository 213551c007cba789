"""Who sits on a session's council, and in what role."""

from django.core.exceptions import PermissionDenied

from thidua.accounts.models import User
from thidua.awards.models import CouncilMember, CouncilSession


def member_of(actor: User, session: CouncilSession) -> CouncilMember:
    member = CouncilMember.objects.filter(council_id=session.council_id, user=actor).first()
    if member is None:
        raise PermissionDenied
    return member


def is_chair(actor: User, session: CouncilSession) -> bool:
    return CouncilMember.objects.filter(
        council_id=session.council_id, user=actor, role=CouncilMember.CouncilRole.CHAIR
    ).exists()


def members_users(session: CouncilSession) -> list[User]:
    return [m.user for m in CouncilMember.objects.filter(council_id=session.council_id)]
