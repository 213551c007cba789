"""Request bodies are bounded before anything reads them (issue 18, M2).

Django reads a body lazily, the first time something touches `request.POST` (usually the CSRF
check), and streams multipart files to temporary files without limit. An anonymous client could
send 1 GB to any URL and have it written to /tmp before the 403. This middleware, placed right
after the session middleware (before CSRF), decides from the headers alone:

- a body without Content-Length (`Transfer-Encoding: chunked`) → 411;
- Content-Length over the limit → 413 at once, nothing read. The limit is
  `THIDUA_MAX_ANONYMOUS_BODY_BYTES` (64 KB) without a signed-in session or an API token,
  `THIDUA_MAX_BODY_BYTES` (`DATA_UPLOAD_MAX_MEMORY_SIZE`) with one, and on views marked
  `@accepts_uploads` for a signed-in session `THIDUA_MAX_UPLOAD_BYTES` (25 MB, nginx's
  `client_max_body_size` too);
- multipart on a view marked `@accepts_uploads`: only with a signed-in session and, for a
  browser, a same-origin `Origin` (the CSRF token itself is checked by Django next) → else 403;
- multipart anywhere else: fields are read as usual (within the limits above) but the first file
  part ends the request with 400: no file is ever written where no upload is expected.

The contest hot path never reaches Django (thidua.wsgi), so none of this slows it down. The
reverse proxy keeps its own limit as a second layer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware

UPLOAD_ATTRIBUTE = "thidua_accepts_uploads"
View = TypeVar("View", bound=Callable[..., Any])


def accepts_uploads(view: View | None = None, *, max_bytes: int | None = None) -> Any:
    """Mark a view that takes file uploads (multipart with files) from signed-in users, up to
    `max_bytes` (default `THIDUA_MAX_UPLOAD_BYTES`). Use as `@accepts_uploads` or
    `@accepts_uploads(max_bytes=...)`, outermost, above `@login_required`."""

    def mark(func: View) -> View:
        setattr(func, UPLOAD_ATTRIBUTE, max_bytes or True)
        return func

    return mark(view) if view is not None else mark


def _upload_limit(view: Any) -> int | None:
    mark = getattr(view, UPLOAD_ATTRIBUTE, None)
    if mark is None:
        return None
    return int(settings.THIDUA_MAX_UPLOAD_BYTES if mark is True else mark)


class UnexpectedFileUpload(SuspiciousOperation):
    """A file part in a multipart body sent to a view that takes no uploads (→ 400)."""


class RefuseFilesHandler(FileUploadHandler):
    """Upload handler for views without @accepts_uploads: form fields only, never a file."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        raise UnexpectedFileUpload("file upload to a view that takes none")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        return raw_data  # pragma: no cover - new_file raised before any chunk

    def file_complete(self, file_size: int) -> None:
        return None  # pragma: no cover


def _refusal(status: int, message: str) -> HttpResponse:
    page = (
        '<!doctype html><html lang="vi"><meta charset="utf-8"><title>Yêu cầu bị từ chối</title>'
        f"<p>{message}</p></html>"
    )
    # No Connection header (hop-by-hop: WSGI servers refuse it); gunicorn's sync workers close
    # the connection after every answer, so the unread rest of the body is never read.
    return HttpResponse(page, status=status)


def _megabytes(n: int) -> str:
    if n < 1024 * 1024:
        return f"{n // 1024} KB"
    return f"{n / (1024 * 1024):.0f} MB"


def _signed_in(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(SESSION_KEY))


def _is_api_client(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/") and request.META.get(
        "HTTP_AUTHORIZATION", ""
    ).startswith("Bearer ")


def _content_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = _content_length(request)
        if length is None:
            return _refusal(400, "Độ dài nội dung (Content-Length) không hợp lệ.")
        if length == 0 and "HTTP_TRANSFER_ENCODING" in request.META:
            return _refusal(411, "Yêu cầu phải ghi rõ độ dài nội dung (Content-Length).")
        if length > settings.THIDUA_MAX_UPLOAD_BYTES:  # over every limit: no need to look further
            return self._too_large(settings.THIDUA_MAX_UPLOAD_BYTES)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        length = _content_length(request) or 0
        signed_in = _signed_in(request)
        upload_limit = _upload_limit(view)
        if upload_limit is not None and signed_in:
            limit = upload_limit
        elif signed_in or _is_api_client(request):
            limit = settings.THIDUA_MAX_BODY_BYTES
        else:
            limit = settings.THIDUA_MAX_ANONYMOUS_BODY_BYTES
        if length > limit:
            return self._too_large(limit)
        if not request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
            return None
        if upload_limit is None:
            request.upload_handlers = [RefuseFilesHandler(request)]
            return None
        if not signed_in:
            return _refusal(403, "Vui lòng đăng nhập trước khi tải tệp lên.")
        if not self._same_origin(request, view):
            return _refusal(403, "Yêu cầu tải tệp không đến từ trang của hệ thống.")
        return None

    def _same_origin(self, request: HttpRequest, view: Any) -> bool:
        """Django's own Origin check, before the CSRF middleware reads the body for the token."""
        if getattr(view, "csrf_exempt", False) or getattr(
            request, "_dont_enforce_csrf_checks", False
        ):
            return True
        if "HTTP_ORIGIN" not in request.META:
            return True  # not a browser form (browsers always send Origin on POST): token next
        return bool(self.csrf._origin_verified(request))  # type: ignore[attr-defined]

    @staticmethod
    def _too_large(limit: int) -> HttpResponse:
        return _refusal(
            413,
            f"Dữ liệu gửi lên quá lớn (tối đa {_megabytes(limit)}). "
            "Vui lòng giảm kích thước tệp hoặc chia nhỏ rồi gửi lại.",
        )
