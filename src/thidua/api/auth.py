"""Token authentication and the API's own exceptions."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from thidua.api import services
from thidua.api.models import ApiToken


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


class TokenAuth(HttpBearer):
    """`Authorization: Bearer td_<prefix>_<secret>`, issued per integration by an admin."""

    openapi_description = "Khóa API do quản trị hệ thống cấp cho từng hệ thống tích hợp."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = services.token_authenticate(token)
        if found is None:
            return None
        wait = services.rate_limit_take(found)
        if wait is not None:
            raise RateLimited(wait)
        return found


def token_of(request: HttpRequest) -> ApiToken:
    token: ApiToken = request.auth  # type: ignore[attr-defined]  # set by TokenAuth
    return token
