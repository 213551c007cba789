"""Permission predicates for the contest. Contest insiders run it; the public takes part."""

from datetime import datetime, timedelta

from thidua.accounts.models import Role
from thidua.contests.models import Contest, Round
from thidua.organizations.rules import AnyUser, roles_of


def can_create_contest(user: AnyUser) -> bool:
    return roles_of(user).has(Role.CONTEST_ORGANISER)


def can_manage_contest(user: AnyUser, contest: Contest) -> bool:
    """The organiser role in the organising unit or above it in the tree."""
    units = roles_of(user).units_with(Role.CONTEST_ORGANISER)
    if not units:
        return False
    unit = contest.organiser_unit
    return bool(units & set(unit.lineage))


def round_is_open(round_: Round, now: datetime) -> bool:
    return round_.opens_at <= now < round_.closes_at


def round_is_closed(round_: Round, now: datetime) -> bool:
    return now >= round_.closes_at


def round_is_final(round_: Round, now: datetime) -> bool:
    """Closed, and past the grace period in which attempts started before closing may still be
    submitted: only then are the round's entries complete."""
    return now >= round_.closes_at + timedelta(seconds=round_.grace_seconds)


def results_published(round_: Round, now: datetime) -> bool:
    """Results are public once the round has closed and its official ranking has been run."""
    return round_is_closed(round_, now) and round_.ranked_at is not None
