"""What stops a dossier: missing papers, nominee conditions, quotas in the campaign and the rule, duplicates."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q

from thidua.awards.models import (
    AwardRecord,
    AwardRule,
    Hold,
    Nomination,
    Nominee,
    Subject,
)
from thidua.awards.services.common import (
    ACTIVE,
    rule_in_force,
)
from thidua.awards.services.dossier_files import (
    _document_problems,
)


def hold_problems(nominee: Nominee, day: date) -> list[str]:
    """A person or collective under an active hold (discipline, inspection) on `day`."""
    holds = Hold.objects.filter(
        Q(active_to__isnull=True) | Q(active_to__gte=day), active_from__lte=day
    )
    held = (
        holds.filter(person=nominee.person) if nominee.person else holds.filter(unit=nominee.unit)
    )
    if nominee.household_id is None and held.exists():
        return [f"{nominee} đang trong thời gian xem xét kỷ luật hoặc thanh tra, chưa xét khen."]
    return []


def _nominee_problems(nomination: Nomination, nominee: Nominee, day: date) -> list[str]:
    award = nomination.award_type
    problems: list[str] = []
    if not award.allows(nominee.subject):
        problems.append(
            f"“{award.name}” không dành cho {nominee.get_subject_display().lower()} ({nominee})."
        )
    problems += hold_problems(nominee, day)
    awarded = AwardRecord.objects.filter(
        campaign=nomination.campaign, award_type=award, status=AwardRecord.Status.VALID
    )
    if nominee.person:
        awarded = awarded.filter(person=nominee.person)
    elif nominee.household:
        awarded = awarded.filter(household=nominee.household)
    else:
        awarded = awarded.filter(unit=nominee.unit, subject=Subject.COLLECTIVE)
    if record := awarded.select_related("decision__number").first():
        problems.append(
            f"{nominee} đã được tặng “{award.name}” trong phong trào này "
            f"(Quyết định số {record.decision_reference}, số vào sổ {record.registry_reference})."
        )
    return problems


def _campaign_quota_problems(nomination: Nomination, rule: AwardRule, count: int) -> list[str]:
    if rule.quota_per_campaign is None:
        return []
    used = (
        Nominee.objects.filter(
            nomination__campaign=nomination.campaign,
            nomination__award_type=nomination.award_type,
            nomination__status__in=ACTIVE,
        )
        .exclude(nomination=nomination)
        .count()
    )
    if used + count <= rule.quota_per_campaign:
        return []
    return [
        f"Vượt số lượng của cả phong trào: tối đa {rule.quota_per_campaign} “{nomination.award_type.name}” "
        f"(đã đề nghị {used}, hồ sơ này {count})."
    ]


def _quota_problems(nomination: Nomination, rule: AwardRule, count: int) -> list[str]:
    if rule.quota_per_unit is None:
        return []
    used = (
        Nominee.objects.filter(
            nomination__campaign=nomination.campaign,
            nomination__award_type=nomination.award_type,
            nomination__unit=nomination.unit,
            nomination__status__in=ACTIVE,
        )
        .exclude(nomination=nomination)
        .count()
    )
    if used + count <= rule.quota_per_unit:
        return []
    return [
        f"Vượt số lượng: đơn vị được đề nghị tối đa {rule.quota_per_unit} “{nomination.award_type.name}” "
        f"(đã đề nghị {used}, hồ sơ này {count})."
    ]


def eligibility_problems(nomination: Nomination, day: date) -> list[str]:
    """Every reason the dossier cannot go forward, in Vietnamese, so the unit fixes all at once."""
    try:
        rule = rule_in_force(nomination.award_type, day)
    except ValidationError as exc:
        return list(exc.messages)
    nominees = list(nomination.nominees.select_related("person", "unit", "household"))
    problems = [] if nominees else ["Hồ sơ chưa có người hoặc tập thể được đề nghị."]
    if nomination.route == Nomination.Route.SIMPLIFIED and not rule.allows_simplified:
        problems.append(f"“{nomination.award_type.name}” không áp dụng thủ tục đơn giản.")
    if rule.proposer_kinds and nomination.unit.kind not in rule.proposer_kinds:
        problems.append(
            f"{nomination.unit.name} không thuộc các đơn vị được đề nghị “{nomination.award_type.name}”."
        )
    problems += _document_problems(nomination, rule, nominees)
    for nominee in nominees:
        problems += _nominee_problems(nomination, nominee, day)
    return (
        problems
        + _quota_problems(nomination, rule, len(nominees))
        + _campaign_quota_problems(nomination, rule, len(nominees))
    )


def duplicate_warnings(nomination: Nomination) -> list[str]:
    """Subjects of this dossier who are also in another dossier of the campaign. A warning for
    the unit and for Nội vụ at appraisal, never a block: Nội vụ decides (domain guide §8.3)."""
    nominees = list(nomination.nominees.all())
    people = {x.person_id for x in nominees if x.person_id}
    units = {x.unit_id for x in nominees if x.unit_id}
    households = {x.household_id for x in nominees if x.household_id}
    if not nominees:
        return []
    others = (
        Nominee.objects.filter(
            Q(person_id__in=people) | Q(unit_id__in=units) | Q(household_id__in=households)
        )
        .filter(nomination__campaign_id=nomination.campaign_id)
        .exclude(nomination_id=nomination.pk)
        .exclude(nomination__status=Nomination.Status.WITHDRAWN)
        .select_related("person", "unit", "household", "nomination__unit", "nomination__award_type")
        .order_by("nomination__created_at", "nomination_id", "position")
    )
    return [
        f"{other} cũng có trong hồ sơ đề nghị “{other.nomination.award_type.name}” của "
        f"{other.nomination.unit.name} ({other.nomination.get_status_display().lower()})."
        for other in others
    ]
