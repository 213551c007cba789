"""Password lockout: django-axes' lockout per username and address (5 failures, 15 minutes), and
on top of it a lockout per username across addresses, so that guessing spread over many
addresses (a botnet, a city behind one proxy) still locks the account (issue 18, L12).

The account-wide rule counts the failures axes keeps in `AccessFailureLog` since the last
successful sign-in (or an administrator's unlock), within the last day. `ACCOUNT_FAILURE_LIMIT`
of them lock the username for an hour from the latest failure; each further block of that many
doubles it (1, 2, 4, 8, 16 hours). Failures while locked are counted too, so an attack that goes
on keeps the account shut.
"""

from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog, AccessLog
from axes.utils import reset as axes_reset
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from thidua.accounts.models import User
from thidua.core.models import ActionLog
from thidua.core.services import action_log_record

ACCOUNT_FAILURE_LIMIT = 20
ACCOUNT_COOLOFF = timedelta(hours=1)
ACCOUNT_MAX_DOUBLINGS = 4  # at most 16 hours
ACCOUNT_WINDOW = timedelta(days=1)
UNLOCK_ACTION = "accounts.login.unlocked"


def _last_reset(username: str) -> datetime | None:
    """The last successful sign-in or administrator's unlock of this username."""
    signed_in = AccessLog.objects.filter(username=username).aggregate(at=Max("attempt_time"))["at"]
    unlocked = (
        ActionLog.objects.filter(action=UNLOCK_ACTION, data__username=username)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    moments = [m for m in (signed_in, unlocked) if m is not None]
    return max(moments) if moments else None


def account_failures(username: str, now: datetime | None = None) -> list[datetime]:
    """Times of the failures that count towards the account-wide lockout, latest first."""
    now = now or timezone.now()
    since = now - ACCOUNT_WINDOW
    reset = _last_reset(username)
    if reset is not None and reset > since:
        since = reset
    cap = ACCOUNT_FAILURE_LIMIT * (ACCOUNT_MAX_DOUBLINGS + 1)
    return list(
        AccessFailureLog.objects.filter(username=username, attempt_time__gt=since)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)[:cap]
    )


def account_locked_until(username: str | None, now: datetime | None = None) -> datetime | None:
    """When the account-wide lockout of `username` ends, or None when it is not locked."""
    if not username:
        return None
    now = now or timezone.now()
    failures = account_failures(username, now)
    if len(failures) < ACCOUNT_FAILURE_LIMIT:
        return None
    doublings = min(len(failures) // ACCOUNT_FAILURE_LIMIT - 1, ACCOUNT_MAX_DOUBLINGS)
    until = failures[0] + ACCOUNT_COOLOFF * 2**doublings
    return until if until > now else None


def login_lock_status(user: User) -> tuple[datetime | None, int]:
    """(end of the account-wide lockout or None, failures counted towards it) for the user page."""
    return account_locked_until(user.username), len(account_failures(user.username))


def account_unlock(*, actor: User | None, user: User) -> None:
    """Lift both password lockouts of `user` (after an administrator checked who was trying).
    The failures stay on record; the unlock is logged and the count starts again from it."""
    with transaction.atomic():
        action_log_record(
            actor=actor, action=UNLOCK_ACTION, target=user, data={"username": user.username}
        )
        axes_reset(username=user.username)  # the per-address attempts (rows axes deletes anyway)


class AccountLockoutHandler(AxesDatabaseHandler):
    """axes' database handler (username + address) plus the account-wide rule above."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return account_locked_until(get_client_username(request, credentials)) is not None

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None:
            return
        until = account_locked_until(get_client_username(request, credentials))
        if until is not None:
            request.thidua_account_locked_until = until  # type: ignore[attr-defined]
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The lockout page (429): which lock, and until when."""
    until = getattr(request, "thidua_account_locked_until", None)
    return render(
        request,
        "accounts/locked_out.html",
        {"account_until": until, "client_minutes": 15},
        status=429,
    )
