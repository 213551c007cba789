from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from thidua.accounts.models import Role
from thidua.awards.models import (
    AgendaItem,
    AwardType,
    BallotCast,
    CouncilMember,
    CouncilSession,
    Decision,
    DecisionLine,
    DossierDocument,
    Nomination,
    Nominee,
)
from thidua.campaigns.models import Campaign
from thidua.organizations.rules import AnyUser, roles_of


def nominations_visible_to(*, actor: AnyUser) -> QuerySet[Nomination]:
    """Who may read a dossier and its files: the proposing unit's officers and head, Phòng Nội
    vụ, signers, and the members of a council session that has it on its agenda."""
    roles = roles_of(actor)
    if roles.has(Role.EMULATION_OFFICE, Role.SIGNER):
        return Nomination.objects.all()
    units = roles.units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD)
    on_agenda = AgendaItem.objects.filter(session__council__members__user_id=actor.pk or 0).values(
        "nominee__nomination_id"
    )
    return Nomination.objects.filter(Q(unit_id__in=units) | Q(pk__in=on_agenda))


def can_see_document_history(actor: AnyUser, nomination: Nomination) -> bool:
    """Replaced and removed files: Phòng Nội vụ and the proposing unit."""
    roles = roles_of(actor)
    return roles.has(Role.EMULATION_OFFICE) or nomination.unit_id in roles.units_with(
        Role.UNIT_OFFICER, Role.UNIT_HEAD
    )


def document_visible_to(*, actor: AnyUser, pk: int) -> DossierDocument | None:
    """A dossier file the actor may open: its dossier is visible, and a replaced or removed
    version only to those who see the history."""
    document = (
        DossierDocument.objects.filter(pk=pk, nomination__in=nominations_visible_to(actor=actor))
        .select_related("nomination__unit", "nomination__award_type", "nominee", "created_by")
        .first()
    )
    if document is None:
        return None
    if document.retired and not can_see_document_history(actor, document.nomination):
        return None
    return document


def nomination_list_for(*, actor: AnyUser, campaign: Campaign) -> QuerySet[Nomination]:
    qs = nominations_visible_to(actor=actor).filter(campaign=campaign)
    return (
        qs.select_related("unit", "award_type")
        .annotate(nominee_count=Count("nominees"))
        .order_by("-created_at", "-pk")
    )


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
        "nominee__household",
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


def recommended_nominees(
    *, campaign: Campaign, award_type: AwardType | None = None
) -> QuerySet[Nominee]:
    """The recommended list: nominees the council voted for (or recommended at appraisal where
    the rules need no vote) that no grant decision holds yet."""
    voted_for = AgendaItem.objects.filter(
        nominee=OuterRef("pk"), status=AgendaItem.Status.CLOSED, recommended=True
    )
    in_decision = DecisionLine.objects.filter(
        nominee=OuterRef("pk"), decision__kind=Decision.Kind.GRANT
    )
    qs = Nominee.objects.filter(
        Q(nomination__status=Nomination.Status.RECOMMENDED)
        | Q(Exists(voted_for), nomination__status=Nomination.Status.COUNCIL_DONE),
        nomination__campaign=campaign,
    ).exclude(Exists(in_decision))
    if award_type is not None:
        qs = qs.filter(nomination__award_type=award_type)
    return qs.select_related(
        "person__unit", "unit", "household__unit", "nomination__unit", "nomination__award_type"
    ).order_by("nomination__award_type", "subject", "nomination__unit__name_sort", "position")
