"""A self-hosted challenge on registration: a sum written in Vietnamese words, signed by the
server, valid ten minutes and usable once (the nonce is taken in the shared cache)."""

import secrets

from django.core import signing
from django.core.cache import cache

WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
SALT = "thidua.contests.challenge"
MAX_AGE = 600


def make() -> tuple[str, str]:
    """(question shown to the person, signed token for the hidden field)."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"s": a + b, "n": secrets.token_hex(8)}, salt=SALT)
    return f"{WORDS[a].capitalize()} cộng {WORDS[b]} bằng mấy? (nhập chữ số)", token


def check(token: str, answer: str) -> bool:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return False
    if answer.strip() != str(data.get("s")):
        return False
    return bool(cache.add(f"contest-challenge:{data.get('n')}", 1, MAX_AGE))
