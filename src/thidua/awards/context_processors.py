from django.http import HttpRequest

from thidua.accounts.models import Role
from thidua.organizations.rules import roles_of


def council_nav(request: HttpRequest) -> dict[str, bool]:
    """Whether the top navigation shows "Phiên họp" (roles load once per request). Members
    without the council role still reach their sessions from the invitation's link."""
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None else None
    return {
        "can_see_sessions": bool(
            roles and roles.has(Role.COUNCIL_MEMBER, Role.EMULATION_OFFICE, Role.SIGNER)
        ),
        # the reward fund's pages (awards/fund.py: Nội vụ and leaders of their issuer)
        "can_see_fund": bool(roles and roles.has(Role.EMULATION_OFFICE, Role.SIGNER)),
    }
