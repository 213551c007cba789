from django.http import HttpRequest

from thidua.contests import rules


def contest_nav(request: HttpRequest) -> dict[str, bool]:
    """Whether the top navigation shows the contest organiser's menu (roles load once)."""
    user = getattr(request, "user", None)
    return {"can_run_contests": bool(user is not None and rules.can_create_contest(user))}
