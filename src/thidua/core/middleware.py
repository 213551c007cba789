"""Every text that enters through a request is cleaned once, here (core.text.clean_text): NFC, so a
title typed on a keyboard or pasted from Word in decomposed form (NFD) prints with its accents
attached; one kind of line break; no control characters. A NUL byte in a query string is a
malformed request (400): PostgreSQL refuses NUL in text, which used to surface as a 500 (the
JSON API refuses it in its own error body instead, 422).

Query strings are cleaned on the way in; form bodies (and uploaded files' names) once the view
is chosen, after the CSRF check, so nothing is parsed for a request that is refused earlier.
JSON bodies of the API are cleaned by its parser (api.api.CleanParser); spreadsheet cells by
core.sheets.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import BadRequest
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, QueryDict

from thidua.core.text import clean_text

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# The JSON API answers a NUL itself: its schemas refuse it with a 422 in the API's error body.
API_PREFIX = "/api/"
# Secrets are compared byte for byte with what was stored: never rewrite them.
UNTOUCHED = ("password", "csrfmiddlewaretoken", "token", "otp")


def _untouched(key: str) -> bool:
    return any(word in key.lower() for word in UNTOUCHED)


def _keeping_nul(text: str) -> str:
    return "\x00".join(clean_text(part) for part in text.split("\x00"))


def clean_query_dict(data: QueryDict, *, nul: str) -> QueryDict:
    """A cleaned copy (the same object when nothing changes). A NUL is refused ("refuse": a
    400), removed ("strip") or kept for the API's schemas to refuse in their JSON ("keep")."""
    changed = False
    items: list[tuple[str, list[str]]] = []
    clean = _keeping_nul if nul == "keep" else clean_text
    for key, values in data.lists():
        if nul == "refuse" and ("\x00" in key or any("\x00" in v for v in values)):
            raise BadRequest("Địa chỉ có ký tự không hợp lệ.")
        if _untouched(key):
            items.append((key, values))
            continue
        new_key, new_values = clean(key), [clean(v) for v in values]
        changed = changed or new_key != key or new_values != values
        items.append((new_key, new_values))
    if not changed:
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in items:
        cleaned.setlistdefault(key, []).extend(values)
    cleaned._mutable = False  # immutable, as Django makes request.GET
    return cleaned


class CleanInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            nul = "keep"
        elif "%00" in request.META.get("QUERY_STRING", ""):
            raise BadRequest("Địa chỉ có ký tự không hợp lệ.")
        else:
            nul = "refuse"
        request.GET = clean_query_dict(request.GET, nul=nul)  # type: ignore[assignment]
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        if request.method != "POST" or not (request.content_type or "").startswith(FORM_TYPES):
            return
        nul = "keep" if request.path_info.startswith(API_PREFIX) else "strip"
        request.POST = clean_query_dict(request.POST, nul=nul)  # type: ignore[assignment]
        for uploads in request.FILES.lists():
            for upload in uploads[1]:
                if isinstance(upload, UploadedFile) and upload.name:
                    upload.name = clean_text(upload.name)
