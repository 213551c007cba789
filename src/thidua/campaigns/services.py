import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from thidua.accounts.models import Role, User
from thidua.campaigns import rules
from thidua.campaigns.models import (
    ActivityForm,
    Assignment,
    AssignmentTarget,
    AwardForm,
    Campaign,
    CampaignStatus,
    Criterion,
    Delivery,
    PlanSection,
    Recipient,
)
from thidua.campaigns.parsing import parse_plan
from thidua.core.calendar import add_working_days
from thidua.core.clock import now, today_local
from thidua.core.services import action_log_record, document_number_take
from thidua.core.text import fold
from thidua.notifications.services import notify
from thidua.organizations.models import EmulationBlock, Unit, UnitKind
from thidua.organizations.rules import roles_of
from thidua.organizations.selectors import users_with_role_in

EDITABLE_FIELDS = (
    "issuer_parent_name",
    "issuer_name",
    "doc_symbol",
    "place",
    "title",
    "method",
    "is_special",
    "occasion_date",
    "period_start",
    "period_end",
    "period_text",
    "report_deadline",
    "report_deadline_exclusive",
    "counts_for_annual_evaluation",
    "standing_agency",
    "participants_collective",
    "participants_individual",
    "signer_authority",
    "signer_title_line",
    "signer_title",
    "signer_name",
    "parent_documents",
)
UNIT_ROLES: set[str] = {Role.UNIT_OFFICER, Role.UNIT_HEAD}


def _set_derived(campaign: Campaign) -> None:
    campaign.search_text = fold(f"{campaign.title} {campaign.reference} {campaign.issuer_name}")[
        :600
    ]


# --- Matching agency names to units -----------------------------------------------------------

_GROUPS: list[tuple[tuple[str, ...], Q]] = [  # folded phrase → the units it stands for
    (
        ("cac phuong", "ubnd cac phuong", "cac dia phuong"),
        Q(kind__in=[UnitKind.WARD, UnitKind.COMMUNE]),
    ),
    (
        ("cac phong, ban", "cac phong ban", "phong, ban, nganh"),
        Q(kind__in=[UnitKind.OFFICE, UnitKind.SERVICE_UNIT]),
    ),
    (("ban xay dung dang",), Q(kind=UnitKind.PARTY)),
    (("cac doan the", "mat tran to quoc", "ubmttq"), Q(kind=UnitKind.MASS_ORG)),
    (
        ("co quan, don vi", "cac don vi"),
        Q(kind__in=[UnitKind.OFFICE, UnitKind.SERVICE_UNIT, UnitKind.SCHOOL]),
    ),
]


# Short names ("Phòng Y tế") only match whole; longer ones may sit inside a phrase and back.
MIN_NAME_INSIDE, MIN_PHRASE_INSIDE = 8, 12
_PLACE_SUFFIX = re.compile(r" (tinh|thanh pho|tp)( bac ninh)?$")


def _core_name(name: str) -> str:
    folded = fold(name.replace("-", " ").replace(",", " "))
    for prefix in ("uy ban nhan dan ", "ubnd "):
        folded = folded.removeprefix(prefix)
    return _PLACE_SUFFIX.sub("", folded).strip()


def match_units(text: str, *, owner: Unit, on: date | None = None) -> list[Unit]:
    """Units a phrase of a plan names: a group ("các phường") or an agency ("Phòng Nội vụ").
    Groups cover the issuer's own units; names also match the level above ("Sở Nội vụ")."""
    folded = fold(text)
    on = on or today_local()
    valid = Unit.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
    )
    below = valid.filter(path__startswith=f"{owner.path}{owner.pk}/")
    found: dict[int, Unit] = {}
    for phrases, q in _GROUPS:
        if any(p in folded for p in phrases):
            found.update({u.pk: u for u in below.filter(q)})
    if "khoi thi dua" in folded:
        blocks = EmulationBlock.objects.filter(year=on.year).prefetch_related("members")
        found.update(
            {u.pk: u for block in blocks for u in block.members.all() if u.is_valid_on(on)}
        )
    target = _core_name(text)
    scope = f"{owner.parent.path}{owner.parent.pk}/" if owner.parent else f"{owner.path}{owner.pk}/"
    named = valid.filter(path__startswith=scope).only(
        "pk", "name", "short_name", "kind", "valid_from", "valid_to"
    )
    for unit in named:
        for name in {_core_name(unit.name), _core_name(unit.short_name or unit.name)}:
            if (
                name == target
                or (len(name) > MIN_NAME_INSIDE and name in target)
                or (len(target) > MIN_PHRASE_INSIDE and target in name)
            ):
                found[unit.pk] = unit
    return list(found.values())


def _unit_by_name(name: str, *, owner: Unit) -> Unit | None:
    matches = [u for u in match_units(name, owner=owner) if u.kind != UnitKind.WARD]
    return matches[0] if len(matches) == 1 else None


# --- Drafting -------------------------------------------------------------------------------


def campaign_import(*, actor: User, text: str, owner_unit: Unit) -> Campaign:
    """Parse a pasted or uploaded plan into a draft. Nothing is issued; the source is kept."""
    if not rules.can_draft_campaigns(actor):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError("Chưa có nội dung kế hoạch để nhập.")
    parsed = parse_plan(text)
    data = parsed.to_json()
    with transaction.atomic():
        campaign = Campaign(
            owner_unit=owner_unit,
            created_by=actor,
            source_text=text,
            parse_result=data,
            issuer_name=owner_unit.name,
            issuer_parent_name=_issuer_parent(owner_unit),
            title=(data.get("title") or "Kế hoạch chưa có trích yếu")[:500],
            doc_symbol=data.get("number_symbol") or f"KH-{owner_unit.symbol or 'UBND'}",
            place=data.get("place") or "Bắc Ninh",
            occasion_date=_date(data.get("occasion_date")),
            period_start=_date(data.get("period_start")),
            period_end=_date(data.get("period_end")),
            period_text=(data.get("period_text") or "")[:255],
            report_deadline=_date(data.get("report_deadline")),
            report_deadline_exclusive=bool(data.get("report_deadline_exclusive", True)),
            counts_for_annual_evaluation=bool(data.get("annual_evaluation_basis")),
            is_special="dac biet" in fold(data.get("title") or ""),
            parent_documents=data.get("parent_documents") or [],
            participants_collective=data.get("participants_collective") or [],
            participants_individual=data.get("participants_individual") or [],
        )
        if data.get("standing_agency"):
            campaign.standing_agency = _unit_by_name(data["standing_agency"], owner=owner_unit)
        signer = data.get("signer") or {}
        if signer:
            campaign.signer_authority = signer.get("authority") or ""
            campaign.signer_title_line = signer.get("delegation") or ""
            campaign.signer_title = signer.get("title") or ""
            campaign.signer_name = signer.get("name") or ""
        _set_derived(campaign)
        campaign.save()
        _sections_from_parse(campaign, data)
        ActivityForm.objects.bulk_create(
            ActivityForm(
                campaign=campaign,
                position=i,
                code=f.get("code") or "OTHER",
                label=f.get("label") or "",
            )
            for i, f in enumerate(data.get("forms") or [])
        )
        AwardForm.objects.bulk_create(
            AwardForm(
                campaign=campaign,
                position=i,
                name=a.get("name") or "",
                signer=a.get("signer") or "",
                target=a.get("target") or AwardForm.Target.BOTH,
                quota=a.get("quota"),
                text=a.get("text") or "",
            )
            for i, a in enumerate(data.get("award_forms") or [])
        )
        for i, item in enumerate(data.get("assignments") or []):
            assignment = Assignment.objects.create(
                campaign=campaign,
                position=i,
                clause=item.get("clause") or "",
                agencies_text="; ".join(item.get("agencies") or [])[:500],
                text=item.get("text") or "",
                due_date=_date(item.get("deadline")),
            )
            units = {
                u.pk: u
                for name in item.get("agencies") or []
                for u in match_units(name, owner=owner_unit, on=campaign.period_start)
            }
            AssignmentTarget.objects.bulk_create(
                AssignmentTarget(assignment=assignment, unit=u) for u in units.values()
            )
        for i, line in enumerate(data.get("recipients") or []):
            recipient = Recipient.objects.create(
                campaign=campaign,
                position=i,
                text=(line.get("text") or "")[:255],
                note=(line.get("note") or "")[:64],
            )
            recipient.units.set(
                match_units(recipient.text, owner=owner_unit, on=campaign.period_start)
            )
        invited = {t.unit_id for a in campaign.assignments.all() for t in a.targets.all()}
        campaign.invited_units.set(invited)
        action_log_record(
            actor=actor,
            action="campaigns.campaign.imported",
            target=campaign,
            data={"title": campaign.title, "warnings": len(data.get("warnings") or [])},
        )
    return campaign


def _issuer_parent(unit: Unit) -> str:
    """Decree 30: a People's Committee heads its own header; an office names its parent body."""
    if (
        unit.kind in {UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.WARD, UnitKind.COMMUNE}
        or not unit.parent
    ):
        return ""
    return unit.parent.short_name or unit.parent.name


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _sections_from_parse(campaign: Campaign, data: dict[str, Any]) -> None:
    rows: list[PlanSection] = []
    if data.get("preamble"):
        rows.append(
            PlanSection(
                campaign=campaign,
                position=0,
                level=0,
                label="",
                title="",
                body="\n".join(data["preamble"]),
            )
        )

    def walk(sections: Iterable[dict[str, Any]], level: int) -> None:
        for s in sections:
            rows.append(
                PlanSection(
                    campaign=campaign,
                    position=len(rows),
                    level=level,
                    label=s.get("label") or "",
                    title=(s.get("title") or "")[:500],
                    body="\n".join(s.get("text") or []),
                )
            )
            walk(s.get("children") or [], level + 1)

    walk(data.get("sections") or [], 1)
    if data.get("closing"):
        rows.append(
            PlanSection(
                campaign=campaign, position=len(rows), level=0, body="\n".join(data["closing"])
            )
        )
    PlanSection.objects.bulk_create(rows)


def campaign_update(*, actor: User, campaign: Campaign, version: int, **data: Any) -> Campaign:
    """Save the editor's fields. `version` guards against two people editing the same draft."""
    with transaction.atomic():
        c = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not rules.can_edit_campaign(actor, c):
            raise PermissionDenied
        if c.version != version:
            raise ValidationError(
                "Kế hoạch vừa được người khác sửa. Hãy tải lại trang để xem bản mới nhất."
            )
        fields = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
        changed = {k: [str(getattr(c, k)), str(v)] for k, v in fields.items() if getattr(c, k) != v}
        for name in ("invited_units", "invited_blocks"):
            if name in data:
                getattr(c, name).set(data[name])
                changed[name] = [str(x.pk) for x in data[name]]
        for name, value in fields.items():
            setattr(c, name, value)
        if c.period_start and c.period_end and c.period_end < c.period_start:
            raise ValidationError({"period_end": "Thời gian kết thúc phải sau thời gian bắt đầu."})
        c.version += 1
        _set_derived(c)
        c.save(update_fields=[*fields, "version", "search_text", "updated_at"])
        action_log_record(actor=actor, action="campaigns.campaign.updated", target=c, data=changed)
    return c


def campaign_sections_replace(
    *, actor: User, campaign: Campaign, sections: Sequence[dict[str, Any]]
) -> None:
    """The editor sends the whole ordered list; positions follow the list."""
    with transaction.atomic():
        c = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not rules.can_edit_campaign(actor, c):
            raise PermissionDenied
        c.sections.all().delete()
        PlanSection.objects.bulk_create(
            PlanSection(
                campaign=c,
                position=i,
                level=s.get("level", 1),
                label=s.get("label", ""),
                title=s.get("title", ""),
                body=s.get("body", ""),
            )
            for i, s in enumerate(sections)
        )
        action_log_record(
            actor=actor,
            action="campaigns.sections.replaced",
            target=c,
            data={"count": len(sections)},
        )


def campaign_plan_save(
    *,
    actor: User,
    campaign: Campaign,
    version: int,
    main: dict[str, Any] | None = None,
    sections: Sequence[dict[str, Any]] | None = None,
    items: Mapping[str, Sequence[dict[str, Any]]] | None = None,
) -> Campaign:
    """The editor's one Save: the general fields and every changed list, all or nothing.
    `version` guards the whole draft against a concurrent edit."""
    with transaction.atomic():
        c = campaign_update(actor=actor, campaign=campaign, version=version, **(main or {}))
        if sections is not None:
            campaign_sections_replace(actor=actor, campaign=c, sections=sections)
        for kind, rows in (items or {}).items():
            campaign_items_replace(actor=actor, campaign=c, kind=kind, items=rows)
    return c


def campaign_items_replace(
    *, actor: User, campaign: Campaign, kind: str, items: Sequence[dict[str, Any]]
) -> None:
    """Replace one ordered list of the plan (forms, criteria, award forms, recipients)."""
    models: dict[str, Any] = {
        "forms": ActivityForm,
        "criteria": Criterion,
        "award_forms": AwardForm,
        "recipients": Recipient,
    }
    model = models[kind]
    with transaction.atomic():
        c = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not rules.can_edit_campaign(actor, c):
            raise PermissionDenied
        model.objects.filter(campaign=c).delete()
        for i, item in enumerate(items):
            obj = model.objects.create(campaign=c, position=i, **item)
            if model is Recipient:
                obj.units.set(match_units(obj.text, owner=c.owner_unit, on=c.period_start))
        action_log_record(
            actor=actor, action=f"campaigns.{kind}.replaced", target=c, data={"count": len(items)}
        )


def assignment_save(
    *,
    actor: User,
    campaign: Campaign,
    assignment: Assignment | None,
    clause: str,
    text: str,
    units: Iterable[Unit],
    due_date: date | None,
    due_working_days: int | None,
) -> Assignment:
    with transaction.atomic():
        c = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not rules.can_edit_campaign(actor, c):
            raise PermissionDenied
        if due_date and due_working_days:
            raise ValidationError(
                "Chỉ nhập hạn theo ngày cụ thể hoặc theo số ngày làm việc, không nhập cả hai."
            )
        created = assignment is None
        a = assignment or Assignment(campaign=c, position=c.assignments.count())
        a.clause, a.text, a.due_date, a.due_working_days = clause, text, due_date, due_working_days
        a.agencies_text = "; ".join(u.name for u in units)[:500]
        a.save()
        a.targets.all().delete()
        AssignmentTarget.objects.bulk_create(AssignmentTarget(assignment=a, unit=u) for u in units)
        action_log_record(
            actor=actor,
            action="campaigns.assignment." + ("created" if created else "updated"),
            target=a,
            data={"clause": clause, "units": [u.code for u in units]},
        )
    return a


def campaign_copy(*, actor: User, source: Campaign) -> Campaign:
    """A new draft from an earlier plan: text, forms, tasks and recipients; no number, no dates."""
    if not rules.can_draft_campaigns(actor):
        raise PermissionDenied
    with transaction.atomic():
        copy = Campaign.objects.get(pk=source.pk)
        copy.pk = None
        copy.id = None
        copy._state.adding = True
        copy.status, copy.number, copy.issued_on, copy.issued_number = (
            CampaignStatus.DRAFT,
            None,
            None,
            None,
        )
        copy.launched_at = copy.closed_at = None
        copy.created_by, copy.copied_from, copy.version = actor, source, 1
        copy.title = f"{source.title} (bản sao)"[:500]
        _set_derived(copy)
        copy.save()
        copy.invited_units.set(source.invited_units.all())
        copy.invited_blocks.set(source.invited_blocks.all())
        PlanSection.objects.bulk_create(
            PlanSection(
                campaign=copy,
                position=s.position,
                level=s.level,
                label=s.label,
                title=s.title,
                body=s.body,
            )
            for s in source.sections.all()
        )
        ActivityForm.objects.bulk_create(
            ActivityForm(campaign=copy, position=f.position, code=f.code, label=f.label)
            for f in source.forms.all()
        )
        Criterion.objects.bulk_create(
            Criterion(
                campaign=copy,
                position=x.position,
                text=x.text,
                target_value=x.target_value,
                target_unit=x.target_unit,
            )
            for x in source.criteria.all()
        )
        AwardForm.objects.bulk_create(
            AwardForm(
                campaign=copy,
                position=a.position,
                name=a.name,
                signer=a.signer,
                target=a.target,
                quota=a.quota,
                text=a.text,
            )
            for a in source.award_forms.all()
        )
        for a in source.assignments.prefetch_related("targets"):
            new = Assignment.objects.create(
                campaign=copy,
                position=a.position,
                clause=a.clause,
                agencies_text=a.agencies_text,
                text=a.text,
                due_working_days=a.due_working_days,
            )
            AssignmentTarget.objects.bulk_create(
                AssignmentTarget(assignment=new, unit_id=t.unit_id) for t in a.targets.all()
            )
        for r in source.recipients.prefetch_related("units"):
            new_r = Recipient.objects.create(
                campaign=copy, position=r.position, text=r.text, note=r.note
            )
            new_r.units.set(r.units.all())
        action_log_record(
            actor=actor, action="campaigns.campaign.copied", target=copy, data={"from": source.pk}
        )
    return copy


# --- Lifecycle ------------------------------------------------------------------------------


def _issue_problems(c: Campaign) -> list[str]:
    problems = []
    if not c.title.strip():
        problems.append("Chưa có trích yếu.")
    if not (c.period_start and c.period_end):
        problems.append("Chưa có thời gian thực hiện (từ ngày, đến ngày).")
    if not c.award_forms.exists():
        problems.append("Chưa có hình thức khen thưởng.")
    if not c.report_deadline:
        problems.append("Chưa có hạn báo cáo.")
    if not c.signer_name.strip():
        problems.append("Chưa có họ tên người ký.")
    if not c.recipients.exists():
        problems.append("Chưa có nơi nhận.")
    return problems


def campaign_issue(*, actor: User, campaign: Campaign, issued_on: date) -> Campaign:
    """Ban hành: number from the register, freeze, send to every recipient unit, resolve task
    deadlines, and start at once if the period has begun."""
    with transaction.atomic():
        c = Campaign.objects.select_for_update().select_related("owner_unit").get(pk=campaign.pk)
        if c.status != CampaignStatus.DRAFT:
            return c  # issued already: a double click or a retry
        if not rules.can_issue_campaign(actor, c):
            raise PermissionDenied
        problems = _issue_problems(c)
        if problems:
            raise ValidationError(problems)
        entry = document_number_take(
            actor=actor,
            issuer_code=c.owner_unit.code,
            doc_type=c.doc_symbol.split("-")[0],
            symbol=c.doc_symbol,
            issued_on=issued_on,
            summary=c.title,
            target=c,
        )
        c.number, c.issued_on, c.issued_number = entry.number, issued_on, entry
        c.status, c.launched_at = CampaignStatus.ISSUED, now()
        _set_derived(c)
        c.save(
            update_fields=[
                "number",
                "issued_on",
                "issued_number",
                "status",
                "launched_at",
                "search_text",
            ]
        )
        for target in AssignmentTarget.objects.filter(assignment__campaign=c).select_related(
            "assignment"
        ):
            a = target.assignment
            target.due_date = a.due_date or (
                add_working_days(issued_on, a.due_working_days) if a.due_working_days else None
            )
            target.save(update_fields=["due_date"])
        recipient_units = Recipient.units.through.objects.filter(recipient__campaign=c)
        unit_ids = (
            set(recipient_units.values_list("unit_id", flat=True))
            | set(c.invited_units.values_list("pk", flat=True))
            | set(
                AssignmentTarget.objects.filter(assignment__campaign=c).values_list(
                    "unit_id", flat=True
                )
            )
        )
        unit_ids.discard(c.owner_unit_id)
        sent = now()
        Delivery.objects.bulk_create(
            [Delivery(campaign=c, unit_id=u, sent_at=sent) for u in sorted(unit_ids)],
            ignore_conflicts=True,
        )
        url = reverse("campaigns:campaign-detail", args=[c.pk])
        notify(
            users=users_with_role_in(unit_ids=unit_ids, roles=UNIT_ROLES),
            title=f"Kế hoạch số {c.reference}: {c.title}"[:255],
            body=f"{c.issuer_name} ban hành kế hoạch ngày {issued_on:%d/%m/%Y}. Đề nghị đơn vị mở và xác nhận đã nhận.",
            url=url,
            extra_emails=Unit.objects.filter(pk__in=unit_ids)
            .exclude(email="")
            .values_list("email", flat=True),
        )
        action_log_record(
            actor=actor,
            action="campaigns.campaign.issued",
            target=c,
            data={
                "reference": c.reference,
                "issued_on": issued_on.isoformat(),
                "units": len(unit_ids),
            },
        )
        if c.period_start and c.period_start <= today_local():
            _transition(actor, c, CampaignStatus.RUNNING, "campaigns.campaign.started")
    return c


_FLOW: dict[str, set[str]] = {  # target → states it may come from
    CampaignStatus.RUNNING: {CampaignStatus.ISSUED, CampaignStatus.INTERIM_REVIEW},
    CampaignStatus.INTERIM_REVIEW: {CampaignStatus.RUNNING},
    CampaignStatus.FINAL_REVIEW: {CampaignStatus.RUNNING, CampaignStatus.INTERIM_REVIEW},
    CampaignStatus.CLOSED: {CampaignStatus.FINAL_REVIEW},
}
_MESSAGES: dict[str, str] = {
    CampaignStatus.RUNNING: "Phong trào bắt đầu triển khai",
    CampaignStatus.INTERIM_REVIEW: "Bắt đầu sơ kết phong trào",
    CampaignStatus.FINAL_REVIEW: "Bắt đầu tổng kết phong trào",
    CampaignStatus.CLOSED: "Phong trào đã kết thúc",
}


def _transition(actor: User | None, c: Campaign, to: str, action: str) -> Campaign:
    if c.status == to:
        return c
    if c.status not in _FLOW[to]:
        raise ValidationError(
            f"Không thể chuyển từ “{c.get_status_display()}” sang “{CampaignStatus(to).label}”."
        )
    before = c.status
    c.status = to
    fields = ["status"]
    if to == CampaignStatus.CLOSED:
        c.closed_at = now()
        fields.append("closed_at")
    c.save(update_fields=fields)
    action_log_record(actor=actor, action=action, target=c, data={"from": before, "to": to})
    unit_ids = set(c.deliveries.values_list("unit_id", flat=True))
    notify(
        users=users_with_role_in(unit_ids=unit_ids, roles=UNIT_ROLES),
        title=f"{_MESSAGES[to]}: {c.title}"[:255],
        url=reverse("campaigns:campaign-detail", args=[c.pk]),
    )
    return c


def _advance(actor: User, campaign: Campaign, to: str, action: str) -> Campaign:
    with transaction.atomic():
        c = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not rules.can_advance_campaign(actor, c):
            raise PermissionDenied
        return _transition(actor, c, to, action)


def campaign_start(*, actor: User, campaign: Campaign) -> Campaign:
    return _advance(actor, campaign, CampaignStatus.RUNNING, "campaigns.campaign.started")


def campaign_interim_begin(*, actor: User, campaign: Campaign) -> Campaign:
    return _advance(
        actor, campaign, CampaignStatus.INTERIM_REVIEW, "campaigns.campaign.interim_begun"
    )


def campaign_interim_end(*, actor: User, campaign: Campaign) -> Campaign:
    return _advance(actor, campaign, CampaignStatus.RUNNING, "campaigns.campaign.interim_ended")


def campaign_final_begin(*, actor: User, campaign: Campaign) -> Campaign:
    return _advance(actor, campaign, CampaignStatus.FINAL_REVIEW, "campaigns.campaign.final_begun")


def campaign_close(*, actor: User, campaign: Campaign) -> Campaign:
    return _advance(actor, campaign, CampaignStatus.CLOSED, "campaigns.campaign.closed")


def campaigns_start_due() -> int:
    """Periodic: issued campaigns whose period has begun start running (claimed row by row)."""
    started = 0
    due = Campaign.objects.filter(status=CampaignStatus.ISSUED, period_start__lte=today_local())
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            c = Campaign.objects.select_for_update().get(pk=pk)
            if c.status == CampaignStatus.ISSUED:
                _transition(None, c, CampaignStatus.RUNNING, "campaigns.campaign.started")
                started += 1
    return started


# --- Receiving units ------------------------------------------------------------------------


def _actor_deliveries(actor: User, campaign: Campaign) -> Any:
    units = roles_of(actor).units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD)
    return Delivery.objects.filter(campaign=campaign, unit_id__in=units)


def delivery_open(*, actor: User, campaign: Campaign) -> int:
    """Record that the actor's unit opened the plan (first time only)."""
    with transaction.atomic():
        opened = list(
            _actor_deliveries(actor, campaign)
            .filter(opened_at__isnull=True)
            .values_list("pk", flat=True)
        )
        if opened:
            Delivery.objects.filter(pk__in=opened, opened_at__isnull=True).update(opened_at=now())
            for delivery in Delivery.objects.filter(pk__in=opened):
                action_log_record(actor=actor, action="campaigns.delivery.opened", target=delivery)
    return len(opened)


def delivery_acknowledge(*, actor: User, campaign: Campaign) -> int:
    with transaction.atomic():
        pending = list(_actor_deliveries(actor, campaign).filter(acknowledged_at__isnull=True))
        if not pending and not _actor_deliveries(actor, campaign).exists():
            raise PermissionDenied
        stamp = now()
        for delivery in pending:
            Delivery.objects.filter(pk=delivery.pk, acknowledged_at__isnull=True).update(
                acknowledged_at=stamp, acknowledged_by=actor, opened_at=delivery.opened_at or stamp
            )
            action_log_record(
                actor=actor, action="campaigns.delivery.acknowledged", target=delivery
            )
    return len(pending)


def assignment_target_set_status(
    *, actor: User, target: AssignmentTarget, status: str
) -> AssignmentTarget:
    with transaction.atomic():
        t = AssignmentTarget.objects.select_for_update().get(pk=target.pk)
        if not rules.can_acknowledge_for(actor, t.unit_id):
            raise PermissionDenied
        if t.status == status:
            return t
        order = [
            AssignmentTarget.Status.ASSIGNED,
            AssignmentTarget.Status.ACKNOWLEDGED,
            AssignmentTarget.Status.DONE,
        ]
        if order.index(AssignmentTarget.Status(status)) < order.index(
            AssignmentTarget.Status(t.status)
        ):
            raise ValidationError("Không thể lùi trạng thái nhiệm vụ.")
        t.status = status
        stamp = now()
        t.acknowledged_at = t.acknowledged_at or stamp
        if status == AssignmentTarget.Status.DONE:
            t.done_at = stamp
        t.save(update_fields=["status", "acknowledged_at", "done_at"])
        action_log_record(actor=actor, action=f"campaigns.assignment.{status}", target=t)
    return t
