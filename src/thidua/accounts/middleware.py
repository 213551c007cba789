from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from thidua.core.clientip import client_ip, in_networks

# Before the second factor a session may only sign out or take the TOTP step (enrolment code
# included): not change the password, not enrol an app by password alone (issue 18, M1).
# Assets, probes and the public certificate check hold nothing of the account.
EXEMPT_PATHS = frozenset({"accounts:logout", "accounts:totp", "accounts:totp-enrol"})
EXEMPT_PREFIXES = (
    "/static/",
    "/healthz",
    "/readyz",
    "/metrics",
    "/xac-minh/",
)


def _exempt_paths() -> set[str]:
    return {reverse(name) for name in EXEMPT_PATHS}


class RequireTOTPMiddleware:
    """Every account is a staff account: once signed in, it must pass TOTP before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.THIDUA_TOTP_REQUIRED
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]  # set by OTPMiddleware
            and not request.path.startswith(EXEMPT_PREFIXES)
            and request.path not in _exempt_paths()
        ):
            return redirect(f"{reverse('accounts:totp')}?next={request.path}")
        return self.get_response(request)


class AdminAllowListMiddleware:
    """`/quan-tri/` (the Django admin) answers 404 outside THIDUA_ADMIN_ALLOWED_IPS when that
    list is set: the administration network or VPN only. Empty list: no restriction."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = settings.THIDUA_ADMIN_ALLOWED_IPS
        if (
            allowed
            and request.path.startswith(reverse("admin:index"))
            and not in_networks(client_ip(request), allowed)
        ):
            raise Http404
        return self.get_response(request)
