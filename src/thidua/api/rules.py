"""Who may issue and revoke integration tokens."""

from thidua.organizations.rules import AnyUser, can_manage_users


def can_manage_tokens(user: AnyUser) -> bool:
    return can_manage_users(user)
