"""What every route of API v1 shares: the one router (a path served by two routers would
answer only one method), error answers, paging, the token's user and scope checks."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from pydantic import Field

from thidua.api import schemas as s
from thidua.api.auth import ApiError, token_of
from thidua.campaigns.models import Campaign
from thidua.campaigns.selectors import campaign_list_for
from thidua.organizations.models import Unit
from thidua.organizations.selectors import unit_scope_q

router = Router()

ERRORS: dict[int, type[Schema]] = {
    400: s.Error,
    401: s.Error,
    403: s.Error,
    404: s.Error,
    422: s.Error,
    429: s.Error,
}


def responds(ok: type[Schema], status: int = 200) -> dict[int, type[Schema]]:
    return {status: ok, **ERRORS}


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=500, description="Số dòng mỗi trang (tối đa 500).")
    offset: int = Field(0, ge=0, le=10_000_000, description="Bỏ qua bao nhiêu dòng đầu.")


def page(qs: QuerySet[Any], params: PageQuery) -> tuple[int, list[Any]]:
    return qs.count(), list(qs[params.offset : params.offset + params.limit])


def actor_of(request: HttpRequest) -> Any:
    return token_of(request).user


def check_unit_filter(actor: Any, unit_id: int | None) -> None:
    """Filtering on a unit outside the token's scope is refused, not silently emptied."""
    if unit_id and not Unit.objects.filter(unit_scope_q(actor), pk=unit_id).exists():
        raise PermissionDenied("Đơn vị này không thuộc phạm vi của khóa API.")


def require_write(request: HttpRequest) -> None:
    if not token_of(request).can_write:
        raise ApiError(403, "read_only_token", "Khóa API này chỉ có quyền đọc.")


def campaign_of(request: HttpRequest, campaign_id: int) -> Campaign:
    return get_object_or_404(campaign_list_for(actor=actor_of(request)), pk=campaign_id)


def writing_for_unit(
    request: HttpRequest, campaign_id: int, unit_id: int
) -> tuple[Any, Campaign, Unit]:
    """A write for one unit: a write token, a campaign it sees, a unit in its scope."""
    require_write(request)
    actor = actor_of(request)
    campaign = campaign_of(request, campaign_id)
    check_unit_filter(actor, unit_id)
    return actor, campaign, get_object_or_404(Unit, pk=unit_id)


# A page of one unit's rows, or of every unit's (registrations, reports, nominations).
class UnitFilter(PageQuery):
    unit_id: s.Id | None = None
