"""API v1 (django-ninja): token authentication, rate limits and one JSON error body.

Every endpoint reads through the apps' selectors and writes through their services, acting as
the token's service user, so the web UI's permissions, validation and action log apply."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.types import DictStrAny

from thidua.api import endpoints, results, writes  # noqa: F401 - writes adds to endpoints.router
from thidua.api.auth import ApiError, RateLimited, TokenAuth
from thidua.core.text import clean_text


class Utf8Renderer(JSONRenderer):
    """Vietnamese text as UTF-8 in the body, not \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


def _docs_switch(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The schema and the docs page answer 404 when THIDUA_API_DOCS=0 (issue 18, L10)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.THIDUA_API_DOCS:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):  # a NUL stays: the schemas refuse it with a message (422)
        return "\x00".join(clean_text(part) for part in value.split("\x00"))
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    if isinstance(value, dict):
        return {_cleaned(k): _cleaned(v) for k, v in value.items()}
    return value


class CleanParser(Parser):
    """JSON bodies cleaned as every input is (core.middleware): NFC, no control characters but
    NUL, which the schemas refuse with a clear message; query strings and form bodies are
    cleaned by the middleware."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        body: dict[str, Any] = _cleaned(super().parse_body(request))
        return body


class NotAnObject(ValueError):
    """A JSON body that is not an object (`[null, null]`, `1`, `"x"`)."""


class ObjectParser(CleanParser):
    """Every request body of this API is a JSON object: anything else is refused with 422
    (issue 18, L11: PATCH `[null,null]` was read as "no change" and answered 200)."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise NotAnObject
        return data


class DocumentedApi(NinjaAPI):
    """The schema also names the answers that come from in front of the app: a URL longer than
    the server's line limit (8,190 bytes) is refused with 414 before the API sees it."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                operation.setdefault("responses", {})["414"] = URI_TOO_LONG
        return schema

    def get_openapi_operation_id(self, operation: Operation) -> str:
        """A route of the endpoints package keeps the id it had when endpoints was one module
        ("thidua_api_endpoints_units"): clients generated from the schema keep their names."""
        if operation.view_func.__module__.startswith(f"{endpoints.__name__}."):
            return f"{endpoints.__name__}_{operation.view_func.__name__}".replace(".", "_")
        return super().get_openapi_operation_id(operation)


URI_TOO_LONG = {
    "description": "Địa chỉ (URL) quá dài: máy chủ web từ chối trước khi đến API.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


api = DocumentedApi(
    title="Thi đua – Khen thưởng API",
    version="1",
    description=(
        "API cho các hệ thống tích hợp (tỉnh, sở, ngành). Xác thực bằng khóa API "
        "(`Authorization: Bearer …`); mỗi khóa chỉ thấy các đơn vị trong phạm vi của nó. "
        "Lỗi luôn có dạng `{code, message, errors}` với thông báo tiếng Việt."
    ),
    urls_namespace="api",
    renderer=Utf8Renderer(),
    auth=TokenAuth(),
    parser=ObjectParser(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=_docs_switch,
)


def _error(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    errors: list[dict[str, str]] | None = None,
) -> HttpResponse:
    body = {"code": code, "message": message, "errors": errors or []}
    return api.create_response(request, body, status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "Thiếu khóa API, khóa sai hoặc đã bị thu hồi.")


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _error(
        request, 429, "rate_limited", "Quá số yêu cầu cho phép mỗi phút. Hãy thử lại sau."
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


def _field(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in {"body", "query", "path", "payload", "filters"}]
    return ".".join(parts)


# Pydantic's error types, said in Vietnamese; the type itself is the field error's code.
_FIELD_MESSAGES = {
    "missing": "Thiếu trường bắt buộc.",
    "int_parsing": "Phải là số nguyên.",
    "int_type": "Phải là số nguyên.",
    "int_from_float": "Phải là số nguyên.",
    "float_parsing": "Phải là số.",
    "float_type": "Phải là số.",
    "bool_parsing": "Phải là true hoặc false.",
    "bool_type": "Phải là true hoặc false.",
    "date_parsing": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
    "date_from_datetime_parsing": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
    "date_type": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
    "datetime_parsing": "Thời điểm không hợp lệ (định dạng ISO 8601).",
    "datetime_from_date_parsing": "Thời điểm không hợp lệ (định dạng ISO 8601).",
    "datetime_type": "Thời điểm không hợp lệ (định dạng ISO 8601).",
    "string_type": "Phải là chuỗi ký tự.",
    "string_too_long": "Dài quá {max_length} ký tự.",
    "string_too_short": "Cần ít nhất {min_length} ký tự.",
    "greater_than": "Phải lớn hơn {gt}.",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}.",
    "less_than": "Phải nhỏ hơn {lt}.",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}.",
    "literal_error": "Phải là một trong các giá trị: {expected}.",
    "enum": "Phải là một trong các giá trị: {expected}.",
    "list_type": "Phải là một danh sách.",
    "too_long": "Danh sách dài quá {max_length} phần tử.",
    "dict_type": "Phải là một đối tượng JSON.",
    "model_type": "Phải là một đối tượng JSON.",
    "model_attributes_type": "Phải là một đối tượng JSON.",
    "json_invalid": "Nội dung JSON không hợp lệ.",
    "uuid_parsing": "Mã UUID không hợp lệ.",
    "uuid_type": "Mã UUID không hợp lệ.",
    "extra_forbidden": "Trường này không được phép.",
    "value_error": "{error}",  # our own validators raise Vietnamese messages
}


GENERIC = "Giá trị không hợp lệ."


def _field_message(error: dict[str, Any]) -> str:
    template = _FIELD_MESSAGES.get(str(error.get("type", "")), GENERIC)
    # pydantic lists allowed values as "'a', 'b' or 'c'"
    ctx = {k: str(v).replace(" or ", " hoặc ") for k, v in (error.get("ctx") or {}).items()}
    try:
        message = template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template.split(":")[0].rstrip(" {") + "." if template != "{error}" else GENERIC
    if template == "{error}" and message.isascii():  # a library's English text: never shown
        return GENERIC
    return message


@api.exception_handler(SchemaValidationError)
def _invalid_request(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    errors = [
        {
            "field": _field(e.get("loc", ())),
            "code": str(e.get("type", "invalid")),
            "message": _field_message(e),
        }
        for e in exc.errors
    ]
    return _error(request, 422, "invalid_request", "Dữ liệu gửi lên không hợp lệ.", errors)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": name, "message": message}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "", "message": m} for m in exc.messages]
    return _error(request, 422, "invalid", errors[0]["message"] if errors else "", errors)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", str(exc) or "Khóa API không có quyền với dữ liệu này.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "Không tìm thấy hoặc không thuộc phạm vi của khóa.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, NotAnObject):
        return _error(
            request,
            422,
            "invalid_request",
            "Dữ liệu gửi lên không hợp lệ.",
            [{"field": "", "code": "dict_type", "message": _FIELD_MESSAGES["dict_type"]}],
        )
    if exc.status_code == 400:  # noqa: PLR2004
        return _error(request, 400, "bad_request", "Không đọc được nội dung yêu cầu (JSON).")
    return _error(request, exc.status_code, "error", str(exc))


api.add_router("", endpoints.router)
api.add_router("", results.router)
