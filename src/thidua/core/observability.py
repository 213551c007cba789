"""Request ids, structured (JSON) logs and per-request metrics.

Every request gets an id: the proxy's `X-Request-ID` when it looks sane, else a new one. The id
is returned in the response header, attached to every log record written while the request runs
(`RequestIdFilter`) and to the one access-log line the middleware writes per request.
"""

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

from thidua.core import metrics
from thidua.core.clientip import client_ip

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
access_log = logging.getLogger("thidua.request")

# Attributes every LogRecord has; anything else was passed through `extra=` and is kept.
_STANDARD_ATTRS = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def _utc_time(created: float) -> str:
    """ISO 8601 in UTC with milliseconds; the seconds part is formatted once per second."""
    second = int(created)
    cached = _SECOND_CACHE.get(second)
    if cached is None:
        cached = datetime.fromtimestamp(second, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")
        _SECOND_CACHE.clear()
        _SECOND_CACHE[second] = cached
    return f"{cached}.{int((created - second) * 1000):03d}+00:00"


_SECOND_CACHE: dict[int, str] = {}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _utc_time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        fields = record.__dict__
        entry.update(
            (key, fields[key]) for key in fields.keys() - _STANDARD_ATTRS if not key.startswith("_")
        )
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def write_access(
    method: str,
    path: str,
    *,
    route: str,
    status: int,
    seconds: float,
    user_id: int | None,
    client_ip: str,
) -> None:
    """The one access line of a request. The record is made directly (no caller lookup: the
    line always comes from here), and only when the level lets it through."""
    if not access_log.isEnabledFor(logging.INFO):
        return
    record = access_log.makeRecord(
        access_log.name,
        logging.INFO,
        __file__,
        0,
        "%s %s %s",
        (method, path, status),
        None,
        extra={
            "method": method,
            "path": path,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
            "user_id": user_id,
            "client_ip": client_ip,
        },
    )
    access_log.handle(record)


def sane_request_id(incoming: str) -> str:
    """The proxy's X-Request-ID when it looks sane, else a new one."""
    return incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex


def route_of(request: HttpRequest) -> str:
    """The URL name (bounded label set for metrics), never the raw path."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or "unnamed"


class RequestObservabilityMiddleware:
    """Outermost middleware: request id, one access-log line and the request metrics."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = sane_request_id(request.META.get("HTTP_X_REQUEST_ID", ""))
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            response["X-Request-ID"] = request_id
            route = route_of(request)
            metrics.observe_request(request.method or "", route, response.status_code, elapsed)
            user = getattr(request, "user", None)
            write_access(
                request.method or "",
                request.path,
                route=route,
                status=response.status_code,
                seconds=elapsed,
                user_id=user.pk if user is not None and user.is_authenticated else None,
                client_ip=client_ip(request),
            )
            return response
        finally:
            request_id_var.reset(token)
