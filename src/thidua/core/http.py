from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import IO, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from thidua.core.excel import Column, stream_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_stream(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    filename: str,
    sheet_name: str = "Dữ liệu",
) -> StreamingHttpResponse:
    """An export of any size: built in temporary files, sent in chunks, never whole in memory.
    The temporary file is closed (and so deleted) once sent, or when the client goes away."""
    handle = stream_workbook(columns, rows, sheet_name)
    size = handle.seek(0, 2)
    handle.seek(0)
    response = StreamingHttpResponse(_chunks(handle), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Length"] = str(size)
    return response


def _chunks(handle: IO[bytes], size: int = 64 * 1024) -> Iterator[bytes]:
    try:
        while chunk := handle.read(size):
            yield chunk
    finally:
        handle.close()


def parse_vn_date(text: str | None) -> date | None:
    """dd/mm/yyyy from a query string; None when absent or malformed."""
    if not text:
        return None
    try:
        day, month, year = (int(p) for p in text.split("/"))
        return date(year, month, day)
    except ValueError:
        return None


def parse_id(text: str | None) -> int | None:
    """A positive id from a query string or form field; None when absent or not a number."""
    return int(text) if text and text.isdigit() else None


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
