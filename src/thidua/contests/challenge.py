"""Anti-abuse on public registration: a self-hosted challenge and a per-round budget per address.

Challenge: a sum written in Vietnamese words. The hidden token carries only a random nonce,
signed with a timestamp (valid ten minutes); the two numbers are derived from the nonce with a
keyed hash (SECRET_KEY), so the token says nothing about the answer (issue 18, M6: it used to
carry the sum itself). A correct answer is usable once: the nonce is taken in the shared cache.
No server state per page view.

Budget: one client address (behind trusted proxies, the visitor's: core.clientip) registers at
most THIDUA_CONTEST_REGISTRATIONS_PER_ADDRESS people per round, counted in the shared cache
until the round closes. The per-minute rate limit stops bursts; the budget stops a slow script
that would fill a week-long round with invented contestants.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from thidua.contests.models import Contest, Round
from thidua.core.clientip import client_ip

WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
SALT = "thidua.contests.challenge"
MAX_AGE = 600


def _terms(nonce: str) -> tuple[int, int]:
    digest = salted_hmac(SALT, nonce).digest()
    return digest[0] % 9 + 1, digest[1] % 9 + 1


def _question(nonce: str) -> str:
    a, b = _terms(nonce)
    return f"{WORDS[a].capitalize()} cộng {WORDS[b]} bằng mấy? (nhập chữ số)"


def make() -> tuple[str, str]:
    """(question shown to the person, opaque signed token for the hidden field)."""
    nonce = secrets.token_urlsafe(12)
    return _question(nonce), signing.TimestampSigner(salt=SALT).sign(nonce)


def question_for(token: str) -> str | None:
    """The question a still-valid token stands for (to show it again), else None."""
    try:
        nonce = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return _question(nonce)


def check(token: str, answer: str) -> bool:
    try:
        nonce = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE)
    except signing.BadSignature:
        return False
    if answer.strip() != str(sum(_terms(nonce))):
        return False
    return bool(cache.add(f"contest-challenge:{nonce}", 1, MAX_AGE))


# --- Per-round budget per client address ---------------------------------------------------


def budget() -> int:
    return int(getattr(settings, "THIDUA_CONTEST_REGISTRATIONS_PER_ADDRESS", 200))


def _round_for(contest: Contest, now: datetime) -> Round | None:
    """The round registrations count towards: the one open now, else the next, else the last."""
    rounds = list(contest.rounds.order_by("opens_at").only("pk", "opens_at", "closes_at"))
    for r in rounds:
        if r.closes_at > now:
            return r
    return rounds[-1] if rounds else None


def _budget_key(request: HttpRequest, contest: Contest, round_: Round | None) -> str:
    scope = f"r{round_.pk}" if round_ is not None else f"c{contest.pk}"
    return f"contest-register-budget:{scope}:{client_ip(request)}"


def budget_left(request: HttpRequest, contest: Contest, now: datetime) -> int:
    key = _budget_key(request, contest, _round_for(contest, now))
    return max(0, budget() - int(cache.get(key, 0)))


def budget_spend(request: HttpRequest, contest: Contest, now: datetime) -> None:
    """Count one registration from this address against the round."""
    round_ = _round_for(contest, now)
    key = _budget_key(request, contest, round_)
    ends = round_.closes_at if round_ is not None and round_.closes_at > now else now
    timeout = int((ends - now + timedelta(days=1)).total_seconds())
    if not cache.add(key, 1, timeout):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout)


def budget_message() -> str:
    return (
        f"Từ địa chỉ mạng này đã có {budget()} người đăng ký dự thi trong vòng thi này, là mức "
        "tối đa cho một địa chỉ. Nếu cơ quan, trường học của bạn dùng chung một đường mạng, hãy "
        "liên hệ Ban tổ chức cuộc thi để được hỗ trợ đăng ký."
    )
