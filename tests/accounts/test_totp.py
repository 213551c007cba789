"""Issue 18, H1 (TOTP guesses were unlimited) and M1 (a password alone enrolled an
authenticator and changed the password)."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import verified_client
from thidua.accounts import services
from thidua.accounts.models import Role, TOTPEnrolment
from thidua.core.models import ActionLog
from thidua.organizations.services import user_totp_enrolment_issue

pytestmark = pytest.mark.django_db
PASSWORD = "Mat-khau-dai-12"
TOTP_URL = reverse("accounts:totp")
ENROL_URL = reverse("accounts:totp-enrol")


def password_login(client: Client, user) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def code_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    """A code outside the accepted window (now ± one step)."""
    valid = set()
    for shift in (-1, 0, 1):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time() + shift * device.step
        valid.add(f"{totp.token():06d}")
    return next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in valid)


def actions(user, prefix: str = "accounts.totp") -> list[str]:
    return list(
        ActionLog.objects.filter(target_type__model="user", target_id=str(user.pk))
        .filter(action__startswith=prefix)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def is_verified(client: Client) -> bool:
    response = client.get(reverse("notifications:notice-list"))
    return response.status_code == 200


@pytest.fixture
def enrolled(make_user):
    user = make_user(Role.UNIT_OFFICER)
    TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)
    return user


# --- H1: guessing the second factor -----------------------------------------------------------


def test_wrong_codes_are_counted_throttled_logged_then_locked_even_for_the_right_code(
    client, enrolled
):
    """Before: 612 wrong codes in 20 s all answered 200, the counter stayed 0 (rolled back with
    the ValidationError), the right code still worked and nothing was logged."""
    device = TOTPDevice.objects.get(user=enrolled)
    password_login(client, enrolled)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        response = client.post(TOTP_URL, {"token": wrong_code(device)})
        assert response.status_code == 200
        assert "Còn 4 lần thử" in response.content.decode()
        device.refresh_from_db()
        assert device.throttling_failure_count == 1  # committed although the attempt failed
        # At once again: django-otp's back-off refuses without checking (nor counting) the code.
        response = client.post(TOTP_URL, {"token": code_now(device)})
        assert "Vui lòng đợi" in response.content.decode()
        device.refresh_from_db()
        assert device.throttling_failure_count == 1
        for failures in range(2, 6):
            clock.shift(2 ** (failures - 2) + 1)  # wait out the back-off: 1, 2, 4, 8 s
            response = client.post(TOTP_URL, {"token": wrong_code(device)})
            device.refresh_from_db()
            assert device.throttling_failure_count == failures
        page = response.content.decode()
        assert "nhập sai mã xác thực 5 lần liên tiếp" in page
        assert "tạm khóa đến" in page
        # Locked: the right code is refused too, and the session stays unverified.
        clock.shift(60)
        response = client.post(TOTP_URL, {"token": code_now(device)})
        assert "tạm khóa đến" in response.content.decode()
        assert not is_verified(client)
        device.refresh_from_db()
        assert device.throttling_failure_count == 5
        assert actions(enrolled) == [
            "accounts.totp.failed",
            "accounts.totp.refused",  # the back-off
            "accounts.totp.failed",
            "accounts.totp.failed",
            "accounts.totp.failed",
            "accounts.totp.failed",
            "accounts.totp.locked",
            "accounts.totp.refused",  # the right code, while locked
        ]
        failed = ActionLog.objects.filter(action="accounts.totp.failed").order_by("pk").last()
        assert failed.data == {"failures": 5, "ip": "127.0.0.1"}
        assert failed.actor == enrolled
        # After the lockout (15 minutes from the last failure) the right code works again.
        clock.shift(15 * 60)
        response = client.post(TOTP_URL, {"token": code_now(device)})
        assert response.status_code == 302
        assert is_verified(client)
        device.refresh_from_db()
        assert device.throttling_failure_count == 0


def test_the_endpoint_is_rate_limited_per_account(client, enrolled):
    password_login(client, enrolled)
    device = TOTPDevice.objects.get(user=enrolled)
    with time_machine.travel(timezone.now().replace(second=1), tick=False):  # one window
        statuses = [
            client.post(TOTP_URL, {"token": wrong_code(device)}).status_code for _ in range(11)
        ]
        assert statuses == [200] * 10 + [429]
        response = client.post(TOTP_URL, {"token": code_now(device)})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "thử quá nhiều lần" in response.content.decode()


def test_the_endpoint_is_rate_limited_per_client_address(make_user, settings):
    """Thirty attempts a minute from one address, across accounts; behind a trusted proxy the
    address is the visitor's, so one office does not use up another's budget."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    users = [make_user(Role.UNIT_OFFICER) for _ in range(4)]
    statuses = []
    # Inside one rate-limit window whatever the machine's speed (the windows follow the clock).
    with time_machine.travel(timezone.now().replace(second=1), tick=False):
        for user in users:
            TOTPDevice.objects.create(user=user, name="x", confirmed=True)
            client = Client(HTTP_X_FORWARDED_FOR="198.51.100.7")
            password_login(client, user)
            statuses += [client.post(TOTP_URL, {"token": "12345x"}).status_code for _ in range(8)]
        assert statuses.count(429) == 2  # the 31st and 32nd attempt from 198.51.100.7
        other = make_user(Role.UNIT_OFFICER)
        TOTPDevice.objects.create(user=other, name="x", confirmed=True)
        client = Client(HTTP_X_FORWARDED_FOR="203.0.113.20")
        password_login(client, other)
        assert client.post(TOTP_URL, {"token": "12345x"}).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_are_checked_one_at_a_time(make_user):
    """Twelve guesses at the same instant: the device row is locked, so one is checked and
    counted and the rest meet the back-off; none slips through uncounted."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL in CI")
    user = make_user(Role.UNIT_OFFICER)
    device = TOTPDevice.objects.create(user=user, name="x", confirmed=True)
    guess = wrong_code(device)
    barrier = threading.Barrier(12)
    refused: list[str] = []

    def attempt() -> None:
        request = RequestFactory().post(TOTP_URL)
        request.session = SessionStore()
        request.user = user
        try:
            barrier.wait()
            services.totp_verify(request=request, user=user, token=guess)
        except ValidationError as exc:
            refused.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    device.refresh_from_db()
    assert len(refused) == 12
    assert device.throttling_failure_count == 1
    assert actions(user).count("accounts.totp.failed") == 1
    assert actions(user).count("accounts.totp.refused") == 11


# --- M1: nothing but the TOTP step before the second factor ----------------------------------


def test_a_password_only_session_cannot_change_the_password(client, enrolled):
    password_login(client, enrolled)
    url = reverse("accounts:password-change")
    assert client.get(url).status_code == 302
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Hoa-Sen@2024-x",
            "new_password2": "Hoa-Sen@2024-x",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(TOTP_URL)
    enrolled.refresh_from_db()
    assert enrolled.check_password(PASSWORD)
    for name in ("accounts:password-reset", "accounts:password-reset-done"):
        assert client.get(reverse(name)).status_code == 302
    # Sign-out stays open.
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_a_password_alone_cannot_enrol_an_authenticator(client, make_user):
    """Before: the TOTP page of an account without a device showed a fresh QR code, so whoever
    knew the password enrolled their own phone."""
    user = make_user(Role.EMULATION_OFFICE)
    password_login(client, user)
    response = client.get(reverse("organizations:unit-tree"))
    assert response["Location"].startswith(TOTP_URL)
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL_URL)
    page = client.get(response["Location"]).content.decode()
    assert "mã kích hoạt" in page
    assert "Quét mã QR" not in page
    assert not TOTPDevice.objects.filter(user=user).exists()
    # Guessing a code does not help, and is logged.
    response = client.post(ENROL_URL, {"code": "AAAA-BBBB-CCCC"})
    assert "Mã kích hoạt không đúng" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert actions(user) == ["accounts.totp.enrolment_failed"]
    # Nor does posting a code straight to the TOTP step.
    response = client.post(TOTP_URL, {"token": "123456"})
    assert response["Location"].startswith(ENROL_URL)
    assert not is_verified(client)


def test_an_administrator_issues_a_code_shown_once_and_the_officer_enrols(client, make_user):
    admin = verified_client(make_user(Role.SYSTEM_ADMIN))
    officer = make_user(Role.UNIT_OFFICER)
    detail = admin.get(reverse("organizations:user-detail", kwargs={"pk": officer.pk}))
    assert "Chưa kích hoạt ứng dụng xác thực" in detail.content.decode()
    url = reverse("organizations:user-totp-enrolment", kwargs={"pk": officer.pk})
    page = admin.post(url)
    assert page.status_code == 200
    assert "no-cache" in page["Cache-Control"]
    code = page.context["code"]
    assert code in page.content.decode()
    enrolment = TOTPEnrolment.objects.get(user=officer)
    assert code not in str(TOTPEnrolment.objects.filter(pk=enrolment.pk).values().get())
    assert actions(officer) == ["accounts.totp.enrolment_issued"]
    detail = admin.get(reverse("organizations:user-detail", kwargs={"pk": officer.pk}))
    assert code not in detail.content.decode()
    assert "Có mã kích hoạt cấp lúc" in detail.content.decode()

    password_login(client, officer)
    response = client.post(f"{ENROL_URL}?next=/don-vi/", {"code": code.lower().replace("-", " ")})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Quét mã QR" in page
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    done = client.post(f"{TOTP_URL}?next=/don-vi/", {"token": code_now(device)})
    assert done["Location"] == "/don-vi/"
    assert is_verified(client)
    device.refresh_from_db()
    assert device.confirmed
    assert actions(officer) == [
        "accounts.totp.enrolment_issued",
        "accounts.totp.enrolment_redeemed",
        "accounts.totp.confirmed",
    ]
    # Single use: the same code does nothing in another session.
    other = Client()
    password_login(other, officer)
    response = other.post(ENROL_URL, {"code": code})
    assert "Mã kích hoạt không đúng, đã dùng" in response.content.decode()
    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_codes_expire_and_a_new_code_revokes_the_old(client, make_user):
    officer = make_user(Role.UNIT_OFFICER)
    _, first = services.totp_enrolment_create(actor=None, user=officer)
    _, second = services.totp_enrolment_create(actor=None, user=officer)
    password_login(client, officer)
    response = client.post(ENROL_URL, {"code": first})
    assert "đã bị thu hồi" in response.content.decode()
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        password_login(client, officer)  # the 8-hour session has ended meanwhile
        response = client.post(ENROL_URL, {"code": second})
        assert "đã hết hạn" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_the_set_up_window_closes_after_an_hour(client, make_user):
    officer = make_user(Role.UNIT_OFFICER)
    _, code = services.totp_enrolment_create(actor=None, user=officer)
    password_login(client, officer)
    client.post(ENROL_URL, {"code": code})
    device = TOTPDevice.objects.get(user=officer)
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        response = client.post(TOTP_URL, {"token": code_now(device)})
        assert response["Location"].startswith(ENROL_URL)
        assert not is_verified(client)
    device.refresh_from_db()
    assert not device.confirmed


def test_a_new_phone_replaces_the_lost_one(client, enrolled, make_user):
    old = TOTPDevice.objects.get(user=enrolled)
    _, code = user_totp_enrolment_issue(actor=make_user(Role.SYSTEM_ADMIN), user=enrolled)
    password_login(client, enrolled)
    assert "Mất điện thoại" in client.get(TOTP_URL).content.decode()
    client.post(ENROL_URL, {"code": code})
    new = TOTPDevice.objects.get(user=enrolled, confirmed=False)
    # While enrolling, only the new device counts: the old phone's code is refused.
    response = client.post(TOTP_URL, {"token": code_now(old)})
    assert response.status_code == 200
    assert not is_verified(client)
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        assert client.post(TOTP_URL, {"token": code_now(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=enrolled)) == [new]
    assert ActionLog.objects.get(action="accounts.totp.confirmed").data["replaced"] == 1


def test_only_another_administrator_may_issue(make_user):
    admin = make_user(Role.SYSTEM_ADMIN)
    with pytest.raises(PermissionDenied):
        user_totp_enrolment_issue(actor=admin, user=admin)
    with pytest.raises(PermissionDenied):
        user_totp_enrolment_issue(actor=make_user(Role.EMULATION_OFFICE), user=make_user())
    officer_client = verified_client(make_user(Role.UNIT_OFFICER))
    url = reverse("organizations:user-totp-enrolment", kwargs={"pk": admin.pk})
    assert officer_client.post(url).status_code == 403
    assert not TOTPEnrolment.objects.exists()


def test_the_code_can_go_to_the_mailbox_instead(make_user):
    admin = verified_client(make_user(Role.SYSTEM_ADMIN))
    officer = make_user(Role.UNIT_OFFICER)
    url = reverse("organizations:user-totp-enrolment", kwargs={"pk": officer.pk})
    response = admin.post(url, {"by_mail": "1"}, follow=True)
    assert f"Đã gửi mã kích hoạt tới {officer.email}" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [officer.email]
    assert "Mã kích hoạt" in message.subject
    code = next(line.strip() for line in message.body.splitlines() if line.startswith("    "))
    assert code not in response.content.decode()
    client = Client()
    password_login(client, officer)
    assert client.post(ENROL_URL, {"code": code}).status_code == 302
    assert TOTPEnrolment.objects.get(user=officer).sent_to == officer.email


def test_the_installer_issues_the_first_administrators_code(make_user, capsys):
    admin = make_user(Role.SYSTEM_ADMIN)
    call_command("totp_enrolment_issue", admin.username)
    code = capsys.readouterr().out.strip()
    client = Client()
    password_login(client, admin)
    assert client.post(ENROL_URL, {"code": code}).status_code == 302
    assert ActionLog.objects.get(action="accounts.totp.enrolment_issued").actor is None


def test_a_code_revoked_because_its_mail_failed_is_in_the_action_log(make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    admin, officer = make_user(Role.SYSTEM_ADMIN), make_user(Role.UNIT_OFFICER)
    with pytest.raises(ValidationError, match="mã vừa cấp đã bị thu hồi"):
        user_totp_enrolment_issue(actor=admin, user=officer, by_mail=True)
    enrolment = TOTPEnrolment.objects.get(user=officer)
    assert enrolment.revoked_at is not None
    revoked = ActionLog.objects.get(action="accounts.totp.enrolment_revoked")
    assert revoked.actor == admin
    assert revoked.data == {"enrolment": enrolment.pk, "reason": "mail_failed"}
