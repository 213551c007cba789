from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q

from thidua.accounts.models import Role, User
from thidua.awards import award_rules, rules
from thidua.awards.models import (
    AppraisalRound,
    AwardRecord,
    AwardRule,
    AwardType,
    DocumentKind,
    DossierDocument,
    Hold,
    Nomination,
    Nominee,
    Target,
)
from thidua.campaigns.models import Campaign, Delivery
from thidua.core.calendar import add_working_days
from thidua.core.clock import now, today_local
from thidua.core.services import action_log_record
from thidua.core.uploads import UploadKind, check_upload, save_checked
from thidua.notifications.services import notify
from thidua.organizations.models import Person, Unit
from thidua.organizations.selectors import users_with_role_in

DOSSIER_KINDS = (UploadKind.PDF, UploadKind.DOCX, UploadKind.IMAGE)
# States in which a nominee is "in play": a second nomination for the same award is refused.
ACTIVE = [s for s in Nomination.Status.values if s not in {"draft", "withdrawn", "not_eligible"}]


def rule_in_force(award_type: AwardType, day: date) -> AwardRule:
    return award_rules.rule_in_force(award_type, day)


def _locked(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update()
        .select_related("award_type", "campaign", "unit")
        .get(pk=nomination.pk)
    )


def nomination_create(
    *,
    actor: User,
    campaign: Campaign,
    unit: Unit,
    award_type: AwardType,
    route: str = Nomination.Route.FULL,
) -> Nomination:
    if not rules.can_draft_nomination(actor, unit.pk):
        raise PermissionDenied
    if not Delivery.objects.filter(campaign=campaign, unit=unit).exists():
        raise ValidationError("Kế hoạch không gửi tới đơn vị này.")
    if route not in Nomination.Route.values:
        raise ValidationError({"route": "Thủ tục đề nghị không hợp lệ."})
    with transaction.atomic():
        n = Nomination.objects.create(
            campaign=campaign, unit=unit, award_type=award_type, route=route, created_by=actor
        )
        action_log_record(
            actor=actor,
            action="awards.nomination.created",
            target=n,
            data={"award_type": award_type.code},
        )
    return n


def nominee_add(
    *,
    actor: User,
    nomination: Nomination,
    person: Person | None = None,
    unit: Unit | None = None,
    achievements: str = "",
) -> Nominee:
    if not rules.can_draft_nomination(actor, nomination.unit_id):
        raise PermissionDenied
    if (person is None) == (unit is None):
        raise ValidationError("Chọn một cá nhân hoặc một tập thể.")
    with transaction.atomic():
        n = _locked(nomination)
        if n.status not in {Nomination.Status.DRAFT, Nomination.Status.RETURNED}:
            raise ValidationError("Hồ sơ đã gửi: không thêm người được đề nghị.")
        nominee = Nominee.objects.create(
            nomination=n,
            person=person,
            unit=unit,
            achievements=achievements,
            position=n.nominees.count(),
            subject=Target.INDIVIDUAL if person else Target.COLLECTIVE,
        )
        action_log_record(
            actor=actor, action="awards.nominee.added", target=n, data={"nominee": nominee.pk}
        )
    return nominee


def document_attach(
    *,
    actor: User,
    nomination: Nomination,
    kind: str,
    upload: UploadedFile,
    nominee: Nominee | None = None,
) -> DossierDocument:
    if not rules.can_draft_nomination(actor, nomination.unit_id):
        raise PermissionDenied
    if kind not in DocumentKind.values:
        raise ValidationError("Loại tài liệu không hợp lệ.")
    checked = check_upload(upload, allowed=DOSSIER_KINDS)
    with transaction.atomic():
        n = _locked(nomination)
        if n.status not in {Nomination.Status.DRAFT, Nomination.Status.RETURNED}:
            raise ValidationError("Hồ sơ đã gửi: không đính kèm thêm được.")
        name, _thumb = save_checked(checked, "dossiers")
        document = DossierDocument.objects.create(
            nomination=n,
            nominee=nominee,
            kind=kind,
            file=name,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            created_by=actor,
        )
        action_log_record(
            actor=actor,
            action="awards.document.attached",
            target=n,
            data={"kind": kind, "file": checked.original_name},
        )
    return document


def _document_problems(
    nomination: Nomination, rule: AwardRule, nominees: list[Nominee]
) -> list[str]:
    documents = list(nomination.documents.all())
    kinds = {d.kind for d in documents if d.nominee_id is None}
    reports = {d.nominee_id for d in documents if d.kind == DocumentKind.ACHIEVEMENT_REPORT}
    labels = dict(DocumentKind.choices)
    problems: list[str] = []
    for required in rule.required_documents(nomination.route):
        if required == DocumentKind.ACHIEVEMENT_REPORT:
            problems += [
                f"Thiếu báo cáo thành tích của {n}."
                for n in nominees
                if n.pk not in reports and not n.achievements.strip()
            ]
        elif required not in kinds:
            problems.append(f"Thiếu {labels.get(required, required).lower()}.")
    return problems


def _nominee_problems(nomination: Nomination, nominee: Nominee, day: date) -> list[str]:
    award = nomination.award_type
    problems: list[str] = []
    if not award.allows(nominee.subject):
        problems.append(
            f"“{award.name}” không dành cho {nominee.get_subject_display().lower()} ({nominee})."
        )
    holds = Hold.objects.filter(
        Q(active_to__isnull=True) | Q(active_to__gte=day), active_from__lte=day
    )
    held = (
        holds.filter(person=nominee.person) if nominee.person else holds.filter(unit=nominee.unit)
    )
    if held.exists():
        problems.append(
            f"{nominee} đang trong thời gian xem xét kỷ luật hoặc thanh tra, chưa xét khen."
        )
    same = Nominee.objects.filter(
        nomination__campaign=nomination.campaign,
        nomination__award_type=award,
        nomination__status__in=ACTIVE,
    ).exclude(nomination=nomination)
    same = same.filter(person=nominee.person) if nominee.person else same.filter(unit=nominee.unit)
    if same.exists():
        problems.append(f"{nominee} đã được đề nghị “{award.name}” trong phong trào này.")
    awarded = AwardRecord.objects.filter(
        campaign=nomination.campaign, award_type=award, status=AwardRecord.Status.VALID
    )
    awarded = (
        awarded.filter(person=nominee.person)
        if nominee.person
        else awarded.filter(unit=nominee.unit, person__isnull=True)
    )
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
    nominees = list(nomination.nominees.select_related("person", "unit"))
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


def nomination_send_for_approval(*, actor: User, nomination: Nomination) -> Nomination:
    with transaction.atomic():
        n = _locked(nomination)
        if not rules.can_draft_nomination(actor, n.unit_id):
            raise PermissionDenied
        if n.status == Nomination.Status.PENDING_UNIT_APPROVAL:
            return n
        if n.status not in {Nomination.Status.DRAFT, Nomination.Status.RETURNED}:
            raise ValidationError("Chỉ gửi duyệt được hồ sơ đang soạn hoặc bị trả lại.")
        n.status = Nomination.Status.PENDING_UNIT_APPROVAL
        n.save(update_fields=["status"])
        action_log_record(actor=actor, action="awards.nomination.sent_for_approval", target=n)
        notify(
            users=users_with_role_in(unit_ids={n.unit_id}, roles={Role.UNIT_HEAD}),
            title=f"Hồ sơ khen thưởng chờ duyệt: {n.award_type.name}"[:255],
        )
    return n


def nomination_submit(*, actor: User, nomination: Nomination) -> Nomination:
    """The unit head submits to Nội vụ; every eligibility problem is reported together."""
    with transaction.atomic():
        n = _locked(nomination)
        if not rules.can_submit_nomination(actor, n):
            raise PermissionDenied
        if n.status == Nomination.Status.SUBMITTED:
            return n  # double click or retry
        if n.status not in {
            Nomination.Status.DRAFT,
            Nomination.Status.PENDING_UNIT_APPROVAL,
            Nomination.Status.RETURNED,
        }:
            raise ValidationError("Hồ sơ không ở trạng thái có thể gửi.")
        day = today_local()
        problems = eligibility_problems(n, day)
        if problems:
            raise ValidationError(problems)
        n.status, n.submitted_at, n.rule = (
            Nomination.Status.SUBMITTED,
            now(),
            rule_in_force(n.award_type, day),
        )
        n.save(update_fields=["status", "submitted_at", "rule"])
        action_log_record(
            actor=actor,
            action="awards.nomination.submitted",
            target=n,
            data={"nominees": n.nominees.count(), "rule": n.rule_id},
        )
        notify(
            users=users_with_role_in(
                unit_ids={n.campaign.standing_agency_id or n.campaign.owner_unit_id},
                roles={Role.EMULATION_OFFICE},
            ),
            title=f"{n.unit.name} gửi hồ sơ đề nghị {n.award_type.name}"[:255],
        )
    return n


def nomination_receive(*, actor: User, nomination: Nomination) -> Nomination:
    """Nội vụ receives a complete dossier: appraisal starts and its working-day deadline runs."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    with transaction.atomic():
        n = _locked(nomination)
        if n.status == Nomination.Status.UNDER_APPRAISAL:
            return n
        if n.status != Nomination.Status.SUBMITTED:
            raise ValidationError("Chỉ tiếp nhận được hồ sơ đã gửi.")
        rule = n.rule or rule_in_force(n.award_type, today_local())
        n.status, n.appraisal_due = (
            Nomination.Status.UNDER_APPRAISAL,
            add_working_days(today_local(), rule.processing_working_days),
        )
        n.save(update_fields=["status", "appraisal_due"])
        action_log_record(
            actor=actor,
            action="awards.nomination.received",
            target=n,
            data={"appraisal_due": n.appraisal_due.isoformat()},
        )
    return n


def _appraise(
    actor: User, nomination: Nomination, outcome: str, note: str, checklist: dict[str, Any]
) -> Nomination:
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if outcome != AppraisalRound.Outcome.ELIGIBLE and not note.strip():
        raise ValidationError("Cần ghi rõ lý do để đơn vị biết.")
    with transaction.atomic():
        n = _locked(nomination)
        if n.status != Nomination.Status.UNDER_APPRAISAL:
            raise ValidationError(
                f"Không thể thẩm định hồ sơ đang ở trạng thái “{n.get_status_display()}”."
            )
        AppraisalRound.objects.create(
            nomination=n,
            number=n.appraisals.count() + 1,
            outcome=outcome,
            checklist=checklist,
            note=note,
            by=actor,
        )
        n.status, n.review_note = Nomination.Status(outcome), note
        if (
            outcome == AppraisalRound.Outcome.ELIGIBLE
            and n.rule is not None
            and not n.rule.council_vote
        ):
            n.status = (
                Nomination.Status.RECOMMENDED
            )  # the rules need no council vote for this award
        n.save(update_fields=["status", "review_note"])
        action_log_record(
            actor=actor, action=f"awards.nomination.{outcome}", target=n, data={"note": note}
        )
        wording = {
            "returned": "bị trả lại để bổ sung",
            "eligible": "đủ điều kiện",
            "not_eligible": "không đủ điều kiện",
        }[outcome]
        notify(
            users=users_with_role_in(
                unit_ids={n.unit_id}, roles={Role.UNIT_OFFICER, Role.UNIT_HEAD}
            ),
            title=f"Hồ sơ {n.award_type.name} {wording}"[:255],
            body=note,
        )
    return n


def nomination_return(
    *, actor: User, nomination: Nomination, note: str, checklist: dict[str, Any] | None = None
) -> Nomination:
    return _appraise(actor, nomination, AppraisalRound.Outcome.RETURNED, note, checklist or {})


def nomination_appraise(
    *,
    actor: User,
    nomination: Nomination,
    eligible: bool,
    note: str = "",
    checklist: dict[str, Any] | None = None,
) -> Nomination:
    outcome = AppraisalRound.Outcome.ELIGIBLE if eligible else AppraisalRound.Outcome.NOT_ELIGIBLE
    return _appraise(actor, nomination, outcome, note, checklist or {})


def nominations_overdue(*, campaign: Campaign, day: date | None = None) -> Sequence[Nomination]:
    """Dossiers whose appraisal deadline (working days) has passed."""
    return list(
        Nomination.objects.filter(
            campaign=campaign,
            status=Nomination.Status.UNDER_APPRAISAL,
            appraisal_due__lt=day or today_local(),
        ).select_related("unit")
    )


def hold_add(
    *,
    actor: User,
    reason: str,
    active_from: date,
    active_to: date | None = None,
    person: Person | None = None,
    unit: Unit | None = None,
) -> Hold:
    """Stop awards to a person or collective under discipline or inspection (sensitive)."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if (person is None) == (unit is None):
        raise ValidationError("Chọn một cá nhân hoặc một tập thể.")
    if not reason.strip():
        raise ValidationError("Cần ghi lý do (ví dụ: đang xem xét kỷ luật, đang thanh tra).")
    if active_to is not None and active_to < active_from:
        raise ValidationError("Ngày kết thúc phải sau ngày bắt đầu.")
    with transaction.atomic():
        hold = Hold.objects.create(
            person=person,
            unit=unit,
            reason=reason.strip(),
            active_from=active_from,
            active_to=active_to,
        )
        action_log_record(actor=actor, action="awards.hold.added", target=hold)
    return hold


def hold_end(*, actor: User, hold: Hold, day: date) -> Hold:
    if not rules.can_appraise(actor):
        raise PermissionDenied
    with transaction.atomic():
        h = Hold.objects.select_for_update().get(pk=hold.pk)
        if h.active_to is not None and h.active_to <= day:
            return h
        if day < h.active_from:
            raise ValidationError("Ngày kết thúc phải sau ngày bắt đầu.")
        h.active_to = day
        h.save(update_fields=["active_to"])
        action_log_record(
            actor=actor, action="awards.hold.ended", target=h, data={"on": day.isoformat()}
        )
    return h
