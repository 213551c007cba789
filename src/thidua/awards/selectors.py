import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from thidua.accounts.models import Role
from thidua.awards import rules
from thidua.awards.council import nominee_label, percent_text, threshold_text
from thidua.awards.models import (
    AgendaItem,
    Attendance,
    AwardType,
    BallotCast,
    Council,
    CouncilMember,
    CouncilSession,
    Decision,
    DecisionLine,
    DossierDocument,
    Hold,
    Nomination,
    Nominee,
    PrinterProfile,
)
from thidua.awards.rules import can_appraise, can_sign
from thidua.campaigns.models import Campaign
from thidua.core.models import ActionLog, FormSubmission
from thidua.organizations.models import Unit, UnitKind, UnitRole, path_ids
from thidua.organizations.names import authority_place
from thidua.organizations.rules import (
    ISSUER_KINDS,
    AnyUser,
    issuer_id_subquery,
    issuer_prefixes_acted_for,
    issuers_acted_for,
    roles_of,
)


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


def decisions_visible_to(*, actor: AnyUser) -> QuerySet[Decision]:
    """Award decisions, drafts included: the city's roles (Nội vụ drafts, the signer signs,
    the council and the administrator read)."""
    if not roles_of(actor).city_wide:
        return Decision.objects.none()
    return Decision.objects.select_related(
        "campaign", "award_type", "issuer", "number", "corrects__number", "rule__rule_set"
    )


def discarded_drafts_of(campaign: Campaign) -> QuerySet[ActionLog]:
    """The campaign's discarded decision drafts, newest first. A discarded draft is deleted
    with its lines, so its log line (what it was, who discarded it and why) is all that is
    left of it."""
    return ActionLog.objects.filter(
        action="awards.decision.discarded", data__campaign=campaign.pk
    ).select_related("actor")


def can_see_document_history(actor: AnyUser, nomination: Nomination) -> bool:
    """Replaced and removed files: the proposing unit and Nội vụ of the body running the
    campaign (rules.can_follow_appraisal)."""
    return rules.can_follow_appraisal(actor, nomination)


def can_see_appraisal(actor: AnyUser, nomination: Nomination) -> bool:
    """The appraisal's notes on the dossier's page: rules.can_read_appraisal, or a member of a
    council that has the dossier on its agenda (who may open it: nominations_visible_to)."""
    if rules.can_read_appraisal(actor, nomination):
        return True
    return (
        actor.is_authenticated
        and AgendaItem.objects.filter(
            session__council__members__user_id=actor.pk, nominee__nomination_id=nomination.pk
        ).exists()
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


def nomination_rows_for(*, actor: AnyUser, campaign: Campaign) -> list[dict[str, Any]]:
    """The list page's rows: plain values, no model instances."""
    labels = dict(Nomination.Status.choices)
    rows = list(
        nomination_list_for(actor=actor, campaign=campaign).values(  # type: ignore[misc]  # the selector's annotation
            "pk",
            "unit__name",
            "unit__short_name",
            "award_type__name",
            "nominee_count",
            "status",
            "appraisal_due",
        )
    )
    for row in rows:
        row["status_label"] = labels.get(row["status"], row["status"])
        row["in_appraisal"] = row["status"] == Nomination.Status.UNDER_APPRAISAL
        if row["status"] in Nomination.FINAL:  # the deadline no longer matters
            row["appraisal_due"] = None
    return rows


def session_list_for(
    *, actor: AnyUser, campaign: Campaign, run: Collection[int] | None = None
) -> QuerySet[CouncilSession]:
    """The sessions that have the campaign's dossiers on their agenda, for its dossier page:
    only those the actor may open (council_session_list_for: of councils they sit on or run;
    a ward's Nội vụ is not told the city council's titles and dates), in one query. `run`:
    the councils the actor runs when the page has read them already (council_bodies_run_by)."""
    on_agenda = AgendaItem.objects.filter(
        session=OuterRef("pk"), nominee__nomination__campaign=campaign
    )
    # The page names each session, not its council: no join.
    return CouncilSession.objects.filter(_sessions_seen_by(actor, run), Exists(on_agenda)).order_by(
        "-held_on", "-pk"
    )


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    label: str
    voted: bool  # whether the actor has voted on it (never how)
    percent: str  # agree of the whole membership, once counted ("90,9%")


def session_items_for(*, actor: AnyUser, session: CouncilSession) -> list[AgendaRow]:
    """The agenda with what the actor may know of each item: how many voted, whether the actor
    did, and the nominee's label."""
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
    items = (
        session.items.select_related(
            "nominee__person__unit",
            "nominee__unit",
            "nominee__household__unit",
            "nominee__nomination__award_type",
            "nominee__nomination__unit",
        )
        .annotate(
            cast_count=Count("casts", distinct=True),
            opinion_count=Count("written_opinions", distinct=True),
        )
        .order_by("position")
    )
    return [
        AgendaRow(
            item,
            nominee_label(item.nominee),
            item.pk in voted,
            percent_text(item.agree, session.members_total),
        )
        for item in items
    ]


@dataclass(frozen=True)
class CouncilResult:
    """One nominee's counted vote, as the dossier's page tells its unit (totals only, never
    who voted how)."""

    label: str
    held_on: Any
    agree: int
    total: int
    percent: str  # of the whole membership ("27,3%")
    threshold: str  # "50%"
    recommended: bool


def council_results_of(nomination: Nomination) -> list[CouncilResult]:
    """The council's counted votes on the dossier's nominees, in the order voted."""
    items = (
        AgendaItem.objects.filter(nominee__nomination=nomination, status=AgendaItem.Status.CLOSED)
        .select_related(
            "session", "nominee__person__unit", "nominee__unit", "nominee__household__unit"
        )
        .order_by("session__held_on", "session_id", "position")
    )
    return [
        CouncilResult(
            label=nominee_label(x.nominee),
            held_on=x.session.held_on,
            agree=x.agree,
            total=x.session.members_total,
            percent=percent_text(x.agree, x.session.members_total),
            threshold=threshold_text(Decimal(x.threshold_percent)),
            recommended=bool(x.recommended),
        )
        for x in items
    ]


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


def councils_run_by(*, actor: AnyUser, bodies: frozenset[int] | None = None) -> QuerySet[Council]:
    """The councils whose sessions the actor runs (rules.can_run_council_session: Nội vụ of the
    council's body), as one subquery; only those of `bodies` when given."""
    if not can_appraise(actor):
        return Council.objects.none()
    run = issuers_acted_for(actor, Role.EMULATION_OFFICE)
    return Council.objects.alias(body_id=issuer_id_subquery("owner_unit")).filter(
        body_id__in=run if bodies is None else run & bodies
    )


def councils_for_campaign(*, actor: AnyUser, campaign: Campaign) -> QuerySet[Council]:
    """The councils the actor may call to consider the campaign's dossiers: those they run
    whose body runs the campaign (rules.council_may_consider)."""
    if not can_appraise(actor):
        return Council.objects.none()
    runner = rules.runner_issuer_id(campaign)
    if runner is None:
        return Council.objects.none()
    return councils_run_by(actor=actor, bodies=frozenset({runner}))


def council_bodies_run_by(*, actor: AnyUser) -> dict[int, int]:
    """councils_run_by read once, for a page that needs them twice (a campaign's dossier list:
    the councils it may call, council_ids_for_campaign, and the sessions it lists,
    session_list_for): council id → its body's id. The body is found from the owners' paths,
    not by the issuer subquery (its building and compiling cost the list a fifth of its CPU:
    bench/page_cost.py): one query, a second only for a council owned by a unit below an
    office (none in practice); none when the actor runs no council."""
    if not can_appraise(actor):
        return {}
    prefixes = issuer_prefixes_acted_for(actor, Role.EMULATION_OFFICE)
    if not prefixes:
        return {}
    scope = Q(owner_unit_id__in=prefixes)
    for subtree in sorted(prefixes.values()):
        scope |= Q(owner_unit__path__startswith=subtree)
    owners = Council.objects.filter(scope).values_list(
        "pk", "owner_unit_id", "owner_unit__kind", "owner_unit__path"
    )
    run: dict[int, int] = {}
    below: dict[int, tuple[int, list[int]]] = {}  # council → (nearest body run, units between)
    for pk, owner, kind, path in owners:
        if owner in prefixes:
            run[pk] = owner
        elif kind not in ISSUER_KINDS:  # an office's council is its body's
            chain = path_ids(path)
            nearest = max(i for i, unit in enumerate(chain) if unit in prefixes)
            below[pk] = (chain[nearest], chain[nearest + 1 :])
    between = {unit for _, units in below.values() for unit in units}
    bodies_between = (
        set(Unit.objects.filter(pk__in=between, kind__in=ISSUER_KINDS).values_list("pk", flat=True))
        if between
        else set()
    )
    for pk, (body, units) in below.items():
        if not bodies_between.intersection(units):  # no other body nearer the owner
            run[pk] = body
    return run


def council_ids_for_campaign(*, run: Mapping[int, int], campaign: Campaign) -> list[int]:
    """councils_for_campaign among the councils the actor runs (council_bodies_run_by): those
    of the body running the campaign (rules.council_may_consider); no query of its own."""
    runner = rules.runner_issuer_id(campaign) if run else None
    return [] if runner is None else [pk for pk, body in run.items() if body == runner]


def _sessions_seen_by(actor: AnyUser, run: Collection[int] | None = None) -> Q:
    """Sessions of the councils the actor sits on and, for Nội vụ, of those they run
    (councils_run_by; `run`, their ids, when already read), as subqueries."""
    # The seats' council ids: the same councils as Council.objects.filter(members__user_id=…),
    # without the join.
    seen = Q(
        council_id__in=CouncilMember.objects.filter(user_id=actor.pk or 0).values("council_id")
    )
    if run is not None:
        if run:
            seen |= Q(council_id__in=run)
    elif can_appraise(actor):
        seen |= Q(council__in=councils_run_by(actor=actor))
    return seen


def council_session_list_for(*, actor: AnyUser) -> QuerySet[CouncilSession]:
    """Council sessions the actor sits on, and for Nội vụ those of the councils they run
    (councils_run_by; a ward's Nội vụ sees none of the city council's), newest first, in one
    query, with the number of nominees on the agenda and the actor's own attendance
    (``i_attend``, ``i_wrote``: present, or absent with a written opinion). The start
    page lists the coming ones: ``.filter(status__in=["preparing", "open"])``."""
    qs = CouncilSession.objects.filter(_sessions_seen_by(actor))
    mine = Attendance.objects.filter(session=OuterRef("pk"), member__user_id=actor.pk or 0)
    return (
        qs.select_related("council__owner_unit")
        .annotate(
            item_count=Count("items"),
            i_attend=Exists(mine.filter(presence=Attendance.Presence.PRESENT)),
            i_wrote=Exists(mine.filter(presence=Attendance.Presence.WRITTEN_OPINION)),
        )
        .order_by("-held_on", "-starts_at", "-pk")
    )


def council_session_list_with_roll_call_for(*, actor: AnyUser) -> QuerySet[CouncilSession]:
    """council_session_list_for, with for each session whether the actor runs it (``i_run``,
    rules.can_run_council_session) and its roll call's progress (``roll_marked`` of
    ``roll_total`` members marked), still in the one query: subqueries, as joining the
    attendance would multiply the agenda's count."""
    roll = (
        Attendance.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    marked = roll.exclude(presence=Attendance.Presence.UNMARKED)
    i_run = (
        Exists(councils_run_by(actor=actor).filter(pk=OuterRef("council_id")))
        if can_appraise(actor)
        else Value(False)
    )
    return council_session_list_for(actor=actor).annotate(
        i_run=i_run,
        roll_total=Coalesce(Subquery(roll, output_field=IntegerField()), 0),
        roll_marked=Coalesce(Subquery(marked, output_field=IntegerField()), 0),
    )


def agenda_item_counts(session: CouncilSession) -> QuerySet[AgendaItem]:
    """The session's items with how many members voted (``cast_count``) and how many written
    opinions arrived (``opinion_count``): counts only, never a choice."""
    return session.items.annotate(
        cast_count=Count("casts", distinct=True),
        opinion_count=Count("written_opinions", distinct=True),
    )


def session_scheduled_by(*, actor: AnyUser, key: uuid.UUID | None) -> CouncilSession | None:
    """The session an earlier submission of the same scheduling form made (a double click or a
    retry), so the repeat is answered with it instead of an "already on the agenda" error."""
    if key is None or not actor.is_authenticated:
        return None
    done = FormSubmission.objects.filter(
        actor_id=actor.pk, key=key, action="awards.session", result_id__gt=""
    ).values_list("result_id", flat=True)
    return CouncilSession.objects.filter(pk__in=[int(pk) for pk in done]).first()


def session_state(session: CouncilSession) -> str:
    """A short fingerprint of what changes a session page: the session's and the items' states.
    Pages poll it and reload when it changes (never on a single ballot)."""
    items = session.items.order_by("pk").values_list("pk", "status")
    return session.status[:1] + "".join(f"{pk}{status[:1]}" for pk, status in items)


@dataclass(frozen=True)
class ResultRow:
    position: int
    label: str
    award: str
    status: str
    agree: int
    total: int
    percent: str
    threshold: str
    recommended: bool | None
    is_secret: bool

    @property
    def is_closed(self) -> bool:
        return self.status == AgendaItem.Status.CLOSED

    @property
    def is_voting(self) -> bool:
        return self.status == AgendaItem.Status.VOTING


def session_results_for(*, session: CouncilSession) -> list[ResultRow]:
    """Per nominee: agree n/total, percent of the whole membership, threshold, outcome. Totals
    exist only for closed items (a vote being held shows no figure)."""
    total = session.members_total
    items = session.items.select_related(
        "nominee__person__unit",
        "nominee__unit",
        "nominee__household__unit",
        "nominee__nomination__award_type",
    ).order_by("position")
    return [
        ResultRow(
            position=i,
            label=nominee_label(item.nominee),
            award=item.nominee.nomination.award_type.name,
            status=item.status,
            agree=item.agree,
            total=total,
            percent=percent_text(item.agree, total),
            threshold=threshold_text(Decimal(item.threshold_percent)),
            recommended=item.recommended,
            is_secret=item.is_secret,
        )
        for i, item in enumerate(items, start=1)
    ]


# --- Holds (tạm dừng xét khen) ---------------------------------------------------------------


def units_held_by(*, actor: AnyUser) -> QuerySet[Unit]:
    """The units whose people, and which as collectives, the actor may hold (rules.can_hold):
    the bodies the actor is Nội vụ of and every unit below them."""
    scope = Q(pk__in=[])
    for pk, path in Unit.objects.filter(pk__in=rules.hold_issuers(actor)).values_list("pk", "path"):
        scope |= Q(pk=pk) | Q(path__startswith=f"{path}{pk}/")
    return Unit.objects.filter(scope)


def holds_for(*, actor: AnyUser) -> QuerySet[Hold]:
    """The holds the actor keeps (reads, ends): those on the people and collectives of
    units_held_by. Holds are sensitive: another body's are neither listed nor opened."""
    units = units_held_by(actor=actor).values("pk")
    return Hold.objects.filter(Q(person__unit_id__in=units) | Q(unit_id__in=units))


# --- Printers (máy in) -----------------------------------------------------------------------


def printers_to_print_with(*, actor: AnyUser) -> QuerySet[PrinterProfile]:
    """The printers offered when the actor prints a certificate: those of the bodies it is
    Nội vụ of (rules.can_print_with), never another office's."""
    return PrinterProfile.objects.filter(owner_id__in=rules.printer_bodies(actor)).order_by(
        "name", "pk"
    )


def printers_visible_to(*, actor: AnyUser) -> QuerySet[PrinterProfile]:
    """The printers on the actor's printer page and calibration pages: its bodies'; a system
    administrator's, every body's."""
    if rules.keeps_every_printer(actor):
        return PrinterProfile.objects.all()
    return printers_to_print_with(actor=actor)


def noi_vu_of(body: Unit) -> str:
    """Who keeps a body's printers, for the page: "Phòng Nội vụ phường Suối Hoa"."""
    office = "Sở Nội vụ" if body.kind == UnitKind.PROVINCE else "Phòng Nội vụ"
    return f"{office} {authority_place(body.name) or body.name}"


@dataclass
class PrinterShelf:
    """One body's printers on the printer page."""

    body: Unit
    keeper: str
    printers: list[PrinterProfile]
    can_edit: bool


def printer_shelves(*, actor: AnyUser) -> list[PrinterShelf]:
    """The printer page: a list per body, the actor's own bodies first (shown even when empty),
    then, for a system administrator, every other body that has printers. Flat in queries."""
    own = rules.printer_bodies(actor)
    printers = list(printers_visible_to(actor=actor).select_related("owner"))
    bodies = {p.owner_id: p.owner for p in printers}
    missing = own - bodies.keys()
    if missing:
        bodies |= {u.pk: u for u in Unit.objects.filter(pk__in=missing)}
    shelves = {
        pk: PrinterShelf(body, noi_vu_of(body), [], rules.can_edit_printers_of(actor, pk))
        for pk, body in sorted(
            bodies.items(), key=lambda item: (item[0] not in own, item[1].depth, item[1].name)
        )
    }
    for printer in sorted(printers, key=lambda p: (p.name, p.pk)):
        shelves[printer.owner_id].printers.append(printer)
    return list(shelves.values())


def printer_owner_choices(*, actor: AnyUser) -> list[Unit]:
    """The bodies the actor may add a printer to: its own; for a system administrator, every
    body that has Nội vụ officers (whose officers print) or already has printers."""
    own = rules.printer_bodies(actor)
    if not rules.keeps_every_printer(actor):
        return list(Unit.objects.filter(pk__in=own).order_by("depth", "name"))
    with_noi_vu = UnitRole.objects.filter(role=Role.EMULATION_OFFICE).values(
        body=issuer_id_subquery("unit")
    )
    return list(
        Unit.objects.filter(
            Q(pk__in=own) | Q(pk__in=with_noi_vu) | Q(pk__in=PrinterProfile.objects.values("owner"))
        ).order_by("depth", "name")
    )


# --- Start page ("Việc cần làm") -------------------------------------------------------------

IN_PIPELINE = [
    Nomination.Status.SUBMITTED,
    Nomination.Status.UNDER_APPRAISAL,
    Nomination.Status.ELIGIBLE,
    Nomination.Status.RECOMMENDED,
    Nomination.Status.IN_COUNCIL,
    Nomination.Status.COUNCIL_DONE,
]


def nominations_to_appraise_for(*, actor: AnyUser) -> QuerySet[Nomination]:
    """Dossiers for Nội vụ: received ones to take in, those under appraisal by their deadline;
    only those the actor may appraise (rules.can_appraise_nomination: Nội vụ of the body
    running the campaign, the deepest administrative unit at or above its owner), in the
    same query."""
    if not can_appraise(actor):
        return Nomination.objects.none()
    return (
        Nomination.objects.filter(
            status__in=[Nomination.Status.SUBMITTED, Nomination.Status.UNDER_APPRAISAL]
        )
        .alias(runner_id=issuer_id_subquery("campaign__owner_unit"))
        .filter(runner_id__in=issuers_acted_for(actor, Role.EMULATION_OFFICE))
        .select_related("campaign", "unit", "award_type")
        .order_by(F("appraisal_due").asc(nulls_last=True), "submitted_at", "pk")
    )


def nominations_to_do_for(*, actor: AnyUser) -> QuerySet[Nomination]:
    """A unit's dossiers that wait for it: returned ones to complete (focal officer and head),
    those waiting for the head's approval (head)."""
    roles = roles_of(actor)
    drafting = roles.units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD)
    approving = roles.units_with(Role.UNIT_HEAD)
    return (
        Nomination.objects.filter(
            Q(unit_id__in=drafting, status=Nomination.Status.RETURNED)
            | Q(unit_id__in=approving, status=Nomination.Status.PENDING_UNIT_APPROVAL)
        )
        .select_related("campaign", "unit", "award_type")
        .order_by("created_at", "pk")
    )


def council_sessions_for_member(*, actor: AnyUser) -> QuerySet[CouncilSession]:
    """The coming sessions (being prepared or held) of council_session_list_for, by date."""
    if not actor.is_authenticated:
        return CouncilSession.objects.none()
    return (
        council_session_list_for(actor=actor)
        .filter(status__in=[CouncilSession.Status.PREPARING, CouncilSession.Status.OPEN])
        .order_by("held_on", "pk")
    )


def decisions_to_sign_for(*, actor: AnyUser) -> QuerySet[Decision]:
    """Draft decisions sent to the signer: those the actor may sign (rules.can_sign_decision:
    a ward's leader is not asked to sign the city's). Few await signature at any time."""
    if not can_sign(actor):
        return Decision.objects.none()
    awaiting = Decision.objects.filter(status=Decision.Status.AWAITING_SIGNATURE).select_related(
        "campaign__owner_unit", "award_type"
    )
    mine = [d.pk for d in awaiting if rules.can_sign_decision(actor, d)]
    return awaiting.filter(pk__in=mine).order_by("created_at", "pk")


def nomination_pipeline_by_campaign(*, campaign_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per campaign, one query: dossiers on their way (submitted to council) and decided."""
    rows = (
        Nomination.objects.filter(campaign_id__in=campaign_ids)
        .values("campaign_id")
        .annotate(
            in_pipeline=Count("pk", filter=Q(status__in=IN_PIPELINE)),
            decided=Count("pk", filter=Q(status=Nomination.Status.DECIDED)),
        )
        .order_by()
    )
    return {
        row["campaign_id"]: {"in_pipeline": row["in_pipeline"], "decided": row["decided"]}
        for row in rows
    }
