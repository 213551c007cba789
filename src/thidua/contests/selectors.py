"""Reads of the contest, scoped to the actor; public reads expose name and unit only."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from thidua.accounts.models import Role, User
from thidua.contests import rules
from thidua.contests.models import (
    Attempt,
    CollectiveResult,
    ContactField,
    Contest,
    Contestant,
    Question,
    RankEntry,
    Round,
    Submission,
)
from thidua.core.text import fold, vi_sort_key
from thidua.organizations.models import Unit, UnitKind
from thidua.organizations.rules import roles_of


def contest_list_for(*, actor: User) -> QuerySet[Contest]:
    """Contests organised by the actor's units or units below them."""
    units = roles_of(actor).units_with(Role.CONTEST_ORGANISER)
    scope = Q(organiser_unit_id__in=units)
    for unit_id in units:
        scope |= Q(organiser_unit__path__contains=f"/{unit_id}/")
    return (
        Contest.objects.filter(scope if units else Q(pk__in=[]))
        .select_related("campaign", "organiser_unit")
        .annotate(
            n_questions=Count("questions", distinct=True), n_rounds=Count("rounds", distinct=True)
        )
        .order_by("-created_at")
    )


def managed_contest(*, actor: User, pk: int) -> Contest | None:
    contest = Contest.objects.select_related("campaign", "organiser_unit").filter(pk=pk).first()
    if contest is None or not rules.can_manage_contest(actor, contest):
        return None
    return contest


def same_contact(contestant: Contestant) -> QuerySet[Contestant] | None:
    """Every registration in the contest with the contestant's phone number or e-mail address
    (stored normalised), whichever the contest asks for: one person, as the round's attempt
    limit counts them. None where the contest asks for neither or none was given."""
    field = contestant.contest.contact_field
    if field == ContactField.PHONE and contestant.phone:
        return Contestant.objects.filter(contest_id=contestant.contest_id, phone=contestant.phone)
    if field == ContactField.EMAIL and contestant.email:
        return Contestant.objects.filter(contest_id=contestant.contest_id, email=contestant.email)
    return None


def contact_attempts_by_round(contestant: Contestant) -> dict[int, int]:
    """Attempts per round made by every registration of the contestant's phone number or
    e-mail address: what the round's limit counts (services.attempt_start). Empty where the
    contest asks for neither."""
    same = same_contact(contestant)
    if same is None:
        return {}
    rows = (
        Attempt.objects.filter(contestant__in=same)
        .values("round_id")
        .annotate(n=Count("id"))
        .values_list("round_id", "n")
    )
    return dict(rows)


def question_list(contest: Contest, q: str = "") -> QuerySet[Question]:
    qs = contest.questions.all().order_by("id")
    if q:
        qs = qs.filter(stem_key__contains=fold(q))
    return qs


def round_ranking(round_: Round) -> QuerySet[RankEntry]:
    return (
        RankEntry.objects.filter(round=round_)
        .select_related("contestant", "contestant__unit")
        .order_by("rank", "id")
    )


def round_winners(round_: Round) -> QuerySet[RankEntry]:
    """Prize winners in rank order: the seam for the certificate engine (Awards, part 2)."""
    return round_ranking(round_).exclude(prize="")


def campaign_contests(campaign_id: int) -> QuerySet[Contest]:
    """A campaign's contests with their rounds in order (the schedule is public)."""
    return (
        Contest.objects.filter(campaign_id=campaign_id)
        .select_related("organiser_unit")
        .prefetch_related(Prefetch("rounds", queryset=Round.objects.order_by("number")))
        .order_by("created_at", "pk")
    )


def round_figures(round_: Round) -> dict[str, int]:
    """The published counts of a round: people who submitted, submissions, all-correct ones."""
    return Submission.objects.filter(round=round_).aggregate(
        participants=Count("contestant_id", distinct=True),
        submissions=Count("pk"),
        all_correct=Count("pk", filter=Q(score=round_.question_count)),
    )


def public_winners(round_: Round) -> QuerySet[RankEntry]:
    """Prize winners with only what the public results page shows: name, unit or ward, score
    and the tie-breaks that ordered them (prediction gap, time taken)."""
    return round_winners(round_).only(
        "rank", "prize", "score", "prediction_gap", "duration_ms", "contestant__full_name",
        "contestant__unit_text", "contestant__unit__name", "contestant__unit__short_name",
    )  # fmt: skip


def selectable_units() -> QuerySet[Unit]:
    """The units a contestant picks from on registration (current wards, offices, schools…)."""
    return Unit.objects.filter(
        valid_to__isnull=True,
        kind__in=[UnitKind.WARD, UnitKind.COMMUNE, UnitKind.OFFICE, UnitKind.SERVICE_UNIT,
                  UnitKind.SCHOOL, UnitKind.PARTY, UnitKind.MASS_ORG, UnitKind.ENTERPRISE],
    ).order_by("kind", "name_sort")  # fmt: skip


def public_contests() -> QuerySet[Contest]:
    return Contest.objects.filter(rounds__isnull=False).distinct().order_by("-created_at")


def collective_standings(contest: Contest) -> list[dict[str, Any]]:
    """Units by participation over the whole contest: entrants (people with a submission who
    chose the unit from the list) and the expected number, the organiser's figure (số người dự
    kiến) or else the unit's headcount. `rate` is an exact Fraction (None without a figure)."""
    entrants = dict(
        Submission.objects.filter(
            round__contest=contest, round__is_practice=False, unit__isnull=False
        )
        .values("unit_id")
        .annotate(n=Count("contestant_id", distinct=True))
        .values_list("unit_id", "n")
    )
    targets = dict(contest.unit_targets.values_list("unit_id", "expected"))
    units = Unit.objects.filter(pk__in=set(entrants) | set(targets)).only(
        "name", "short_name", "code", "headcount"
    )
    table = []
    for unit in units:
        n = entrants.get(unit.pk, 0)
        expected = targets.get(unit.pk) or unit.headcount or None
        table.append(
            {
                "unit_id": unit.pk,
                "unit": unit.short_name or unit.name,
                "code": unit.code,
                "entrants": n,
                "expected": expected,
                "expected_source": "target" if unit.pk in targets else "headcount",
                "rate": Fraction(n, expected) if expected else None,
            }
        )
    table.sort(key=lambda r: (-(r["rate"] or 0), -r["entrants"], vi_sort_key(r["unit"])))
    return table


def percent(rate: Fraction | None) -> Decimal | None:
    """A rate as a percentage with two decimals, for display and the stored result."""
    if rate is None:
        return None
    return (Decimal(rate.numerator) * 100 / Decimal(rate.denominator)).quantize(Decimal("0.01"))


def collective_table(contest: Contest) -> list[dict[str, Any]]:
    """The participation table of the statistics (rate shown in percent)."""
    return [{**row, "rate": percent(row["rate"])} for row in collective_standings(contest)]


def collective_results(contest: Contest) -> QuerySet[CollectiveResult]:
    return contest.collective_results.select_related("unit").order_by("rank", "id")


def collective_winners(contest: Contest) -> QuerySet[CollectiveResult]:
    return collective_results(contest).exclude(prize="")


def statistics(round_: Round) -> dict[str, Any]:
    """Participants per day, per unit or ward, per age group; all from the submissions."""
    subs = Submission.objects.filter(round=round_)
    per_day: dict[date, set[int]] = defaultdict(set)
    for contestant_id, at in subs.values_list("contestant_id", "submitted_at").iterator(
        chunk_size=5000
    ):
        per_day[timezone.localdate(at)].add(contestant_id)
    per_unit = (
        subs.values(
            "contestant__unit__short_name", "contestant__unit__name", "contestant__unit_text"
        )
        .annotate(n=Count("contestant_id", distinct=True))
        .order_by("-n")[:50]
    )
    year = round_.opens_at.year
    groups = [("Dưới 18", 0, 17), ("18–30", 18, 30), ("31–45", 31, 45), ("46–60", 46, 60),
              ("Trên 60", 61, 200)]  # fmt: skip
    ages = subs.aggregate(
        **{
            f"g{i}": Count(
                "contestant_id",
                distinct=True,
                filter=Q(
                    contestant__birth_year__gte=year - hi, contestant__birth_year__lte=year - lo
                ),
            )
            for i, (_, lo, hi) in enumerate(groups)
        }
    )
    return {
        "per_day": sorted((d, len(s)) for d, s in per_day.items()),
        "per_unit": [
            (
                r["contestant__unit__short_name"]
                or r["contestant__unit__name"]
                or r["contestant__unit_text"],
                r["n"],
            )
            for r in per_unit
        ],
        "per_age": [(label, ages[f"g{i}"]) for i, (label, _, _) in enumerate(groups)],
        **round_figures(round_),
    }
