"""Nominations, award decisions and the award registry (read)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest
from ninja import Query
from pydantic import Field

from thidua.api import schemas as s
from thidua.api.endpoints.common import (
    PageQuery,
    UnitFilter,
    actor_of,
    campaign_of,
    check_unit_filter,
    page,
    responds,
    router,
)
from thidua.awards.models import Decision
from thidua.awards.registry import RegistryFilter, registry_search
from thidua.awards.selectors import nomination_list_for
from thidua.organizations.rules import roles_of

# --- nominations -----------------------------------------------------------------------------


class NominationQuery(UnitFilter):
    status: s.Search = ""


@router.get(
    "/campaigns/{campaign_id}/nominations",
    response=responds(s.NominationPage),
    tags=["Khen thưởng"],
    url_name="nominations",
)
def nominations(request: HttpRequest, campaign_id: s.Id, filters: Query[NominationQuery]) -> Any:
    """Hồ sơ đề nghị khen thưởng và trạng thái của chúng."""
    actor = actor_of(request)
    check_unit_filter(actor, filters.unit_id)
    qs = nomination_list_for(actor=actor, campaign=campaign_of(request, campaign_id))
    if filters.unit_id:
        qs = qs.filter(unit_id=filters.unit_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    count, items = page(qs, filters)
    return {
        "count": count,
        "items": [
            {
                "id": n.pk,
                "campaign_id": n.campaign_id,
                "unit_id": n.unit_id,
                "award_type_code": n.award_type.code,
                "award_type_name": n.award_type.name,
                "route": n.route,
                "status": n.status,
                "submitted_at": n.submitted_at,
                "appraisal_due": n.appraisal_due,
                "nominees": n.nominee_count,
            }
            for n in items
        ],
    }


# --- decisions and the award registry ------------------------------------------------------


@router.get(
    "/campaigns/{campaign_id}/decisions",
    response=responds(s.DecisionPage),
    tags=["Khen thưởng"],
    url_name="decisions",
)
def decisions(request: HttpRequest, campaign_id: s.Id, filters: Query[PageQuery]) -> Any:
    """Quyết định khen thưởng của phong trào (cả quyết định sửa đổi, thu hồi)."""
    actor = actor_of(request)
    campaign = campaign_of(request, campaign_id)
    if not roles_of(actor).city_wide:
        raise PermissionDenied("Chỉ khóa API cấp thành phố đọc được quyết định khen thưởng.")
    qs = (
        Decision.objects.filter(campaign=campaign)
        .select_related("award_type", "number")
        .annotate(line_count=Count("lines"))
        .order_by("pk")
    )
    count, items = page(qs, filters)
    return {
        "count": count,
        "items": [
            {
                "id": d.pk,
                "campaign_id": d.campaign_id,
                "award_type_code": d.award_type.code,
                "kind": d.kind,
                "status": d.status,
                "reference": d.reference,
                "summary": d.summary,
                "signed_on": d.signed_on,
                "signer_name": d.signer_name,
                "corrects_id": d.corrects_id,
                "lines": d.line_count,
            }
            for d in items
        ],
    }


class RegistryQuery(PageQuery):
    q: s.Search = Field("", description="Tìm theo tên, không phân biệt dấu.")
    year: int | None = Field(None, ge=1900, le=2200)
    campaign_id: s.Id | None = None
    unit_id: s.Id | None = None
    status: s.Search = Field("", description="valid, revoked hoặc amended.")


@router.get(
    "/award-records",
    response=responds(s.AwardRecordPage),
    tags=["Khen thưởng"],
    url_name="award-records",
)
def award_records(request: HttpRequest, filters: Query[RegistryQuery]) -> Any:
    """Sổ vàng khen thưởng: mỗi khen thưởng đã quyết định, với số vào sổ theo năm."""
    actor = actor_of(request)
    check_unit_filter(actor, filters.unit_id)
    qs = registry_search(
        actor=actor,
        f=RegistryFilter(
            q=filters.q,
            year=filters.year,
            campaign=filters.campaign_id,
            unit=filters.unit_id,
            status=filters.status,
        ),
    ).order_by("year", "number", "pk")
    count, items = page(qs, filters)
    return {
        "count": count,
        "items": [
            {
                "id": r.pk,
                "registry_reference": r.registry_reference,
                "year": r.year,
                "number": r.number,
                "recipient_name": r.recipient_name,
                "recipient_detail": r.recipient_detail,
                "unit_id": r.unit_id,
                "unit_name": r.unit_name,
                "subject": r.subject,
                "award_type_code": r.award_type.code,
                "award_type_name": r.award_type.name,
                "decision_id": r.decision_id,
                "decision_reference": r.decision_reference,
                "signed_on": r.decision_signed_on,
                "campaign_id": r.campaign_id,
                "status": r.status,
            }
            for r in items
        ],
    }
