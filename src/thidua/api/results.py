"""Contest rounds and their published results (read only). Contestants appear exactly as on
the public results page: name and unit or ward, never contact data or year of birth."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from thidua.api import schemas as s
from thidua.api.auth import ApiError
from thidua.api.endpoints import PageQuery, actor_of, campaign_of, page, responds
from thidua.campaigns.selectors import campaign_list_for
from thidua.contests import rules, selectors
from thidua.contests.models import PrizeTier, Round
from thidua.core.clock import now

router = Router(tags=["Cuộc thi"])


def _state(round_: Round, moment: Any) -> str:
    if rules.results_published(round_, moment):
        return "published"
    if rules.round_is_closed(round_, moment):
        return "closed"
    if rules.round_is_open(round_, moment):
        return "open"
    return "upcoming"


def _round(round_: Round, moment: Any) -> dict[str, Any]:
    published = rules.results_published(round_, moment)
    return {
        "id": round_.pk,
        "number": round_.number,
        "title": str(round_),
        "opens_at": round_.opens_at,
        "closes_at": round_.closes_at,
        "question_count": round_.question_count,
        "time_limit_seconds": round_.time_limit_seconds,
        "attempts_policy": round_.attempts_policy,
        "max_attempts": round_.attempt_limit,
        "prizes": [{"tier": p["tier"], "count": p["count"]} for p in round_.prizes],
        "state": _state(round_, moment),
        "results_published_at": round_.ranked_at if published else None,
    }


@router.get(
    "/campaigns/{campaign_id}/contests",
    response=responds(s.ContestPage),
    url_name="contests",
)
def contests(request: HttpRequest, campaign_id: s.Id, filters: Query[PageQuery]) -> Any:
    """Cuộc thi tìm hiểu của phong trào và lịch các vòng thi."""
    campaign = campaign_of(request, campaign_id)
    count, items = page(selectors.campaign_contests(campaign.pk), filters)
    moment = now()
    return {
        "count": count,
        "items": [
            {
                "id": c.pk,
                "campaign_id": c.campaign_id,
                "title": c.title,
                "organiser_unit_id": c.organiser_unit_id,
                "organiser_unit_name": c.organiser_unit.name,
                "rounds": [_round(r, moment) for r in c.rounds.all()],
            }
            for c in items
        ],
    }


@router.get(
    "/contest-rounds/{round_id}/results",
    response={**responds(s.RoundResultsOut), 409: s.Error},
    url_name="round-results",
)
def round_results(request: HttpRequest, round_id: s.Id, filters: Query[PageQuery]) -> Any:
    """Kết quả đã công bố của một vòng thi: số người dự thi, đáp án câu dự đoán, người đạt giải
    (họ tên và đơn vị, phường như trang kết quả công khai)."""
    campaigns = campaign_list_for(actor=actor_of(request)).values("pk")
    round_ = get_object_or_404(
        Round.objects.select_related("contest").filter(contest__campaign__in=campaigns),
        pk=round_id,
    )
    if not rules.results_published(round_, now()):
        raise ApiError(409, "results_not_published", "Kết quả vòng thi này chưa được công bố.")
    tiers = dict(PrizeTier.choices)
    count, winners = page(selectors.public_winners(round_), filters)
    return {
        "round_id": round_.pk,
        "contest_id": round_.contest_id,
        "number": round_.number,
        "title": str(round_),
        "closes_at": round_.closes_at,
        "published_at": round_.ranked_at,
        "actual_value": round_.actual_value,
        **selectors.round_figures(round_),
        "count": count,
        "items": [
            {
                "rank": w.rank,
                "prize": w.prize,
                "prize_name": tiers.get(w.prize, w.prize),
                "full_name": w.contestant.full_name,
                "unit": w.contestant.unit_label,
                "score": w.score,
            }
            for w in winners
        ],
    }
