"""Cached public pages. Every portal write bumps a generation number after commit, so a
visitor never sees stale content for long; the TTL makes scheduled articles appear."""

from collections.abc import Callable
from functools import wraps
from http import HTTPStatus
from typing import Any, Final
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

GENERATION_KEY: Final = "portal:generation"
PAGE_PARAMS: Final = frozenset({"q", "trang", "loai"})
PAGE_TTL: Final = 120  # seconds; a scheduled article appears within two minutes


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return int(value)


def bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted)
        cache.set(GENERATION_KEY, 2, timeout=None)


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve anonymous GETs from the cache; signed-in staff always get a fresh page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "GET" or request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            response["Cache-Control"] = "private, no-cache"
            return response
        # Only the parameters the pages read make a new entry, so random query strings
        # cannot fill the cache.
        params = urlencode(sorted((k, v) for k, v in request.GET.items() if k in PAGE_PARAMS))
        key = f"portal:page:{generation()}:{request.path}?{params}"
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response["X-Portal-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == HTTPStatus.OK and not response.streaming:
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                cache.set(key, (response.content, response["Content-Type"]), PAGE_TTL)
            response["X-Portal-Cache"] = "miss"
        response["Cache-Control"] = f"public, max-age={PAGE_TTL}"
        return response

    return wrapper
