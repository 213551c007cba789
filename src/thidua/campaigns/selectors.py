from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)

from thidua.campaigns.models import (
    Assignment,
    AssignmentTarget,
    Campaign,
    CampaignStatus,
    Delivery,
    RecipientRole,
)
from thidua.campaigns.rules import can_see_all_campaigns
from thidua.core import versions
from thidua.core.text import fold
from thidua.organizations.models import Unit
from thidua.organizations.rules import AnyUser, roles_of

T = TypeVar("T")


def figures_version_name(campaign_id: int) -> str:
    """What the campaign's dashboard and tabs count (activities, registrations, commitments,
    difficulties, reports, reminders, deliveries): services.campaign_figures_changed bumps it."""
    return f"figures:{campaign_id}"


def campaign_figure(campaign_id: int, what: str, compute: Callable[[], T]) -> T:
    """`compute()` for the campaign, counted again only after something its figures count
    changed (services.campaign_figures_changed)."""
    version = versions.current(figures_version_name(campaign_id))
    return versions.remembered(f"{what}:{campaign_id}:{version}", compute)


def _actor_unit_ids(actor: AnyUser) -> set[int]:
    return {unit_id for _, unit_id in roles_of(actor).grants}


def campaign_list_for(*, actor: AnyUser, query: str = "", status: str = "") -> QuerySet[Campaign]:
    """City roles see every campaign; units see issued campaigns delivered to them."""
    qs = Campaign.objects.select_related("owner_unit")
    if not can_see_all_campaigns(actor):
        delivered = Delivery.objects.filter(
            campaign=OuterRef("pk"), unit_id__in=_actor_unit_ids(actor)
        )
        qs = qs.exclude(status=CampaignStatus.DRAFT).filter(Exists(delivered))
    if query:
        qs = qs.filter(search_text__contains=fold(query))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-issued_on", "-created_at")


def _plan_parts() -> list[str | Prefetch[Any]]:
    return [
        "sections",
        "forms",
        "criteria",
        "award_forms",
        "prizes",
        "recipients",
        Prefetch("assignments__targets", queryset=AssignmentTarget.objects.select_related("unit")),
    ]


def campaign_detail_for(*, actor: AnyUser) -> QuerySet[Campaign]:
    return (
        campaign_list_for(actor=actor)
        .select_related("standing_agency", "issued_number")
        .prefetch_related(*_plan_parts())
    )


def with_plan_parts(campaign: Campaign) -> Campaign:
    """The plan's parts (and its standing agency) for a campaign from campaign_list_for."""
    prefetch_related_objects([campaign], "standing_agency", *_plan_parts())
    return campaign


def non_reporting_unit_ids(*, campaign: Campaign) -> set[int]:
    """Units that receive the plan without owing reports: lines "(để b/c)" and "(để biết)",
    the issuer itself and its standing agency (which collects the reports)."""
    passive = campaign.deliveries.exclude(role=RecipientRole.IMPLEMENT)
    ids = set(passive.values_list("unit_id", flat=True)) | {campaign.owner_unit_id}
    if campaign.standing_agency_id:
        ids.add(campaign.standing_agency_id)
    return ids


def reporting_units_for(*, campaign: Campaign) -> QuerySet[Unit]:
    """The units that must act on the plan and report: report requests, reminders and urging
    letters go to these only."""
    return (
        Unit.objects.filter(
            campaign_deliveries__campaign=campaign,
            campaign_deliveries__role=RecipientRole.IMPLEMENT,
        )
        .exclude(pk__in=non_reporting_unit_ids(campaign=campaign))
        .order_by("name_sort")
    )


def delivery_list_for(*, campaign: Campaign) -> QuerySet[Delivery]:
    return campaign.deliveries.select_related("unit", "acknowledged_by").order_by(
        "acknowledged_at", "unit__name_sort"
    )


def delivery_summary(*, campaign: Campaign) -> dict[str, int]:
    """Counted once per change of the campaign's figures (delivery services bump them)."""
    return campaign_figure(
        campaign.pk,
        "deliveries",
        lambda: campaign.deliveries.aggregate(
            total=Count("pk"),
            opened=Count("pk", filter=Q(opened_at__isnull=False)),
            acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        ),
    )


def task_list_for(
    *, actor: AnyUser, include_done: bool = False, unit_query: str = "", status: str = ""
) -> QuerySet[AssignmentTarget]:
    """The actor's units' tasks from issued plans, by deadline; overdue ones are flagged.
    `unit_query` matches the unit's name, short name or code with or without accents; a
    `status` shows that status only (finished tasks too, when asked for)."""
    qs = AssignmentTarget.objects.filter(
        assignment__campaign__status__in=[
            CampaignStatus.ISSUED,
            CampaignStatus.RUNNING,
            CampaignStatus.INTERIM_REVIEW,
            CampaignStatus.FINAL_REVIEW,
        ]
    ).select_related("assignment__campaign", "unit")
    if not can_see_all_campaigns(actor):
        qs = qs.filter(unit_id__in=_actor_unit_ids(actor))
    if unit_query:
        qs = qs.filter(unit__search_text__contains=fold(unit_query))
    if status in AssignmentTarget.Status.values:
        qs = qs.filter(status=status)
    elif not include_done:
        qs = qs.exclude(status=AssignmentTarget.Status.DONE)
    # tasks without a deadline last on both databases (SQLite puts NULL first)
    return qs.order_by(F("due_date").asc(nulls_last=True), "pk")


# --- Start page ("Việc cần làm"): what waits for the actor, per app --------------------------

OPEN_STATUSES = [
    CampaignStatus.ISSUED,
    CampaignStatus.RUNNING,
    CampaignStatus.INTERIM_REVIEW,
    CampaignStatus.FINAL_REVIEW,
]


def deliveries_to_acknowledge_for(*, actor: AnyUser) -> QuerySet[Delivery]:
    """Plans sent to the actor's units that nobody there has acknowledged yet."""
    units = roles_of(actor).units_with("unit_officer", "unit_head")
    return (
        Delivery.objects.filter(
            unit_id__in=units,
            acknowledged_at__isnull=True,
            campaign__status__in=OPEN_STATUSES,
        )
        .select_related("campaign", "unit")
        .order_by("sent_at", "pk")
    )


def own_task_list_for(*, actor: AnyUser) -> QuerySet[AssignmentTarget]:
    """Open tasks of the units the actor belongs to (a city role's own office included), by
    deadline: task_list_for() limited to the actor's own units."""
    return task_list_for(actor=actor).filter(unit_id__in=_actor_unit_ids(actor))


def running_campaigns_for(*, actor: AnyUser) -> QuerySet[Campaign]:
    return campaign_list_for(actor=actor).filter(status__in=OPEN_STATUSES)


def copy_reference_year(campaign: Campaign) -> int | None:
    """The year a plan is for, which a copy's dates are moved from: the first of its own dates
    it names (its period, anniversary, report deadline), else the year it was issued (a plan
    for 2025 is often issued in December 2024); None when it names none."""
    day = (
        campaign.period_start
        or campaign.period_end
        or campaign.occasion_date
        or campaign.report_deadline
        or campaign.issued_on
    )
    return day.year if day else None


def fixed_deadline_tasks(*, campaign: Campaign) -> QuerySet[Assignment]:
    """A plan's tasks with a fixed deadline (not working days after issue), in plan order."""
    return campaign.assignments.filter(due_date__isnull=False).order_by("position", "pk")
