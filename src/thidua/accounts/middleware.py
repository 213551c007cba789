from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Sign-in pages, assets, probes and the public pages (certificate check).
EXEMPT_PREFIXES = (
    "/tai-khoan/",
    "/static/",
    "/healthz",
    "/readyz",
    "/metrics",
    "/xac-minh/",
)


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
        ):
            return redirect(f"{reverse('accounts:totp')}?next={request.path}")
        return self.get_response(request)
