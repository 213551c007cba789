import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from thidua.accounts.models import Role, User
from thidua.awards import award_rules, rules
from thidua.awards.models import (
    AppraisalRound,
    AwardRecord,
    AwardRule,
    AwardType,
    ContributionKind,
    DocumentKind,
    DossierDocument,
    Hold,
    Household,
    Nomination,
    Nominee,
    Subject,
    Target,
)
from thidua.campaigns.models import Campaign, Delivery
from thidua.core.calendar import add_working_days
from thidua.core.clock import now, today_local
from thidua.core.services import action_log_record
from thidua.core.text import fold, vi_sort_key
from thidua.core.transitions import require, transition
from thidua.core.uploads import UploadKind, check_upload, save_checked
from thidua.notifications.services import notify
from thidua.organizations.models import Person, Unit
from thidua.organizations.selectors import users_with_role_in

DOSSIER_KINDS = (UploadKind.PDF, UploadKind.DOCX, UploadKind.IMAGE)
# States in which a nominee is "in play" and counts toward the quotas.
ACTIVE = [s for s in Nomination.Status.values if s not in {"draft", "withdrawn", "not_eligible"}]
# The unit may change its nominees and files only while the dossier is with it.
EDITABLE = Nomination.EDITABLE
NOMINATION_RELATED = ("award_type", "campaign", "unit")


def rule_in_force(award_type: AwardType, day: date) -> AwardRule:
    return award_rules.rule_in_force(award_type, day)


def _locked(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update()
        .select_related(*NOMINATION_RELATED)
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
        if n.status not in EDITABLE:
            raise ValidationError("Hồ sơ đã gửi: không thêm người được đề nghị.")
        same = n.nominees.filter(person=person) if person else n.nominees.filter(unit=unit)
        if same.exists():
            raise ValidationError(f"{person or unit} đã có trong hồ sơ này.")
        nominee = Nominee.objects.create(
            nomination=n,
            person=person,
            unit=unit,
            achievements=achievements,
            position=_next_position(n),
            subject=Target.INDIVIDUAL if person else Target.COLLECTIVE,
        )
        action_log_record(
            actor=actor, action="awards.nominee.added", target=n, data={"nominee": nominee.pk}
        )
    return nominee


def household_nominee_add(
    *,
    actor: User,
    nomination: Nomination,
    head_name: str,
    address: str,
    contribution_kind: str,
    contribution: str,
    head_title: str = Household.HeadTitle.MR,
    contribution_value: Decimal | None = None,
    achievements: str = "",
) -> Nominee:
    """Nominate a household of the proposing ward for what it gave, its contribution recorded.
    The same household (head and address) nominated again reuses its record."""
    if not rules.can_draft_nomination(actor, nomination.unit_id):
        raise PermissionDenied
    name, place = " ".join(head_name.split()), " ".join(address.split())
    errors: dict[str, str] = {}
    if len(name) < 2:  # noqa: PLR2004 - a name has letters
        errors["head_name"] = "Cần ghi họ tên chủ hộ."
    if not place:
        errors["address"] = "Cần ghi địa chỉ của hộ (thôn, tổ dân phố, số nhà)."
    if head_title not in Household.HeadTitle.values:
        errors["head_title"] = "Chọn ông hoặc bà."
    if contribution_kind not in ContributionKind.values:
        errors["contribution_kind"] = "Chọn hình thức đóng góp: công sức, đất đai hoặc tài sản."
    if not contribution.strip():
        errors["contribution"] = "Cần ghi nội dung đóng góp của hộ."
    if contribution_value is not None and contribution_value < 0:
        errors["contribution_value"] = "Giá trị quy đổi không được âm."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        n = _editable(actor, nomination, "Hồ sơ đã gửi: không thêm người được đề nghị.")
        household, created = Household.objects.get_or_create(
            unit=n.unit,
            key=f"{fold(name)}|{fold(place)}",
            defaults={
                "head_title": head_title,
                "head_name": name,
                "address": place,
                "search_text": fold(f"{name} {place}"),
                "name_sort": vi_sort_key(name),
            },
        )
        if not created and household.head_title != head_title:
            household.head_title = head_title
            household.save(update_fields=["head_title"])
        if n.nominees.filter(household=household).exists():
            raise ValidationError(f"{household} đã có trong hồ sơ này.")
        nominee = Nominee.objects.create(
            nomination=n,
            household=household,
            subject=Subject.HOUSEHOLD,
            contribution_kind=contribution_kind,
            contribution=contribution.strip(),
            contribution_value=contribution_value,
            achievements=achievements.strip(),
            position=_next_position(n),
        )
        action_log_record(
            actor=actor,
            action="awards.nominee.added",
            target=n,
            data={"nominee": nominee.pk, "name": str(household)},
        )
    return nominee


def _next_position(nomination: Nomination) -> int:
    last = nomination.nominees.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


def _renumber(nomination: Nomination) -> None:
    """Positions 0, 1, 2… in the current order (after a removal or a move)."""
    for i, nominee in enumerate(nomination.nominees.order_by("position", "pk")):
        if nominee.position != i:
            Nominee.objects.filter(pk=nominee.pk).update(position=i)


def _editable(actor: User, nomination: Nomination, refused: str) -> Nomination:
    """Lock the dossier; only its unit edits it, and only while it is a draft or returned."""
    n = _locked(nomination)
    if not rules.can_draft_nomination(actor, n.unit_id):
        raise PermissionDenied
    if n.status not in EDITABLE:
        raise ValidationError(refused)
    return n


def nominee_remove(*, actor: User, nominee: Nominee) -> None:
    """Take a nominee off the list; the files about them leave the dossier (kept as history)."""
    with transaction.atomic():
        n = _editable(actor, nominee.nomination, "Hồ sơ đã gửi: không bỏ người được đề nghị.")
        gone = Nominee.objects.filter(pk=nominee.pk, nomination=n).first()
        if gone is None:
            return  # a double click
        label = str(gone)
        n.documents.filter(nominee=gone, retired="").update(
            retired=DossierDocument.Retired.REMOVED, retired_by=actor, retired_at=now()
        )
        gone.delete()
        _renumber(n)
        action_log_record(
            actor=actor,
            action="awards.nominee.removed",
            target=n,
            data={"nominee": nominee.pk, "name": label},
        )


def nominee_move(*, actor: User, nominee: Nominee, offset: int) -> None:
    """Move a nominee up (-1) or down (+1) the list: the tờ trình prints this order."""
    if offset not in {-1, 1}:
        raise ValidationError("Chỉ chuyển lên hoặc xuống một dòng.")
    with transaction.atomic():
        n = _editable(actor, nominee.nomination, "Hồ sơ đã gửi: không đổi thứ tự được.")
        order = list(n.nominees.order_by("position", "pk").values_list("pk", flat=True))
        if nominee.pk not in order:
            return
        i = order.index(nominee.pk)
        j = i + offset
        if not 0 <= j < len(order):
            return  # already first or last
        order[i], order[j] = order[j], order[i]
        for position, pk in enumerate(order):
            Nominee.objects.filter(pk=pk).update(position=position)
        action_log_record(
            actor=actor,
            action="awards.nominee.moved",
            target=n,
            data={"nominee": nominee.pk, "position": j + 1},
        )


def nomination_delete(*, actor: User, nomination: Nomination) -> None:
    """Delete a draft that never reached Phòng Nội vụ, with its nominees and files."""
    with transaction.atomic():
        n = _locked(nomination)
        if not rules.can_draft_nomination(actor, n.unit_id):
            raise PermissionDenied
        if n.status != Nomination.Status.DRAFT or n.submitted_at is not None:
            raise ValidationError(
                "Chỉ xóa được hồ sơ đang soạn, chưa từng gửi Phòng Nội vụ. "
                "Hồ sơ đã gửi được lưu lại để theo dõi."
            )
        files = [
            name for d in n.documents.all() for name in (d.file.name, d.thumbnail.name) if name
        ]
        action_log_record(
            actor=actor,
            action="awards.nomination.deleted",
            target=n,
            data={
                "award_type": n.award_type.code,
                "unit": n.unit.name,
                "nominees": n.nominees.count(),
                "documents": len(files),
            },
        )
        n.documents.all().delete()
        n.nominees.all().delete()
        n.delete()
        transaction.on_commit(lambda: _delete_files(files))


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _pdf_pages(content: bytes) -> int | None:
    from pypdf import PdfReader

    try:
        return len(PdfReader(io.BytesIO(content), strict=False).pages)
    except Exception:  # check_upload parsed it already; a count is only a convenience
        return None


def _document_create(
    actor: User,
    n: Nomination,
    upload: UploadedFile,
    *,
    kind: str,
    nominee: Nominee | None,
    previous: DossierDocument | None = None,
) -> DossierDocument:
    checked = check_upload(upload, allowed=DOSSIER_KINDS)
    name, thumb = save_checked(checked, "dossiers")
    return DossierDocument.objects.create(
        nomination=n,
        nominee=nominee,
        kind=kind,
        file=name,
        thumbnail=thumb,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        pages=_pdf_pages(checked.content) if checked.kind == UploadKind.PDF else None,
        version=previous.version + 1 if previous else 1,
        previous=previous,
        created_by=actor,
    )


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
    if nominee is not None and nominee.nomination_id != nomination.pk:
        raise ValidationError("Người được đề nghị không thuộc hồ sơ này.")
    check_upload(upload, allowed=DOSSIER_KINDS)  # refuse a bad file before taking the lock
    with transaction.atomic():
        n = _editable(actor, nomination, "Hồ sơ đã gửi: không đính kèm thêm được.")
        document = _document_create(actor, n, upload, kind=kind, nominee=nominee)
        action_log_record(
            actor=actor,
            action="awards.document.attached",
            target=n,
            data={"kind": kind, "file": document.original_name, "document": document.pk},
        )
    return document


def document_replace(
    *, actor: User, document: DossierDocument, upload: UploadedFile
) -> DossierDocument:
    """A new version of a file; the old one stays in the history, still downloadable."""
    check_upload(upload, allowed=DOSSIER_KINDS)
    with transaction.atomic():
        n = _editable(actor, document.nomination, "Hồ sơ đã gửi: không thay tài liệu được.")
        old = DossierDocument.objects.select_for_update().get(pk=document.pk, nomination=n)
        if old.retired:
            raise ValidationError("Tài liệu này đã được thay thế hoặc gỡ khỏi hồ sơ.")
        old.retired, old.retired_by, old.retired_at = (
            DossierDocument.Retired.REPLACED,
            actor,
            now(),
        )
        old.save(update_fields=["retired", "retired_by", "retired_at"])
        new = _document_create(actor, n, upload, kind=old.kind, nominee=old.nominee, previous=old)
        action_log_record(
            actor=actor,
            action="awards.document.replaced",
            target=n,
            data={
                "kind": old.kind,
                "old": old.original_name,
                "file": new.original_name,
                "version": new.version,
                "document": new.pk,
            },
        )
    return new


def document_remove(*, actor: User, document: DossierDocument) -> None:
    """Take a file out of the dossier; it stays in the history."""
    with transaction.atomic():
        n = _editable(actor, document.nomination, "Hồ sơ đã gửi: không gỡ tài liệu được.")
        d = DossierDocument.objects.select_for_update().get(pk=document.pk, nomination=n)
        if d.retired:
            return  # a double click
        d.retired, d.retired_by, d.retired_at = DossierDocument.Retired.REMOVED, actor, now()
        d.save(update_fields=["retired", "retired_by", "retired_at"])
        action_log_record(
            actor=actor,
            action="awards.document.removed",
            target=n,
            data={"kind": d.kind, "file": d.original_name, "document": d.pk},
        )


def _document_problems(
    nomination: Nomination, rule: AwardRule, nominees: list[Nominee]
) -> list[str]:
    documents = list(nomination.documents.filter(retired=""))
    kinds = {d.kind for d in documents if d.nominee_id is None}
    reports = {d.nominee_id for d in documents if d.kind == DocumentKind.ACHIEVEMENT_REPORT}
    labels = dict(DocumentKind.choices)
    problems: list[str] = []
    for required in rule.required_documents(nomination.route):
        if required == DocumentKind.ACHIEVEMENT_REPORT:
            problems += [
                f"Thiếu báo cáo thành tích của {n}."
                for n in nominees
                if n.pk not in reports and not (n.achievements.strip() or n.contribution.strip())
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
    if nominee.household_id is None and held.exists():
        problems.append(
            f"{nominee} đang trong thời gian xem xét kỷ luật hoặc thanh tra, chưa xét khen."
        )
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


def nomination_send_for_approval(*, actor: User, nomination: Nomination) -> Nomination:
    to = Nomination.Status.PENDING_UNIT_APPROVAL
    return transition(
        nomination,
        to=to,
        allowed_from=Nomination.TRANSITIONS[to],
        action="awards.nomination.sent_for_approval",
        actor=actor,
        refused="Chỉ gửi duyệt được hồ sơ đang soạn hoặc bị trả lại.",
        related=NOMINATION_RELATED,
        permit=lambda n: require(rules.can_draft_nomination(actor, n.unit_id)),
        notify=lambda n: notify(
            users=users_with_role_in(unit_ids={n.unit_id}, roles={Role.UNIT_HEAD}),
            title=f"Hồ sơ khen thưởng chờ duyệt: {n.award_type.name}"[:255],
        ),
        head_note="",
    )


def nomination_return_to_drafter(*, actor: User, nomination: Nomination, note: str) -> Nomination:
    """The unit head sends a dossier waiting for approval back to the drafter, saying why."""
    if not note.strip():
        raise ValidationError("Cần ghi rõ nội dung cần sửa để cán bộ soạn hồ sơ biết.")
    to = Nomination.Status.DRAFT
    return transition(
        nomination,
        to=to,
        allowed_from=Nomination.TRANSITIONS[to],
        action="awards.nomination.returned_to_drafter",
        actor=actor,
        refused="Chỉ trả lại được hồ sơ đang chờ thủ trưởng duyệt.",
        related=NOMINATION_RELATED,
        permit=lambda n: require(rules.can_submit_nomination(actor, n)),
        done=lambda n: n.status == to and bool(n.head_note),  # a double click
        data=lambda n: {"note": n.head_note},
        notify=lambda n: notify(
            users=users_with_role_in(unit_ids={n.unit_id}, roles={Role.UNIT_OFFICER}),
            title=f"Thủ trưởng trả lại hồ sơ {n.award_type.name} để sửa"[:255],
            body=n.head_note,
            url=reverse("awards:nomination-detail", args=[n.pk]),
        ),
        head_note=note.strip(),
    )


def _check_eligible(n: Nomination) -> None:
    problems = eligibility_problems(n, today_local())
    if problems:
        raise ValidationError(problems)


def nomination_submit(*, actor: User, nomination: Nomination) -> Nomination:
    """The unit head submits to Nội vụ; every eligibility problem is reported together.
    A resubmitted dossier starts a new appraisal period when Nội vụ receives it again: the
    deadline of the previous round no longer applies."""
    to = Nomination.Status.SUBMITTED
    return transition(
        nomination,
        to=to,
        allowed_from=Nomination.TRANSITIONS[to],
        action="awards.nomination.submitted",
        actor=actor,
        refused="Hồ sơ không ở trạng thái có thể gửi.",
        related=NOMINATION_RELATED,
        permit=lambda n: require(rules.can_submit_nomination(actor, n)),
        check=_check_eligible,
        data=lambda n: {"nominees": n.nominees.count(), "rule": n.rule_id},
        notify=lambda n: notify(
            users=users_with_role_in(
                unit_ids={n.campaign.standing_agency_id or n.campaign.owner_unit_id},
                roles={Role.EMULATION_OFFICE},
            ),
            title=f"{n.unit.name} gửi hồ sơ đề nghị {n.award_type.name}"[:255],
        ),
        submitted_at=now(),
        rule=lambda n: rule_in_force(n.award_type, today_local()),
        appraisal_due=None,
    )


def nomination_receive(*, actor: User, nomination: Nomination) -> Nomination:
    """Nội vụ receives a complete dossier: appraisal starts and its working-day deadline runs."""
    if not rules.can_appraise(actor):
        raise PermissionDenied

    def due(n: Nomination) -> date:
        rule = n.rule or rule_in_force(n.award_type, today_local())
        return add_working_days(today_local(), rule.processing_working_days)

    to = Nomination.Status.UNDER_APPRAISAL
    return transition(
        nomination,
        to=to,
        allowed_from=Nomination.TRANSITIONS[to],
        action="awards.nomination.received",
        actor=actor,
        refused="Chỉ tiếp nhận được hồ sơ đã gửi.",
        related=NOMINATION_RELATED,
        data=lambda n: {"appraisal_due": n.appraisal_due.isoformat() if n.appraisal_due else None},
        appraisal_due=due,
    )


def _appraise(
    actor: User, nomination: Nomination, outcome: str, note: str, checklist: dict[str, Any]
) -> Nomination:
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if outcome != AppraisalRound.Outcome.ELIGIBLE and not note.strip():
        raise ValidationError("Cần ghi rõ lý do để đơn vị biết.")

    def to(n: Nomination) -> str:
        if outcome == AppraisalRound.Outcome.ELIGIBLE and n.rule and not n.rule.council_vote:
            return Nomination.Status.RECOMMENDED  # the rules need no council vote for it
        return Nomination.Status(outcome)

    wording = {
        "returned": "bị trả lại để bổ sung",
        "eligible": "đủ điều kiện",
        "not_eligible": "không đủ điều kiện",
    }[outcome]
    with transaction.atomic():
        n = transition(
            nomination,
            to=to,
            allowed_from=Nomination.TRANSITIONS[Nomination.Status(outcome)],
            action=f"awards.nomination.{outcome}",
            actor=actor,
            refused=lambda n: (
                f"Không thể thẩm định hồ sơ đang ở trạng thái “{n.get_status_display()}”."
            ),
            related=NOMINATION_RELATED,
            done=lambda n: False,  # every appraisal is a new round
            data={"note": note},
            notify=lambda n: notify(
                users=users_with_role_in(
                    unit_ids={n.unit_id}, roles={Role.UNIT_OFFICER, Role.UNIT_HEAD}
                ),
                title=f"Hồ sơ {n.award_type.name} {wording}"[:255],
                body=note,
            ),
            review_note=note,
        )
        AppraisalRound.objects.create(
            nomination=n,
            number=n.appraisals.count() + 1,
            outcome=outcome,
            checklist=checklist,
            note=note,
            by=actor,
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
