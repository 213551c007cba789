from base64 import b64encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.accounts.forms import TOTPForm
from thidua.accounts.requests import request_user
from thidua.accounts.services import totp_device_for_setup, totp_secret_b32, totp_verify


def _qr_data_uri(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + b64encode(buffer.getvalue()).decode()


@login_required
def totp_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    next_url = request.GET.get("next") or request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    form = TOTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            totp_verify(request=request, user=user, token=form.cleaned_data["token"])
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            messages.success(request, "Đã xác thực hai lớp.")
            return redirect(next_url)
    context: dict[str, object] = {"form": form, "next": next_url, "has_device": has_device}
    if not has_device:
        device = totp_device_for_setup(user=user)
        context["secret"] = totp_secret_b32(device)
        context["qr_src"] = _qr_data_uri(device.config_url)
    return render(request, "accounts/totp.html", context)
