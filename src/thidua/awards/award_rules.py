"""Award rules as data: rule sets (the law in force over a period) with one rule per award kind.

Nội vụ edits them on the staff page (rule_views.py); decisions cite the legal bases of the rule
in force on their date, nominations are judged by the rule in force on submission, councils
take quorum and thresholds from it.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet

from thidua.accounts.models import User
from thidua.awards import rules
from thidua.awards.models import AwardRule, AwardType, RuleSet
from thidua.core.services import action_log_record

# Fields of a rule set and of an award kind's rule that the staff page edits and the log records.
RULE_SET_FIELDS = (
    "name",
    "effective_from",
    "effective_to",
    "legal_bases",
    "quorum_numerator",
    "quorum_denominator",
    "note",
)
AWARD_RULE_FIELDS = (
    "decided_by",
    "legal_basis",
    "standards",
    "full_documents",
    "simplified_documents",
    "allows_simplified",
    "proposer_kinds",
    "quota_per_campaign",
    "quota_per_unit",
    "council_vote",
    "secret_ballot",
    "threshold_percent",
    "processing_working_days",
    "disclosure_days",
    "prize_individual",
    "prize_collective",
    "prize_household",
)


def rule_in_force(award_type: AwardType, day: date) -> AwardRule:
    """The award kind's rule on `day`: the latest that has started and not ended; a rule of a
    rule set wins over a stand-alone rule of the same date."""
    rule = (
        AwardRule.objects.filter(award_type=award_type, effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .select_related("rule_set", "award_type")
        .order_by("-effective_from", F("rule_set_id").desc(nulls_last=True))
        .first()
    )
    if rule is not None:
        return rule
    message = f"Chưa có quy định cho “{award_type.name}” áp dụng vào ngày {day:%d/%m/%Y}."
    current = rule_set_in_force(day)
    if current is not None:
        message += (
            f" Quy định đang áp dụng (“{current.name}”, từ {current.effective_from:%d/%m/%Y})"
            " không có hình thức khen thưởng này."
        )
    raise ValidationError(message)


def rule_set_in_force(day: date) -> RuleSet | None:
    return (
        RuleSet.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )


def quorum_in_force(day: date) -> tuple[int, int]:
    """The council quorum of the rule set in force on `day` (two thirds when none)."""
    current = rule_set_in_force(day)
    return (current.quorum_numerator, current.quorum_denominator) if current else (2, 3)


def rule_set_list() -> QuerySet[RuleSet]:
    return RuleSet.objects.prefetch_related("rules__award_type").order_by("-effective_from")


# --------------------------------------------------------------------------- writes


@dataclass
class AwardRuleData:
    """One row of the award-kinds formset: `rule` is None for a new kind, `delete` removes it."""

    award_type: AwardType
    values: dict[str, Any]
    rule: AwardRule | None = None
    delete: bool = False


def _overlap_problem(rule_set: RuleSet) -> str | None:
    end = rule_set.effective_to or date.max
    clash = (
        RuleSet.objects.exclude(pk=rule_set.pk)
        .filter(effective_from__lte=end)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=rule_set.effective_from))
        .order_by("effective_from")
        .first()
    )
    if clash is None:
        return None
    hint = ""
    if clash.effective_from < rule_set.effective_from and clash.effective_to is None:
        hint = (
            f" Hãy ghi ngày kết thúc của quy định đó (đến hết ngày "
            f"{rule_set.effective_from - timedelta(days=1):%d/%m/%Y}) trước."
        )
    return (
        f"Thời gian áp dụng trùng với quy định “{clash.name}” ({clash.period}): mỗi ngày chỉ "
        f"được có một bộ quy định khen thưởng.{hint}"
    )


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    return value


def _changes(obj: Any, values: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    changed = {}
    for name in fields:
        if name not in values:
            continue
        before, after = getattr(obj, name), values[name]
        if isinstance(before, Decimal) and after is not None:
            after = Decimal(after)
        if before != after:
            changed[name] = {"trước": _plain(before), "sau": _plain(after)}
    return changed


def rule_set_save(
    *,
    actor: User,
    rule_set: RuleSet | None,
    values: dict[str, Any],
    award_rules: list[AwardRuleData],
    version: int | None = None,
) -> RuleSet:
    """Create or edit a rule set with its award kinds in one step, logged with the changed fields.

    Writers are serialised by locking every rule set row (a handful), so two editors cannot
    make overlapping periods at once; `version` refuses a save based on a stale page.
    """
    if not rules.can_edit_award_rules(actor):
        raise PermissionDenied
    with transaction.atomic():
        list(RuleSet.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
        creating = rule_set is None
        rs = RuleSet() if rule_set is None else RuleSet.objects.get(pk=rule_set.pk)
        if not creating and version is not None and rs.version != version:
            raise ValidationError(
                "Quy định này vừa được người khác sửa. Hãy tải lại trang để xem bản mới nhất "
                "trước khi sửa tiếp; thay đổi của đồng chí chưa được lưu."
            )
        changed = _changes(rs, values, RULE_SET_FIELDS) if not creating else {}
        for name in RULE_SET_FIELDS:
            if name in values:
                setattr(rs, name, values[name])
        problems = _rule_set_problems(rs, award_rules)
        if problems:
            raise ValidationError(problems)
        rs.version = 1 if creating else rs.version + 1
        rs.save()
        kinds = _save_award_rules(rs, award_rules)
        if creating:
            action_log_record(
                actor=actor,
                action="awards.rule_set.created",
                target=rs,
                data={
                    "name": rs.name,
                    "period": rs.period,
                    "kinds": [k for k, _ in kinds.items()],
                },
            )
        elif changed or kinds:
            action_log_record(
                actor=actor,
                action="awards.rule_set.changed",
                target=rs,
                data={"fields": changed, "kinds": kinds},
            )
    return rs


def _rule_set_problems(rs: RuleSet, award_rules: list[AwardRuleData]) -> list[str]:
    problems = []
    if not rs.name.strip():
        problems.append("Cần nhập tên quy định.")
    if rs.effective_to is not None and rs.effective_to < rs.effective_from:
        problems.append("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu áp dụng.")
    elif (overlap := _overlap_problem(rs)) is not None:
        problems.append(overlap)
    if rs.quorum_denominator < 1 or rs.quorum_numerator > rs.quorum_denominator:
        problems.append("Số thành viên tối thiểu phải là một phân số không lớn hơn 1 (ví dụ 2/3).")
    kept = [row for row in award_rules if not row.delete]
    seen: set[int] = set()
    for row in kept:
        if row.award_type.pk in seen:
            problems.append(f"Hình thức “{row.award_type.name}” được khai báo hai lần.")
        seen.add(row.award_type.pk)
    if rs.pk is not None:
        problems.extend(
            f"Không bỏ được “{row.award_type.name}”: đã có hồ sơ hoặc quyết định áp dụng "
            "quy định này."
            for row in award_rules
            if row.delete and row.rule is not None and _rule_in_use(row.rule)
        )
    return problems


def _rule_in_use(rule: AwardRule) -> bool:
    from thidua.awards.models import Decision, Nomination

    return (
        Nomination.objects.filter(rule=rule).exists() or Decision.objects.filter(rule=rule).exists()
    )


def _save_award_rules(rs: RuleSet, award_rules: list[AwardRuleData]) -> dict[str, Any]:
    """Apply the formset; return what changed per award kind code, for the log."""
    changes: dict[str, Any] = {}
    for row in award_rules:
        code = row.award_type.code
        if row.delete:
            if row.rule is not None:
                row.rule.delete()
                changes[code] = "bỏ"
            continue
        rule = row.rule or AwardRule(rule_set=rs, award_type=row.award_type)
        diff = _changes(rule, row.values, AWARD_RULE_FIELDS) if row.rule else {}
        for name in AWARD_RULE_FIELDS:
            if name in row.values:
                setattr(rule, name, row.values[name])
        rule.award_type = row.award_type
        rule.effective_from, rule.effective_to = rs.effective_from, rs.effective_to
        rule.save()
        if row.rule is None:
            changes[code] = "thêm"
        elif diff:
            changes[code] = diff
    # Dates follow the rule set even for kinds the formset did not touch.
    rs.rules.update(effective_from=rs.effective_from, effective_to=rs.effective_to)
    return changes
