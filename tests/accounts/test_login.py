from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import one_rate_window
from thidua.accounts.models import Role
from thidua.accounts.services import totp_enrolment_create

pytestmark = pytest.mark.django_db
PASSWORD = "Mat-khau-dai-12"


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_five_failures_lock_even_the_right_password_until_cool_off(client, make_user):
    user = make_user(Role.UNIT_OFFICER)
    for _ in range(4):
        assert login(client, user.username, "sai-mat-khau").status_code == 200
    assert (
        login(client, user.username, "sai-mat-khau").status_code == 429
    )  # the fifth failure locks
    response = login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "tạm khóa" in response.content.decode()
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = login(client, user.username, PASSWORD)
    assert response.status_code == 302


def test_staff_must_set_up_totp_before_any_page(client, make_user):
    user = make_user(Role.EMULATION_OFFICE)
    _, code = totp_enrolment_create(actor=None, user=user)  # as an administrator would
    response = login(client, user.username, PASSWORD)
    assert response.status_code == 302
    response = client.get(reverse("organizations:unit-tree"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:totp"))
    # No authenticator yet: the enrolment code first, then the QR code and a first good code.
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("accounts:totp-enrol"))
    response = client.post(response["Location"], {"code": code})
    page = client.get(response["Location"])
    assert "Quét mã QR" in page.content.decode()
    device = TOTPDevice.objects.get(user=user)
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    wrong = client.post(reverse("accounts:totp"), {"token": "000000" if token != 0 else "111111"})
    assert "không đúng" in wrong.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):  # the 1 s back-off
        token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        done = client.post(reverse("accounts:totp") + "?next=/don-vi/", {"token": f"{token:06d}"})
        assert done.status_code == 302
        assert done["Location"] == "/don-vi/"
        assert client.get(reverse("organizations:unit-tree")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_demo_setting_turns_totp_off(client, make_user, settings):
    settings.THIDUA_TOTP_REQUIRED = False
    user = make_user(Role.EMULATION_OFFICE)
    login(client, user.username, PASSWORD)
    assert client.get(reverse("organizations:unit-tree")).status_code == 200


def test_password_reset_sends_a_vietnamese_mail(client, make_user):
    user = make_user(Role.UNIT_OFFICER)
    response = client.post(reverse("accounts:password-reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Đặt lại mật khẩu" in mail.outbox[0].subject
    assert "/tai-khoan/dat-lai-mat-khau/" in mail.outbox[0].body


def test_password_reset_mail_cannot_be_flooded(make_user):
    """The form is anonymous: a script must not fill an officer's mailbox with reset mails,
    from one address or from many."""
    user = make_user(Role.UNIT_OFFICER)
    url = reverse("accounts:password-reset")
    with one_rate_window():
        statuses = [
            Client(REMOTE_ADDR=f"203.0.113.{i}").post(url, {"email": user.email}).status_code
            for i in range(1, 6)
        ]
        assert statuses == [302, 302, 302, 429, 429]
        assert len(mail.outbox) == 3
        one_address = Client(REMOTE_ADDR="198.51.100.7")
        statuses = [
            one_address.post(url, {"email": f"khong-co-{i}@example.vn"}).status_code
            for i in range(11)
        ]
        assert statuses == [302] * 10 + [429]
        assert (
            "quá nhiều yêu cầu đặt lại mật khẩu"
            in one_address.post(url, {"email": "khac@example.vn"}).content.decode()
        )
    assert len(mail.outbox) == 3


def test_password_spraying_from_one_address_is_stopped_in_the_app(make_user):
    """Failures across many usernames from one address (each below axes' per-username limit)
    stop at 30 a minute; right passwords from the same office (one NAT) do not count, other
    addresses are not touched."""
    user = make_user(Role.UNIT_OFFICER)
    office = Client(REMOTE_ADDR="198.51.100.7")
    with one_rate_window():
        statuses = [login(office, f"can-bo-{i}", "Sen-Vang@2022").status_code for i in range(29)]
        for _ in range(3):
            colleague = Client(REMOTE_ADDR="198.51.100.7")
            assert login(colleague, user.username, PASSWORD).status_code == 302
        statuses.append(login(office, "can-bo-29", "Sen-Vang@2022").status_code)
        assert statuses == [200] * 30
        refused = login(office, user.username, PASSWORD)
        assert refused.status_code == 429
        assert refused["Retry-After"] == "60"
        assert "đăng nhập sai quá nhiều lần" in refused.content.decode()
        assert "_auth_user_id" not in office.session
        assert login(Client(REMOTE_ADDR="203.0.113.9"), user.username, PASSWORD).status_code == 302
