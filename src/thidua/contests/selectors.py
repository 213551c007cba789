"""Reads of the contest, scoped to the actor; public reads expose name and unit only."""

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from thidua.accounts.models import Role, User
from thidua.contests import rules
from thidua.contests.models import Contest, Question, RankEntry, Round, Submission
from thidua.core.text import fold
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
    """Prize winners with only what the public results page shows: name, unit or ward, score."""
    return round_winners(round_).only(
        "rank", "prize", "score", "contestant__full_name", "contestant__unit_text",
        "contestant__unit__name", "contestant__unit__short_name",
    )  # fmt: skip


def public_contests() -> QuerySet[Contest]:
    return Contest.objects.filter(rounds__isnull=False).distinct().order_by("-created_at")


def collective_table(contest: Contest) -> list[dict[str, Any]]:
    """Units by participation: entrants (contestants with a submission) ÷ headcount."""
    rows = (
        Submission.objects.filter(round__contest=contest, unit__isnull=False)
        .values("unit_id", "unit__name", "unit__short_name", "unit__headcount")
        .annotate(entrants=Count("contestant_id", distinct=True))
    )
    table = []
    for row in rows:
        headcount = row["unit__headcount"] or 0
        table.append(
            {
                "unit": row["unit__short_name"] or row["unit__name"],
                "entrants": row["entrants"],
                "headcount": headcount,
                "rate": round(100 * row["entrants"] / headcount, 1) if headcount else None,
            }
        )
    table.sort(key=lambda r: (-(r["rate"] or 0), -r["entrants"], r["unit"]))
    return table


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
