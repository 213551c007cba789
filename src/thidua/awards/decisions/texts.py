"""What a decision says: its issuer, recipients, legal bases by the law in force, default
articles."""

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError

from thidua.awards.award_rules import rule_in_force, rule_set_in_force
from thidua.awards.documents import authority_phrase
from thidua.awards.models import (
    AgendaItem,
    AppraisalRound,
    AwardRule,
    AwardType,
    Decision,
    DecisionLine,
    Nominee,
    Subject,
)
from thidua.campaigns.models import Campaign
from thidua.organizations.models import Unit, UnitKind

REGISTRY_SERIES = "SOVANG"  # the registry's own yearly series in core.DocumentSequence
EDITABLE = (
    "summary",
    "drafted_on",
    "legal_bases",
    "articles",
    "recipients",
    "signer_authority",
    "signer_title_line",
    "signer_title",
    "signer_name",
)


def _issuer_for(award_type: AwardType, campaign: Campaign) -> Unit:
    """The authority that signs: the province for provincial awards, else the campaign's owner."""
    if award_type.level == AwardType.Level.PROVINCE:
        unit: Unit | None = campaign.owner_unit
        while unit is not None and unit.kind != UnitKind.PROVINCE:
            unit = unit.parent
        if unit is not None:
            return unit
    return campaign.owner_unit


def _full_authority(unit: Unit) -> str:
    return unit.name.replace("UBND", "Ủy ban nhân dân")


def _recipient(nominee: Nominee) -> tuple[str, str]:
    if nominee.person is not None:
        person = nominee.person
        detail = ", ".join(x for x in (person.position, person.unit.name) if x)
        return f"{person.salutation} {person.full_name}", detail
    if nominee.household is not None:  # "Hộ ông Nguyễn Văn Hùng", its address
        return str(nominee.household), nominee.household.full_address
    return str(nominee.unit), ""


def recommended_at(nominee: Nominee) -> date | None:
    """When the nominee was recommended: the council's vote, or the appraisal when no vote."""
    item = (
        AgendaItem.objects.filter(
            nominee=nominee, status=AgendaItem.Status.CLOSED, recommended=True
        )
        .select_related("session")
        .order_by("-session__held_on")
        .first()
    )
    if item is not None:
        return item.session.held_on
    last = AppraisalRound.objects.filter(
        nomination_id=nominee.nomination_id, outcome=AppraisalRound.Outcome.ELIGIBLE
    ).last()
    return last.at.date() if last else None


def campaign_phrase(campaign: Campaign) -> str:
    """ "phong trào thi đua …" from a plan title that starts "Phát động phong trào …"."""
    title = campaign.title.strip()
    for lead in ("Phát động ", "Kế hoạch "):
        if title.startswith(lead):
            title = title[len(lead) :]
    return title[:1].lower() + title[1:]


def _basis(line: str) -> str:
    """ "Căn cứ Luật …;" from a rule's line, whether or not it was written with "Căn cứ"."""
    text = line.strip().rstrip(";.").strip()
    if not text.lower().startswith("căn cứ"):
        text = f"Căn cứ {text}"
    return f"{text};"


def _counted(lines: Sequence[DecisionLine]) -> str:
    """ "02 tập thể, 03 cá nhân và 01 hộ gia đình": the groups of a list, in annex order."""
    parts = [
        f"{count:02d} {label}"
        for value, label in (
            (Subject.COLLECTIVE, "tập thể"),
            (Subject.INDIVIDUAL, "cá nhân"),
            (Subject.HOUSEHOLD, "hộ gia đình"),
        )
        if (count := sum(1 for line in lines if line.subject == value))
    ]
    return ", ".join(parts[:-1]) + " và " + parts[-1] if len(parts) > 1 else "".join(parts)


def grant_legal_bases(
    campaign: Campaign, award_type: AwardType, day: date
) -> tuple[list[str], AwardRule]:
    """The bases of a grant dated `day`: the law of the rule in force that day, the plan, and
    whose proposal it follows."""
    rule = rule_in_force(award_type, day)
    bases = [_basis(line) for line in rule.legal_basis_lines()]
    if campaign.issued_number_id and campaign.issued_on:
        bases.append(
            f"Căn cứ Kế hoạch số {campaign.reference} ngày {campaign.issued_on:%d/%m/%Y} của "
            f"{campaign.issuer_name} về {campaign_phrase(campaign)};"
        )
    bases.append(
        "Xét đề nghị của Hội đồng Thi đua – Khen thưởng và Trưởng phòng Nội vụ."
        if rule.council_vote
        else "Xét đề nghị của Trưởng phòng Nội vụ."
    )
    return bases, rule


def correction_legal_bases(original: Decision, day: date) -> tuple[list[str], AwardRule | None]:
    """The bases of a decision amending or revoking `original`, dated `day`: the law in force
    that day (the award kind's rule, else the rule set's common bases, else the original's),
    then the original decision."""
    rule: AwardRule | None
    try:
        rule = rule_in_force(original.award_type, day)
        common = [_basis(line) for line in rule.legal_basis_lines()]
    except ValidationError:  # the kind is gone from the law (a district award after 2025)
        rule, current = None, rule_set_in_force(day)
        common = (
            [_basis(line) for line in current.legal_basis_lines()]
            if current is not None
            else [b for b in original.legal_bases if not b.startswith(("Xét", "Căn cứ Kế hoạch"))]
        )
    return [
        *common,
        f"Căn cứ {original.citation} của "
        f"{authority_phrase(original.award_type, original.issuer)} về việc tặng "
        f"{original.award_type.name};",
        "Xét đề nghị của Trưởng phòng Nội vụ.",
    ], rule


def computed_legal_bases(d: Decision, day: date) -> tuple[list[str], AwardRule | None]:
    if d.kind == Decision.Kind.GRANT or d.corrects is None:
        return grant_legal_bases(d.campaign, d.award_type, day)
    return correction_legal_bases(d.corrects, day)


def rule_label(rule: AwardRule | None) -> str:
    if rule is None:
        return "căn cứ của quyết định gốc"
    if rule.rule_set is not None:
        return f"“{rule.rule_set.name}” ({rule.rule_set.period})"
    return f"quy định “{rule.award_type.name}” áp dụng từ {rule.effective_from:%d/%m/%Y}"


def _default_texts(
    campaign: Campaign, award_type: AwardType, lines: Sequence[DecisionLine], day: date
) -> dict[str, object]:
    bases, rule = grant_legal_bases(campaign, award_type, day)
    return {
        "summary": f"Về việc tặng {award_type.name}",
        "drafted_on": day,
        "legal_bases": bases,
        "rule": rule,
        "articles": [
            f"Điều 1. Tặng {award_type.name} cho {_counted(lines)} (có danh sách kèm theo) đã có "
            f"thành tích xuất sắc trong {campaign_phrase(campaign)}.",
            "Điều 2. Tiền thưởng kèm theo thực hiện theo quy định hiện hành về thi đua, khen "
            "thưởng.",
            "Điều 3. Chánh Văn phòng, Trưởng phòng Nội vụ, thủ trưởng các cơ quan, đơn vị có "
            "liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành "
            "Quyết định này.",
        ],
        "recipients": ["Như Điều 3", "Lưu: VT, NV"],
        "signer_authority": "",
        "signer_title_line": "",
        "signer_title": "CHỦ TỊCH",
    }
