"""Units and people (read)."""

from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query
from pydantic import Field

from thidua.api import schemas as s
from thidua.api.endpoints.common import (
    PageQuery,
    actor_of,
    check_unit_filter,
    page,
    responds,
    router,
)
from thidua.organizations.models import UnitKind
from thidua.organizations.selectors import person_list_for, unit_list_for
from thidua.organizations.services import person_record_viewed


class UnitQuery(PageQuery):
    q: s.Search = Field("", description="Tìm theo tên, không phân biệt dấu.")
    kind: UnitKind | Literal[""] = Field(
        "", description="Loại đơn vị (mã, ví dụ ward); để trống: mọi loại."
    )
    include_past: bool = Field(False, description="Kể cả đơn vị đã hết hiệu lực.")


@router.get("/units", response=responds(s.UnitPage), tags=["Đơn vị và cá nhân"], url_name="units")
def units(request: HttpRequest, filters: Query[UnitQuery]) -> Any:
    """Đơn vị trong phạm vi của khóa, theo thứ tự tiếng Việt."""
    qs = unit_list_for(
        actor=actor_of(request),
        query=filters.q,
        kind=filters.kind,
        include_past=filters.include_past,
    )
    count, items = page(qs, filters)
    return {"count": count, "items": items}


@router.get(
    "/units/{unit_id}",
    response=responds(s.UnitOut),
    tags=["Đơn vị và cá nhân"],
    url_name="unit-detail",
)
def unit_detail(request: HttpRequest, unit_id: s.Id) -> Any:
    qs = unit_list_for(actor=actor_of(request), include_past=True)
    return get_object_or_404(qs, pk=unit_id)


class PersonQuery(PageQuery):
    q: s.Search = ""
    unit_id: s.Id | None = None


@router.get(
    "/people", response=responds(s.PersonPage), tags=["Đơn vị và cá nhân"], url_name="people"
)
def people(request: HttpRequest, filters: Query[PersonQuery]) -> Any:
    """Cá nhân (đối tượng khen thưởng) của các đơn vị trong phạm vi; không có dữ liệu nhạy cảm."""
    actor = actor_of(request)
    check_unit_filter(actor, filters.unit_id)
    qs = person_list_for(actor=actor, query=filters.q, unit_id=filters.unit_id)
    count, items = page(qs, filters)
    return {"count": count, "items": items}


@router.get(
    "/people/{person_id}",
    response=responds(s.PersonOut),
    tags=["Đơn vị và cá nhân"],
    url_name="person-detail",
)
def person_detail(request: HttpRequest, person_id: s.Id) -> Any:
    actor = actor_of(request)
    person = get_object_or_404(person_list_for(actor=actor), pk=person_id)
    person_record_viewed(actor=actor, person=person, via="api")  # reads are logged (L8)
    return person
