"""Issue 18, L12: password guessing spread over many addresses locks the account."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import verified_client
from thidua.accounts.lockout import ACCOUNT_FAILURE_LIMIT, account_locked_until
from thidua.accounts.models import Role
from thidua.core.models import ActionLog

pytestmark = pytest.mark.django_db
PASSWORD = "Mat-khau-dai-12"
LOGIN = reverse("accounts:login")


def attempt(username: str, password: str, ip: str, **extra):
    return Client(REMOTE_ADDR=ip, **extra).post(LOGIN, {"username": username, "password": password})


def test_guessing_from_many_addresses_locks_the_account_then_backs_off_slower(make_user):
    """Before: 5 failures per username and address, so 4 guesses from each of many addresses
    never locked anything. Now 20 failures from anywhere lock the username for an hour (the right
    password included), then 2 hours after the next 20, and so on."""
    user = make_user(Role.UNIT_OFFICER)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        statuses = [
            attempt(user.username, f"doan-sai-{n}", f"203.0.113.{n}").status_code
            for n in range(1, ACCOUNT_FAILURE_LIMIT + 1)
        ]  # one guess from each of 20 addresses: none reaches the per-address limit of 5
        assert statuses[:-1] == [200] * (ACCOUNT_FAILURE_LIMIT - 1)
        assert statuses[-1] == 429
        response = attempt(
            user.username, PASSWORD, "198.51.100.1"
        )  # a fresh address, right password
        assert response.status_code == 429
        page = response.content.decode()
        assert "từ nhiều nơi khác nhau" in page
        until = timezone.localtime(start + timedelta(hours=1))
        assert f"{until:%H:%M} ngày {until:%d/%m/%Y}" in page
        # The attack goes on while locked: those failures count (as did the refused right
        # password), and the next lock is longer.
        clock.shift(timedelta(minutes=30))
        for n in range(ACCOUNT_FAILURE_LIMIT - 1):
            attempt(user.username, "doan-tiep", f"192.0.2.{n + 1}")
        assert account_locked_until(user.username) == start + timedelta(minutes=30, hours=2)
        clock.shift(timedelta(hours=2, minutes=1))
        response = attempt(user.username, PASSWORD, "198.51.100.1")
        assert response.status_code == 302  # the lock ended; the right password works again
    # A successful sign-in starts the count again.
    assert account_locked_until(user.username) is None
    assert attempt(user.username, "sai-mot-lan", "203.0.113.9").status_code == 200


def test_an_unknown_username_is_locked_the_same_way():
    """Nothing tells a guesser whether the account exists."""
    for n in range(ACCOUNT_FAILURE_LIMIT):
        response = attempt("khong-ton-tai", "x" * 12, f"203.0.113.{n + 1}")
    assert response.status_code == 429


def test_addresses_behind_a_trusted_proxy_are_the_visitors(make_user, settings):
    """axes keys on the client address behind the proxy: one address's five failures do not
    lock out another visitor who comes through the same proxy."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    user = make_user(Role.UNIT_OFFICER)
    for _ in range(5):
        response = attempt(user.username, "sai", "10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert response.status_code == 429
    ok = attempt(user.username, PASSWORD, "10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert ok.status_code == 302


def test_an_administrator_sees_the_lock_and_lifts_it(make_user):
    user = make_user(Role.UNIT_OFFICER)
    for n in range(ACCOUNT_FAILURE_LIMIT):
        attempt(user.username, "sai", f"203.0.113.{n % 4 + 1}")  # 5 from each of 4 addresses
    admin = verified_client(make_user(Role.SYSTEM_ADMIN))
    detail = admin.get(reverse("organizations:user-detail", kwargs={"pk": user.pk}))
    assert "đang tạm khóa đến" in detail.content.decode()
    assert f"{ACCOUNT_FAILURE_LIMIT} lần sai mật khẩu từ nhiều nơi" in detail.content.decode()
    response = admin.post(reverse("organizations:user-login-unlock", kwargs={"pk": user.pk}))
    assert response.status_code == 302
    assert ActionLog.objects.filter(action="accounts.login.unlocked").count() == 1
    assert attempt(user.username, PASSWORD, "203.0.113.1").status_code == 302
    officer = verified_client(make_user(Role.UNIT_OFFICER))
    url = reverse("organizations:user-login-unlock", kwargs={"pk": user.pk})
    assert officer.post(url).status_code in {403, 404}
