from django.http import HttpRequest

from thidua.api import rules


def token_nav(request: HttpRequest) -> dict[str, bool]:
    """Whether the account menu links to the API token page (roles load once per request)."""
    user = getattr(request, "user", None)
    return {"can_manage_tokens": bool(user is not None and rules.can_manage_tokens(user))}
