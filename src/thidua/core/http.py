from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def parse_vn_date(text: str | None) -> date | None:
    """dd/mm/yyyy from a query string; None when absent or malformed."""
    if not text:
        return None
    try:
        day, month, year = (int(p) for p in text.split("/"))
        return date(year, month, day)
    except ValueError:
        return None


def is_htmx(request: HttpRequest) -> bool:
    """True for requests made by htmx (django-htmx sets request.htmx)."""
    return bool(getattr(request, "htmx", False))


def require(allowed: bool) -> None:
    """Refuse the request (403) unless the rule allowed it."""
    if not allowed:
        raise PermissionDenied


def run_action(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    """Run one service call for a form button: its Vietnamese errors, or `done`, as messages."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, done)
    return True
