from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Count, Model, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from thidua.accounts.models import Role
from thidua.campaigns.models import ActivityForm, Campaign, Delivery, RecipientRole
from thidua.campaigns.selectors import campaign_figure
from thidua.core.text import fold
from thidua.organizations.models import EmulationBlock, Unit
from thidua.organizations.rules import AnyUser, roles_of, units_at_or_below_bodies_q
from thidua.participation.models import (
    Activity,
    Commitment,
    Difficulty,
    Evidence,
    GoodModel,
    Registration,
)
from thidua.participation.rules import can_act_for, can_see_everything


def visible_unit_ids(actor: AnyUser) -> set[int] | None:
    """None: every unit. Otherwise the actor's units and, for a block head, the block's members."""
    if can_see_everything(actor):
        return None
    own = {unit_id for _, unit_id in roles_of(actor).grants}
    led = EmulationBlock.members.through.objects.filter(emulationblock__head_unit_id__in=own)
    return own | set(led.values_list("unit_id", flat=True))


def _implementing(campaign: Campaign) -> QuerySet[Delivery]:
    """Deliveries to units that carry the plan out; the bodies it reports to or informs neither
    register nor act on it."""
    return Delivery.objects.filter(campaign=campaign, role=RecipientRole.IMPLEMENT)


def acting_units(actor: AnyUser, campaign: Campaign) -> list[Unit]:
    """The units the actor acts for (focal officer or head) that received the plan to carry it
    out (not "để báo cáo" or "để biết")."""
    ids = [
        unit_id
        for unit_id in _implementing(campaign).values_list("unit_id", flat=True)
        if can_act_for(actor, unit_id)
    ]
    return list(Unit.objects.filter(pk__in=ids).order_by("name_sort"))


M = TypeVar("M", bound=Model)


def _scoped(qs: QuerySet[M], actor: AnyUser, field: str = "unit_id") -> QuerySet[M]:
    ids = visible_unit_ids(actor)
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def commitments_with_progress() -> QuerySet[Commitment]:
    """Commitments with `actual` (stored by the services) for progress against the target."""
    return Commitment.objects.all()


def registration_list_for(*, actor: AnyUser, campaign: Campaign) -> QuerySet[Registration]:
    qs = Registration.objects.filter(campaign=campaign).select_related("unit", "submitted_by")
    return (
        _scoped(qs, actor)
        .prefetch_related(
            Prefetch("commitments", queryset=commitments_with_progress().order_by("position"))
        )
        .order_by("unit__name_sort")
    )


@dataclass(frozen=True)
class RegistrationRow:
    unit: Unit
    registration: Registration | None


def registration_overview(*, actor: AnyUser, campaign: Campaign) -> list[RegistrationRow]:
    """Every unit the plan was sent to for carrying out, registered or not, in Vietnamese
    order."""
    registrations = {r.unit_id: r for r in registration_list_for(actor=actor, campaign=campaign)}
    units = _scoped(
        Unit.objects.filter(pk__in=_implementing(campaign).values("unit_id")), actor, "pk"
    ).order_by("name_sort")
    return [RegistrationRow(u, registrations.get(u.pk)) for u in units]


# The registration board's status filter: the registration's status, or none yet.
NOT_REGISTERED = "chua-dang-ky"
REGISTRATION_STATES: list[tuple[str, str]] = [
    (NOT_REGISTERED, "Chưa đăng ký"),
    *Registration.Status.choices,
]


def registration_rows_matching(
    rows: list[RegistrationRow], *, unit_query: str = "", status: str = ""
) -> list[RegistrationRow]:
    """The board's rows whose unit's name, short name or code contains `unit_query` (with or
    without accents, as the units' search column) and whose registration is in `status`
    (NOT_REGISTERED: none yet). Filtered from the rows already read, so the board's totals
    and its query count do not change with the filter."""
    wanted = fold(unit_query)
    known = {value for value, _ in REGISTRATION_STATES}
    return [
        row
        for row in rows
        if wanted in row.unit.search_text
        and (
            status not in known
            or (row.registration.status if row.registration else NOT_REGISTERED) == status
        )
    ]


def activity_list_for(
    *,
    actor: AnyUser,
    campaign: Campaign,
    query: str = "",
    unit_id: int | None = None,
    form_code: str = "",
    month: date | None = None,
) -> QuerySet[Activity]:
    qs = _scoped(Activity.objects.filter(campaign=campaign), actor).select_related("unit", "form")
    if month:
        qs = qs.filter(held_month=month.replace(day=1))
    if query:
        qs = qs.filter(search_text__contains=fold(query))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if form_code:
        qs = qs.filter(form_code=form_code)
    photos = (
        Evidence.objects.filter(activity=OuterRef("pk"), kind="image")
        .order_by("pk")
        .values("pk")[:1]
    )
    return qs.annotate(
        evidence_count=Count("evidence", distinct=True), cover_id=Subquery(photos)
    ).order_by("-held_on", "-pk")


def good_model_list_for(
    *, actor: AnyUser, campaign: Campaign, status: str = ""
) -> QuerySet[GoodModel]:
    """Units see their own proposals and every accepted model (to replicate it)."""
    qs = GoodModel.objects.filter(campaign=campaign).select_related("unit", "person")
    ids = visible_unit_ids(actor)
    if ids is not None:
        qs = qs.filter(Q(unit_id__in=ids) | Q(status=GoodModel.Status.ACCEPTED))
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(adoption_count=Count("adoptions", distinct=True)).order_by(
        "-created_at", "-pk"
    )


def difficulty_list_for(*, actor: AnyUser, campaign: Campaign) -> QuerySet[Difficulty]:
    return _scoped(Difficulty.objects.filter(campaign=campaign), actor).select_related(
        "unit", "answered_by"
    )


def open_difficulty_count(*, campaign: Campaign) -> int:
    """Every campaign page's tabs show it: counted once per change of the campaign's figures
    (the difficulty services call campaigns.services.campaign_figures_changed)."""
    open_states = [Difficulty.Status.OPEN, Difficulty.Status.FORWARDED]
    return campaign_figure(
        campaign.pk,
        "open-difficulties",
        lambda: Difficulty.objects.filter(campaign=campaign, status__in=open_states).count(),
    )


@dataclass(frozen=True)
class RollupRow:
    label: str
    activities: int
    participants: int
    registered: bool | None = None
    progress: int | None = None  # mean per cent of numeric commitments, capped at 100 each
    unit_id: int | None = None  # a unit's row links to its activities


def _progress(commitments: list[Commitment]) -> int | None:
    shares = [
        min(Decimal(100), 100 * c.actual / c.target_value)
        for c in commitments
        if c.target_kind == "number" and c.target_value
    ]
    return round(sum(shares) / len(shares)) if shares else None


def campaign_rollup(*, actor: AnyUser, campaign: Campaign) -> dict[str, Any]:
    """Activities and participants per unit, per block and for the city; commitment progress."""
    per_unit = {
        row["unit_id"]: row
        for row in _scoped(Activity.objects.filter(campaign=campaign), actor)
        .values("unit_id")
        .annotate(n=Count("pk"), people=Coalesce(Sum("participants"), 0))
    }
    registrations = {r.unit_id: r for r in registration_list_for(actor=actor, campaign=campaign)}
    units = _scoped(
        Unit.objects.filter(
            Q(pk__in=_implementing(campaign).values("unit_id"))
            | Q(pk__in=Activity.objects.filter(campaign=campaign).values("unit_id"))
        ),
        actor,
        "pk",
    )
    rows = []
    for unit in units.order_by("name_sort"):
        stats = per_unit.get(unit.pk, {"n": 0, "people": 0})
        reg = registrations.get(unit.pk)
        rows.append(
            (
                unit.pk,
                RollupRow(
                    unit.short_name or unit.name,
                    stats["n"],
                    stats["people"],
                    registered=bool(reg and reg.status == Registration.Status.SUBMITTED),
                    progress=_progress(list(reg.commitments.all())) if reg else None,
                    unit_id=unit.pk,
                ),
            )
        )
    by_unit = dict(rows)
    blocks = []
    for block in (
        EmulationBlock.objects.filter(
            year=campaign.period_start.year if campaign.period_start else 0
        )
        .prefetch_related("members")
        .order_by("name_sort")
    ):
        members = [by_unit[m.pk] for m in block.members.all() if m.pk in by_unit]
        if members:
            blocks.append(
                RollupRow(
                    block.name,
                    sum(m.activities for m in members),
                    sum(m.participants for m in members),
                )
            )
    form_labels = dict(ActivityForm.Code.choices)
    by_form = [
        {**row, "label": form_labels.get(row["form_code"], row["form_code"])}
        for row in _scoped(Activity.objects.filter(campaign=campaign), actor)
        .values("form_code")
        .annotate(n=Count("pk"), people=Coalesce(Sum("participants"), 0))
        .order_by("-n")
    ]
    # A unit's officer (or a block head) sees its own units: the total and the registered
    # share are theirs, never labelled or divided as the city's.
    total = RollupRow(
        "Toàn thành phố" if can_see_everything(actor) else "Cộng",
        sum(r.activities for r in by_unit.values()),
        sum(r.participants for r in by_unit.values()),
    )
    return {
        "units": [r for _, r in rows],
        "blocks": blocks,
        "total": total,
        "by_form": by_form,
        "registered": sum(1 for r in by_unit.values() if r.registered),
        "invited": _scoped(_implementing(campaign), actor).count(),
    }


# --- Start page ("Việc cần làm") -------------------------------------------------------------


def registrations_to_approve_for(*, actor: AnyUser) -> QuerySet[Registration]:
    """Registrations the actor's units' focal officers sent for the head's approval."""
    heads = roles_of(actor).units_with(Role.UNIT_HEAD)
    return (
        Registration.objects.filter(unit_id__in=heads, status=Registration.Status.PENDING_APPROVAL)
        .select_related("campaign", "unit")
        .order_by("created_at", "pk")
    )


def difficulties_to_answer_for(*, actor: AnyUser) -> QuerySet[Difficulty]:
    """Open difficulties for Nội vụ to answer; those forwarded to the leaders for a signer: of
    campaigns run at or below the bodies the user is Nội vụ or a leader of (docs/security.md
    R19)."""
    office = units_at_or_below_bodies_q(actor, "campaign__owner_unit", Role.EMULATION_OFFICE)
    leader = units_at_or_below_bodies_q(actor, "campaign__owner_unit", Role.SIGNER)
    forwarded = Difficulty.Status.FORWARDED
    return (
        Difficulty.objects.filter(
            (office & Q(status__in=[Difficulty.Status.OPEN, forwarded]))
            | (leader & Q(status=forwarded))
        )
        .select_related("campaign", "unit")
        .order_by("created_at", "pk")
    )
