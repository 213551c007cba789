from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import IO, Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Model
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from thidua.core import exports, uploads
from thidua.core.excel import Column, stream_workbook
from thidua.core.models import Job

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def content_disposition(filename: str, *, attachment: bool = True) -> str:
    """The Content-Disposition of a file named `filename`: RFC 6266's filename* when the name
    has Vietnamese letters ("01/QĐ-UBND"), which browsers read; set by hand in the plain
    form, Django MIME-encoded the whole header and browsers fell back to the URL's name."""
    return content_disposition_header(attachment, filename) or ""


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition(filename)
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
    response["Content-Disposition"] = content_disposition(filename)
    response["Content-Length"] = str(size)
    return response


# A stored upload can never run as a page of ours: no scripts, no plugins, no same-origin access.
FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def private_file_response(
    name: str, *, content_type: str, filename: str, inline: bool = False
) -> FileResponse:
    """A stored upload, served so that the browser cannot run it (issue 18, L9): with the
    content type recorded when it was checked (never guessed from a name), a download name
    ending with that type's extension, as an attachment (images may be shown inline), with
    `nosniff` and a sandboxing CSP."""
    if content_type not in uploads.EXTENSIONS:
        content_type = "application/octet-stream"
    inline = inline and content_type.startswith("image/")
    response = FileResponse(
        default_storage.open(name, "rb"),
        content_type=content_type,
        as_attachment=not inline,
        filename=uploads.download_name(filename, content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def stored_content_type(name: str) -> str:
    """The type of a file stored under a name we chose (core.uploads.random_storage_name: its
    extension comes from the checked content), for models that did not record it."""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for content_type, known in uploads.EXTENSIONS.items():
        if known == extension:
            return content_type
    return "application/octet-stream"


def export_response(
    request: HttpRequest, source: str, params: dict[str, str] | None = None
) -> HttpResponseBase:
    """A registered export (core.exports): streamed now when small, else built by a job whose
    progress page offers the file (a long request would hit the app server's timeout)."""
    params = request.GET.dict() if params is None else params
    user = request.user
    if not isinstance(user, Model):
        raise PermissionDenied
    export = exports.export_build(source, user, params)
    if export.count <= settings.THIDUA_EXPORT_INLINE_ROWS:
        exports.export_logged(user, source, params, export.count)
        return xlsx_stream(export.columns, export.rows, export.filename, export.sheet_name)
    job = exports.export_start(actor=user, source=source, params=params, total=export.count)
    return redirect("core:job", pk=job.pk)


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


# The largest primary key a database stores (a signed 64-bit integer): a larger number in a
# query string made the ORM raise OverflowError, a server error.
MAX_ID = 2**63 - 1


def parse_id(text: str | None) -> int | None:
    """A positive id from a query string or form field; None when absent, not a number in ASCII
    digits ("²".isdigit() is true, but int() refuses it) or beyond what a database stores."""
    if not text or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def job_from_query(request: HttpRequest, param: str = "tac-vu") -> Job | None:
    """The background job a page was redirected with (`?tac-vu=<id>`), if this user started it."""
    pk = parse_id(request.GET.get(param))
    if pk is None or not request.user.is_authenticated:
        return None
    return Job.objects.filter(pk=pk, created_by=request.user.pk).first()


def is_htmx(request: HttpRequest) -> bool:
    """True for requests made by htmx (django-htmx sets request.htmx)."""
    return bool(getattr(request, "htmx", False))


def require(allowed: bool) -> None:
    """Refuse the request (403) unless the rule allowed it."""
    if not allowed:
        raise PermissionDenied


def run_action(
    request: HttpRequest, action: Callable[[], Any], done: str | Callable[[Any], str]
) -> bool:
    """Run one service call for a form button: its Vietnamese errors, or `done`, as messages
    (`done(result)` when what is said depends on what the service did)."""
    try:
        result = action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, done(result) if callable(done) else done)
    return True


def run_form(
    request: HttpRequest, form: Any, action: Callable[[], Any], done: str | Callable[[Any], str]
) -> bool:
    """A one-action form: its field errors, or the service's Vietnamese errors, or `done`, as
    messages; True when the service ran."""
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return False
    return run_action(request, action, done)


T = TypeVar("T")


def action_view(
    fetch: Callable[..., T],
    call: Callable[[Any, T], object],
    done: str | Callable[[Any], str],
    back: Callable[[T], HttpResponse],
) -> Callable[..., HttpResponse]:
    """One URL, one state change without input (POST): `fetch(request, **url_kwargs)` finds the
    object through the actor's selector (404 otherwise), `call(user, obj)` is the service, `done`
    (or `done(result)`) or the service's Vietnamese refusal becomes a message, `back(obj)` the redirect."""

    @login_required
    @require_POST
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = fetch(request, **kwargs)
        run_action(request, lambda: call(request.user, obj), done)
        return back(obj)

    return view


def form_action_view(
    fetch: Callable[..., T],
    form_class: type[forms.Form],
    call: Callable[[Any, T, dict[str, Any]], object],
    done: str,
    back: Callable[[T], HttpResponse],
) -> Callable[..., HttpResponse]:
    """As `action_view`, for a change with a small form (a note, a choice): the form's errors
    or the service's refusal become messages; `call(user, obj, form.cleaned_data)`."""

    @login_required
    @require_POST
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = fetch(request, **kwargs)
        form = form_class(request.POST)
        run_form(request, form, lambda: call(request.user, obj, form.cleaned_data), done)
        return back(obj)

    return view


def safe_referer(request: HttpRequest) -> str:
    """The previous page when it is on this site (a way back from an error page), else ""."""
    from django.utils.http import url_has_allowed_host_and_scheme

    referer = request.META.get("HTTP_REFERER", "")
    allowed = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if referer and allowed else ""


def too_many_requests(
    request: HttpRequest, message: str = "", retry_after: int = 60
) -> HttpResponse:
    """429 for a rate limit (django-ratelimit's is_ratelimited), as a page of the site."""
    from django.shortcuts import render

    response = render(
        request,
        "429.html",
        {"message": message, "retry_after": retry_after, "back": safe_referer(request)},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response
