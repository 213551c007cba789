import itertools

from django.db.models import Count, Q

from thidua.accounts.models import Role
from thidua.awards.models import Council, CouncilSession, Decision, Hold, Nomination
from thidua.campaigns.models import Campaign
from thidua.organizations.models import Unit
from thidua.organizations.rules import (
    ISSUER_KINDS,
    AnyUser,
    acts_for_issuer,
    issuer_id_of,
    issuers_acted_for,
    roles_of,
)


def drafting_units(user: AnyUser) -> set[int]:
    return roles_of(user).units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD)


def can_draft_nomination(user: AnyUser, unit_id: int) -> bool:
    return unit_id in drafting_units(user)


def can_submit_nomination(user: AnyUser, nomination: Nomination) -> bool:
    return nomination.unit_id in roles_of(user).units_with(Role.UNIT_HEAD)


def can_appraise(user: AnyUser) -> bool:
    return roles_of(user).has(Role.EMULATION_OFFICE)


def runner_issuer_id(decision_or_campaign: Decision | Campaign) -> int | None:
    """The body running the campaign: its owner's issuer (Phòng Nội vụ → the city)."""
    campaign = (
        decision_or_campaign.campaign
        if isinstance(decision_or_campaign, Decision)
        else decision_or_campaign
    )
    return issuer_id_of(campaign.owner_unit)


def can_draft_decision(user: AnyUser, decision_or_campaign: Decision | Campaign) -> bool:
    """Nội vụ of the body running the campaign (its owner's issuer: an officer of Phòng Nội vụ
    works for the city) drafts its decisions, edits, sends, corrects and discards them and
    records a paper-signed copy; a ward's officers may not touch the city's."""
    return can_appraise(user) and acts_for_issuer(
        user, runner_issuer_id(decision_or_campaign), Role.EMULATION_OFFICE
    )


def can_appraise_nomination(user: AnyUser, nomination: Nomination) -> bool:
    """A dossier is received and appraised (returned, found eligible or not) by Nội vụ of the
    body running its campaign, the R13 rule on the campaign; a ward's emulation officer never
    appraises the city's dossiers (docs/security.md R15)."""
    return can_draft_decision(user, nomination.campaign)


def council_body_id(session_or_council: CouncilSession | Council) -> int | None:
    """The body a council serves: the administrative unit (issuer) at or above its owner unit
    (the city's UBND for "Hội đồng Thi đua – Khen thưởng thành phố")."""
    council = (
        session_or_council.council
        if isinstance(session_or_council, CouncilSession)
        else session_or_council
    )
    return issuer_id_of(council.owner_unit)


def can_run_council_session(user: AnyUser, session_or_council: CouncilSession | Council) -> bool:
    """Nội vụ of the council's body (Phòng Nội vụ works for the city, the council's standing
    office) runs its sessions: schedules them and puts dossiers on the agenda, keeps the roll
    and the counting committee, opens the session and its votes, enters a show of hands and
    written opinions received on paper, and numbers the minutes. A ward's Nội vụ never runs the
    city council's sessions (docs/security.md R16). Members vote as members (`member_of`); the
    presiding member opens and closes votes and the session (`council.members.presides`)."""
    return can_appraise(user) and acts_for_issuer(
        user, council_body_id(session_or_council), Role.EMULATION_OFFICE
    )


def council_may_consider(session_or_council: CouncilSession | Council, n: Nomination) -> bool:
    """A council considers only dossiers of campaigns its own body runs."""
    runner = runner_issuer_id(n.campaign)
    return runner is not None and runner == council_body_id(session_or_council)


def can_follow_appraisal(user: AnyUser, nomination: Nomination) -> bool:
    """The dossier's working side (its history, the warnings about duplicates and holds on its
    nominees, replaced files): the proposing unit and Nội vụ of the body running the campaign.
    Another body's Nội vụ, who may open the dossier (selectors.nominations_visible_to), does
    not read how the city appraises it."""
    return can_draft_nomination(user, nomination.unit_id) or can_appraise_nomination(
        user, nomination
    )


def can_read_appraisal(user: AnyUser, nomination: Nomination) -> bool:
    """The appraisal's notes (the rounds, the note sent back): those who follow it
    (can_follow_appraisal) and the leaders (signers) of the body running the campaign, who
    sign its decision; not another body's leaders. The council members who have the dossier
    on their agenda read them too (selectors.can_see_appraisal)."""
    return can_follow_appraisal(user, nomination) or acts_for_issuer(
        user, runner_issuer_id(nomination.campaign), Role.SIGNER
    )


def can_print_certificates(user: AnyUser, decision: Decision) -> bool:
    """The certificates of a decision (one or all) are printed, and reprinted, by the Nội vụ
    who drafted it: of the body running its campaign; a ward's officer, who reads the city's
    registry, never prints the city's Bằng khen or Giấy khen (docs/security.md R14)."""
    return can_draft_decision(user, decision)


def signs_for_campaign(user: AnyUser, campaign: Campaign) -> bool:
    """A signer (leader) of the body running the campaign: its drafts are sent to them, and
    they are told when one is withdrawn (the decisions page lists the withdrawn drafts)."""
    return can_sign(user) and acts_for_issuer(user, runner_issuer_id(campaign), Role.SIGNER)


def can_sign_decision(user: AnyUser, decision: Decision) -> bool:
    """A signer (leader) of the body running the campaign, to whom the draft is sent, or of the
    decision's issuer (the province, for a provincial award) signs it or returns it; a ward's
    signer never signs the city's decision."""
    return can_sign(user) and (
        acts_for_issuer(user, runner_issuer_id(decision), Role.SIGNER)
        or acts_for_issuer(user, decision.issuer_id, Role.SIGNER)
    )


def hold_issuers(user: AnyUser) -> frozenset[int]:
    """The bodies (administrative units) whose Nội vụ the user is: they keep the holds of the
    persons and collectives of those bodies' units (can_hold)."""
    if not can_appraise(user):
        return frozenset()
    return issuers_acted_for(user, Role.EMULATION_OFFICE)


def can_hold(user: AnyUser, unit: Unit) -> bool:
    """A person of `unit`, or the collective `unit`, is held by Nội vụ of a body at or above
    that unit: the city's Nội vụ for everyone in the city, a ward's only for its own ward's
    units and people (docs/security.md R17). No query beyond the user's roles."""
    return bool(hold_issuers(user) & set(unit.lineage))


def hold_body_for(user: AnyUser, unit: Unit) -> int | None:
    """The body a hold the user places on `unit` (or its person) is recorded as placed by
    (`Hold.placed_by`): the highest of the user's Nội vụ bodies at or above the unit, so that
    one who is Nội vụ of both the city and a ward holds for the city. None: may not hold."""
    mine = hold_issuers(user)
    return next((pk for pk in unit.lineage if pk in mine), None)


def can_end_hold(user: AnyUser, hold: Hold) -> bool:
    """Nội vụ of the body that placed the hold, or of a body above it, ends it: a ward's
    officer, who reads the city's holds on the ward's people, does not end them (R17)."""
    return bool(hold_issuers(user) & set(hold.placed_by.lineage))


def _bodies_above_kept(user: AnyUser) -> dict[int, tuple[list[int], bool]]:
    """For each body the user is Nội vụ of: the bodies above it, nearest first, up to (not
    including) the first that has a Nội vụ officer of its own in this installation, and whether
    there is none such (the body is the highest with Nội vụ on its line)."""
    own = issuers_acted_for(user, Role.EMULATION_OFFICE)
    if not own:
        return {}
    units = list(
        Unit.objects.filter(Q(roles__role=Role.EMULATION_OFFICE) | Q(pk__in=own)).annotate(
            granted=Count("roles", filter=Q(roles__role=Role.EMULATION_OFFICE))
        )
    )
    granted = [u for u in units if u.granted]
    bodies = [u for u in units if u.pk in own]
    chains = [u.lineage for u in units]
    kinds = dict(
        Unit.objects.filter(pk__in={pk for chain in chains for pk in chain}).values_list(
            "pk", "kind"
        )
    )

    def issuers(chain: list[int]) -> list[int]:
        return [pk for pk in chain if kinds.get(pk) in ISSUER_KINDS]

    kept = {found[-1] for found in map(issuers, (u.lineage for u in granted)) if found}
    above: dict[int, tuple[list[int], bool]] = {}
    for body in bodies:
        chain = issuers(body.lineage[:-1])[::-1]
        free = list(itertools.takewhile(lambda pk: pk not in kept, chain))
        above[body.pk] = (free, len(free) == len(chain))
    return above


def registry_issuers_for(user: AnyUser) -> frozenset[int]:
    """The bodies whose registry (sổ khen thưởng) the user may import old awards into: those
    the user is Nội vụ of, and above each the bodies that have no Nội vụ officer of their own
    in this installation (the province's Bằng khen, kept by the city's Nội vụ), up to the first
    that has one: a ward's officer never writes the city's or the province's registry, whose
    entries the public certificate check shows (docs/security.md R21)."""
    above = _bodies_above_kept(user)
    return frozenset(above) | frozenset(pk for free, _top in above.values() for pk in free)


def can_edit_award_rules(user: AnyUser) -> bool:
    """Nội vụ keeps the award rules (quy định khen thưởng) current: those of the highest body
    with Nội vụ officers (the city's in a city's installation), whom the rules of every body
    below serve; a ward's officer would otherwise change what the city's dossiers need, its
    council's vote included (docs/security.md R22)."""
    return _noi_vu_of_top_body(user)


def _noi_vu_of_top_body(user: AnyUser) -> bool:
    """Nội vụ of a body with no body above it that has Nội vụ officers of its own in the
    installation: the city's (Phòng Nội vụ, for the city's UBND) in a city's deployment."""
    return can_appraise(user) and any(top for _free, top in _bodies_above_kept(user).values())


def can_view_certificate_layouts(user: AnyUser) -> bool:
    return can_appraise(user) or roles_of(user).has(Role.SYSTEM_ADMIN)


def can_edit_certificate_layouts(user: AnyUser) -> bool:
    """A certificate layout is one per award type, and award types serve every body (the
    ward Chairman's Giấy khen is every ward's): the city's Nội vụ (as for the award rules,
    R22) and system administrators keep them; a ward's Nội vụ views and previews them only,
    or it would change how every ward's and the city's certificates print (docs/security.md
    R26)."""
    return roles_of(user).has(Role.SYSTEM_ADMIN) or _noi_vu_of_top_body(user)


def printer_bodies(user: AnyUser) -> frozenset[int]:
    """The bodies whose printers the user keeps and prints with: those the user is Nội vụ of
    (an officer of the city's Phòng Nội vụ works for the city, a ward's for its ward). The
    certificates a body issues are printed on its own office's printers (docs/security.md R26).
    """
    if not can_appraise(user):
        return frozenset()
    return issuers_acted_for(user, Role.EMULATION_OFFICE)


def keeps_every_printer(user: AnyUser) -> bool:
    """A system administrator (or the installation's superuser) keeps every body's printers."""
    return getattr(user, "is_superuser", False) or roles_of(user).has(Role.SYSTEM_ADMIN)


def can_edit_printers(user: AnyUser) -> bool:
    """The user keeps some body's printers: Nội vụ of a body, or a system administrator (any
    body's). Which printers: `can_edit_printers_of`."""
    return keeps_every_printer(user) or bool(printer_bodies(user))


def can_edit_printers_of(user: AnyUser, owner_id: int | None) -> bool:
    """Add or correct a printer of the body `owner_id`: its Nội vụ (a ward's officer its ward's,
    the city's officer the city's, never another body's) or a system administrator."""
    return keeps_every_printer(user) or (owner_id is not None and owner_id in printer_bodies(user))


def can_print_with(user: AnyUser, owner_id: int | None) -> bool:
    """A printer is chosen when printing only by its own body's Nội vụ: the offsets of another
    office's printer are not the user's to use (nor to read)."""
    return owner_id is not None and owner_id in printer_bodies(user)


def can_view_printers(user: AnyUser) -> bool:
    return can_appraise(user) or can_edit_printers(user)


def can_see_award_rules(user: AnyUser) -> bool:
    return roles_of(user).city_wide


def can_sign(user: AnyUser) -> bool:
    return roles_of(user).has(Role.SIGNER)


def can_see_registry(user: AnyUser) -> bool:
    return roles_of(user).city_wide


def nomination_actions(user: AnyUser, nomination: Nomination) -> dict[str, bool]:
    """What the user may do with a dossier now, for its page's buttons: the role (above) and
    the dossier's state (Nomination.TRANSITIONS) together. The services check both again."""
    n = nomination
    drafter = can_draft_nomination(user, n.unit_id)
    head = can_submit_nomination(user, n)
    office = can_appraise(user) and can_appraise_nomination(user, n)
    return {
        "can_draft": drafter and n.is_editable,
        "can_send": drafter and n.can_be_sent_for_approval,
        "can_delete": drafter and n.can_be_deleted,
        "can_submit": head and n.can_be_submitted,
        "can_head_return": head and n.awaits_head,
        "can_receive": office and n.can_be_received,
        "can_appraise": office and n.can_be_appraised,
    }
