"""Versions of what cached fragments show, and the fragments themselves.

A version is a random token in the shared cache (`default`: Redis in production). A service
that changes what a fragment shows calls `bump(name)`; a new token is written at once and again
when its transaction commits, so old data cached meanwhile is never read. A token that is
missing (evicted, Redis restarted) is replaced by a fresh one, never by an old value, so a lost
version can only cost a miss. Fragments (`{% fragment %}` in core/templatetags/thidua.py) live
in the `template_fragments` cache, keyed by everything they show (docs/architecture.md §7),
the URL script prefix among it: their links carry it.
"""

import hashlib
import secrets
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache, caches
from django.core.cache.backends.base import BaseCache
from django.db import transaction
from django.urls import get_script_prefix

T = TypeVar("T")

FRAGMENT_TIMEOUT = 24 * 3600  # a key's inputs change it; the timeout only frees memory


def _key(name: str) -> str:
    return f"version:{name}"


def current(name: str) -> str:
    token = cache.get(_key(name))
    if token is None:  # first use, or lost: a fresh token (add: a concurrent one wins)
        cache.add(_key(name), secrets.token_hex(8), timeout=None)
        token = cache.get(_key(name))
    return str(token)


def _renew(name: str) -> None:
    cache.set(_key(name), secrets.token_hex(8), timeout=None)


def bump(name: str) -> None:
    """Give `name` a new version now, and again when the caller's transaction commits: a
    reader that cached the old data in between is passed over too."""
    _renew(name)
    transaction.on_commit(lambda: _renew(name))


def fragments() -> BaseCache:
    return caches["template_fragments"]


def fragment_key(parts: Iterable[object]) -> str:
    """The key of rendered HTML showing `parts`: with the request's script prefix, since every
    link in it starts with that (two sites under /a/ and /b/ sharing one Redis keep apart)."""
    return hashlib.sha256("\x1f".join(map(str, [get_script_prefix(), *parts])).encode()).hexdigest()


def remembered(key: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept in the fragments cache under `key`; the key names everything the value
    depends on (a version among them), so a change makes a new key rather than a stale hit."""
    value: T | None = fragments().get(key)
    if value is None:
        value = compute()
        fragments().set(key, value, FRAGMENT_TIMEOUT)
    return value
