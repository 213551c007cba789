from django.db.models import Count, Q, QuerySet

from thidua.awards.models import AgendaItem, BallotCast, CouncilMember, CouncilSession, Nomination
from thidua.campaigns.models import Campaign
from thidua.organizations.rules import AnyUser, roles_of


def nomination_list_for(*, actor: AnyUser, campaign: Campaign) -> QuerySet[Nomination]:
    qs = Nomination.objects.filter(campaign=campaign).select_related("unit", "award_type")
    if not roles_of(actor).city_wide:
        qs = qs.filter(unit_id__in=[u for _, u in roles_of(actor).grants])
    return qs.annotate(nominee_count=Count("nominees")).order_by("-created_at", "-pk")


def session_list_for(*, actor: AnyUser, campaign: Campaign) -> QuerySet[CouncilSession]:
    sessions = CouncilSession.objects.filter(
        items__nominee__nomination__campaign=campaign
    ).distinct()
    if not roles_of(actor).city_wide:
        return sessions.none()
    return sessions.select_related("council").order_by("-held_on")


def session_items_for(*, actor: AnyUser, session: CouncilSession) -> list[tuple[AgendaItem, bool]]:
    """Agenda items with whether the actor has voted on each (never how)."""
    member = CouncilMember.objects.filter(
        council_id=session.council_id, user_id=actor.pk or 0
    ).first()
    voted = (
        set(
            BallotCast.objects.filter(item__session=session, member=member).values_list(
                "item_id", flat=True
            )
        )
        if member
        else set()
    )
    items = session.items.select_related(
        "nominee__person",
        "nominee__unit",
        "nominee__nomination__award_type",
        "nominee__nomination__unit",
    ).annotate(
        cast_count=Count("casts", distinct=True),
        opinion_count=Count("written_opinions", distinct=True),
    )
    return [(item, item.pk in voted) for item in items]


def eligible_nominations(*, campaign: Campaign) -> QuerySet[Nomination]:
    return Nomination.objects.filter(
        Q(status=Nomination.Status.ELIGIBLE), campaign=campaign
    ).select_related("unit", "award_type")
