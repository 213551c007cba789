from base64 import b64encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.core import get_usage, is_ratelimited

from thidua.accounts.forms import EnrolmentCodeForm, TOTPForm
from thidua.accounts.requests import request_user
from thidua.accounts.services import (
    totp_enrolment_in_progress,
    totp_enrolment_redeem,
    totp_secret_b32,
    totp_verify,
)
from thidua.core.http import too_many_requests

# Second-factor attempts (codes and enrolment codes) per account and per client address, on the
# shared cache; the device's own counter and lockout sit behind them (accounts.services).
TOTP_RATE_PER_ACCOUNT = "10/m"
TOTP_RATE_PER_IP = "30/m"
TOO_MANY = "Bạn đã thử quá nhiều lần. Vui lòng đợi một phút rồi thử lại."


# Password reset mails asked for anonymously: per client address and per mailbox, so nobody can
# flood an officer's mailbox (or the agency's mail quota) from the public form.
RESET_RATE_PER_IP = "10/h"
RESET_RATE_PER_EMAIL = "3/h"


class PasswordResetView(auth_views.PasswordResetView):
    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        mailbox = request.POST.get("email", "").strip().lower()
        per_ip = is_ratelimited(
            request, group="accounts-reset-ip", key="ip", rate=RESET_RATE_PER_IP, increment=True
        )
        per_mailbox = is_ratelimited(
            request,
            group="accounts-reset-email",
            key=lambda group, request: mailbox,
            rate=RESET_RATE_PER_EMAIL,
            increment=True,
        )
        if per_ip or per_mailbox:
            return too_many_requests(
                request, "Đã gửi quá nhiều yêu cầu đặt lại mật khẩu. Vui lòng thử lại sau.", 3600
            )
        return super().post(request, *args, **kwargs)


# Failed sign-ins per client address, whatever the username: password spraying (one guess for
# many accounts, each below axes' per-username limit) stops here even without the nginx sample's
# limit. Generous for an office behind one NAT; right passwords do not count.
LOGIN_FAILURES_PER_IP = "30/m"


def _login_failures(request: HttpRequest, *, increment: bool) -> int:
    usage = get_usage(
        request,
        group="accounts-login-ip",
        key="ip",
        rate=LOGIN_FAILURES_PER_IP,
        increment=increment,
    )
    return 0 if usage is None else int(usage["count"]) - int(usage["limit"])


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if _login_failures(request, increment=False) >= 0:
            return too_many_requests(
                request, "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng đợi một phút rồi thử lại."
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        _login_failures(self.request, increment=True)
        return super().form_invalid(form)


def _qr_data_uri(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + b64encode(buffer.getvalue()).decode()


def _next_url(request: HttpRequest) -> str:
    next_url = request.GET.get("next") or request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return "/"
    return next_url


def _too_many_attempts(request: HttpRequest) -> bool:
    """Counts every attempt against both budgets (no short-circuit)."""
    per_account = is_ratelimited(
        request, group="accounts-totp", key="user", rate=TOTP_RATE_PER_ACCOUNT, increment=True
    )
    per_ip = is_ratelimited(
        request, group="accounts-totp-ip", key="ip", rate=TOTP_RATE_PER_IP, increment=True
    )
    return bool(per_account or per_ip)


def _render(
    request: HttpRequest, template: str, context: dict[str, object], status: int
) -> HttpResponse:
    response = render(request, template, context, status=status)
    if status == 429:  # noqa: PLR2004 - Too Many Requests
        response["Retry-After"] = "60"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def totp_view(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the confirmed authenticator, or, in a session
    that has just redeemed an enrolment code, the QR code of the new one and its first code."""
    user = request_user(request)
    next_url = _next_url(request)
    enrolment = totp_enrolment_in_progress(request=request, user=user)
    if enrolment is None and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(f"{reverse('accounts:totp-enrol')}?{urlencode({'next': next_url})}")
    form = TOTPForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _too_many_attempts(request):
            form.is_valid()
            form.add_error(None, TOO_MANY)
            status = 429
        elif form.is_valid():
            try:
                totp_verify(request=request, user=user, token=form.cleaned_data["token"])
            except ValidationError as exc:
                form.add_error("token", exc)
            else:
                messages.success(request, "Đã xác thực hai lớp.")
                return redirect(next_url)
    context: dict[str, object] = {"form": form, "next": next_url, "enrolling": enrolment}
    if enrolment is not None and enrolment.device is not None:
        context["secret"] = totp_secret_b32(enrolment.device)
        context["qr_src"] = _qr_data_uri(enrolment.device.config_url)
    return _render(request, "accounts/totp.html", context, status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def totp_enrol_view(request: HttpRequest) -> HttpResponse:
    """Enter the one-time enrolment code an administrator issued; then set up the app."""
    user = request_user(request)
    next_url = _next_url(request)
    form = EnrolmentCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _too_many_attempts(request):
            form.is_valid()
            form.add_error(None, TOO_MANY)
            status = 429
        elif form.is_valid():
            try:
                totp_enrolment_redeem(request=request, user=user, code=form.cleaned_data["code"])
            except ValidationError as exc:
                form.add_error("code", exc)
            else:
                return redirect(f"{reverse('accounts:totp')}?{urlencode({'next': next_url})}")
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return _render(
        request,
        "accounts/totp_enrol.html",
        {"form": form, "next": next_url, "has_device": has_device},
        status,
    )
