from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from thidua.accounts.models import Role, User
from thidua.campaigns import rules
from thidua.campaigns.matching import line_units
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
    Prize,
    Recipient,
    RecipientRole,
)
from thidua.campaigns.review import plan_proposal
from thidua.core.calendar import add_working_days
from thidua.core.clock import now, today_local
from thidua.core.services import action_log_record, document_number_take
from thidua.core.text import fold
from thidua.documents.official import render_pdf_with_signature_box
from thidua.documents.services import has_signing_key, signed_pdf_issue
from thidua.notifications.services import notify
from thidua.organizations.models import Unit
from thidua.organizations.rules import roles_of
from thidua.organizations.selectors import place_of, users_with_role_in

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


# --- Drafting -------------------------------------------------------------------------------


def campaign_import(*, actor: User, text: str, owner_unit: Unit) -> Campaign:
    """Parse a pasted or uploaded plan and save what the parser proposes as a draft, without
    the review page (the demo, scripts). Staff review first (views.campaign_import)."""
    if not text.strip():
        raise ValidationError("Chưa có nội dung kế hoạch để nhập.")
    proposal = plan_proposal(text=text, owner=owner_unit)
    return campaign_create_from_review(
        actor=actor,
        owner_unit=owner_unit,
        proposal=proposal,
        fields={**proposal["fields"], "standing_agency": _unit_or_none(proposal["fields"])},
        parents=proposal["parents"],
        forms=proposal["forms"],
        awards=proposal["awards"],
        prizes=proposal["prizes"],
        assignments=[{**row, "units": _units(row["units"])} for row in proposal["assignments"]],
        recipients=[{**row, "units": _units(row["units"])} for row in proposal["recipients"]],
    )


def _units(ids: Iterable[int]) -> list[Unit]:
    return list(Unit.objects.filter(pk__in=list(ids)))


def _unit_or_none(fields: dict[str, Any]) -> Unit | None:
    pk = fields.get("standing_agency")
    return Unit.objects.filter(pk=pk).first() if pk else None


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value) if value else None


_DRAFT_FIELDS = (
    "issuer_name",
    "issuer_parent_name",
    "doc_symbol",
    "place",
    "title",
    "method",
    "is_special",
    "period_text",
    "report_deadline_exclusive",
    "counts_for_annual_evaluation",
    "signer_authority",
    "signer_title_line",
    "signer_title",
    "signer_name",
    "participants_collective",
    "participants_individual",
)
_DRAFT_DATES = ("occasion_date", "period_start", "period_end", "report_deadline")


def campaign_create_from_review(
    *,
    actor: User,
    owner_unit: Unit,
    proposal: dict[str, Any],
    fields: dict[str, Any],
    parents: Sequence[dict[str, Any]],
    forms: Sequence[dict[str, Any]],
    awards: Sequence[dict[str, Any]],
    prizes: Sequence[dict[str, Any]],
    assignments: Sequence[dict[str, Any]],
    recipients: Sequence[dict[str, Any]],
) -> Campaign:
    """Save the reviewed plan as a draft: the issuer as the document (or the officer) gives
    it, every row as corrected. Saving the same review twice returns the first draft."""
    if not rules.can_draft_campaigns(actor):
        raise PermissionDenied
    key = proposal.get("key") or ""
    with transaction.atomic():
        existing = Campaign.objects.filter(source_key=key).first() if key else None
        if existing is not None:
            return existing  # a double click, or "back" and save again
        campaign = Campaign(
            owner_unit=owner_unit,
            created_by=actor,
            source_text=proposal.get("text") or "",
            parse_result=proposal.get("parsed") or {},
            source_key=key,
            standing_agency=fields.get("standing_agency"),
            parent_documents=[_json_document(d) for d in parents],
            **{name: fields[name] for name in _DRAFT_FIELDS if name in fields},
            **{name: _date(fields.get(name)) for name in _DRAFT_DATES},
        )
        campaign.title = (campaign.title or "Kế hoạch chưa có trích yếu")[:500]
        campaign.issuer_name = (campaign.issuer_name or owner_unit.name)[:255]
        campaign.place = (campaign.place or place_of(owner_unit))[:64]
        start, end = campaign.period_start, campaign.period_end
        if start and end and end < start:
            raise ValidationError({"period_end": "Thời gian kết thúc phải sau thời gian bắt đầu."})
        _set_derived(campaign)
        campaign.save()
        _sections_from_parse(campaign, campaign.parse_result)
        _rows_create(campaign, forms=forms, awards=awards, prizes=prizes)
        _assignments_create(campaign, assignments)
        _recipients_create(campaign, recipients)
        invited = {t.unit_id for a in campaign.assignments.all() for t in a.targets.all()}
        campaign.invited_units.set(invited)
        action_log_record(
            actor=actor,
            action="campaigns.campaign.imported",
            target=campaign,
            data={
                "title": campaign.title,
                "warnings": len(campaign.parse_result.get("warnings") or []),
                "assignments": len(assignments),
            },
        )
    return campaign


def parent_documents_json(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The parent documents as the campaign stores them (dates as ISO text)."""
    return [_json_document(row) for row in rows]


def _json_document(document: dict[str, Any]) -> dict[str, Any]:
    value = document.get("date")
    return {
        "type": document.get("type") or "",
        "number": document.get("number") or "",
        "date": value.isoformat() if isinstance(value, date) else value or None,
        "issuer": document.get("issuer") or "",
        "relation": document.get("relation") or "reference",
        "text": document.get("text") or "",
    }


def _rows_create(
    campaign: Campaign,
    *,
    forms: Sequence[dict[str, Any]],
    awards: Sequence[dict[str, Any]],
    prizes: Sequence[dict[str, Any]],
) -> None:
    ActivityForm.objects.bulk_create(
        ActivityForm(
            campaign=campaign, position=i, code=f.get("code") or "OTHER", label=f["label"][:255]
        )
        for i, f in enumerate(forms)
    )
    AwardForm.objects.bulk_create(
        AwardForm(campaign=campaign, position=i, **_award_fields(a)) for i, a in enumerate(awards)
    )
    Prize.objects.bulk_create(
        Prize(campaign=campaign, position=i, **_prize_fields(p)) for i, p in enumerate(prizes)
    )


def _award_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": row.get("name") or "",
        "signer": row.get("signer") or "",
        "target": row.get("target") or AwardForm.Target.BOTH,
        "quota": row.get("quota"),
        "quota_collective": row.get("quota_collective"),
        "quota_individual": row.get("quota_individual"),
        "text": row.get("text") or "",
    }


def _prize_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "tier": (row.get("tier") or "")[:64],
        "count": row.get("count") or 1,
        "scope": row.get("scope") or "",
        "target": row.get("target") or Prize.Target.INDIVIDUAL,
        "amount": row.get("amount"),
        "text": row.get("text") or "",
    }


def _assignments_create(campaign: Campaign, rows: Sequence[dict[str, Any]]) -> None:
    for i, item in enumerate(rows):
        assignment = Assignment.objects.create(
            campaign=campaign,
            position=i,
            clause=(item.get("clause") or "")[:16],
            agencies_text=(item.get("agencies_text") or "")[:500],
            text=item.get("text") or "",
            due_date=_date(item.get("due_date")),
        )
        AssignmentTarget.objects.bulk_create(
            AssignmentTarget(assignment=assignment, unit=u) for u in item.get("units") or []
        )


def _recipients_create(campaign: Campaign, rows: Sequence[dict[str, Any]]) -> None:
    for i, line in enumerate(rows):
        recipient = Recipient.objects.create(
            campaign=campaign,
            position=i,
            text=(line.get("text") or "")[:255],
            note=(line.get("note") or "")[:64],
            role=line.get("role") or RecipientRole.IMPLEMENT,
        )
        if recipient.role != RecipientRole.ARCHIVE:
            recipient.units.set(line.get("units") or [])


def campaign_delete_draft(*, actor: User, campaign: Campaign) -> None:
    """Delete a draft nobody needs (a wrong paste). Issued plans are never deleted; the log
    entry outlives the row."""
    with transaction.atomic():
        c = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not rules.can_edit_campaign(actor, c):
            raise PermissionDenied
        action_log_record(
            actor=actor,
            action="campaigns.campaign.deleted",
            target=c,
            data={"title": c.title, "reference": c.reference, "owner": c.owner_unit_id},
        )
        try:
            c.delete()
        except ProtectedError as exc:
            raise ValidationError("Dự thảo này đã có dữ liệu liên quan, không thể xóa.") from exc


def activity_form_add(*, actor: User, campaign: Campaign, label: str, code: str) -> ActivityForm:
    """An activity type the plan did not list ("Tọa đàm …"), added later so units can record
    it. Adding a name the campaign already has returns that one."""
    if not rules.can_add_activity_form(actor, campaign):
        raise PermissionDenied
    label = " ".join(label.split())
    if not label:
        raise ValidationError("Nhập tên hoạt động.")
    with transaction.atomic():
        c = Campaign.objects.select_for_update().get(pk=campaign.pk)
        forms = list(c.forms.all())
        existing = next((f for f in forms if fold(f.label) == fold(label)), None)
        if existing is not None:
            return existing
        form = ActivityForm.objects.create(
            campaign=c,
            position=len(forms),
            code=code if code in ActivityForm.Code.values else ActivityForm.Code.OTHER,
            label=label[:255],
            from_plan=False,
        )
        action_log_record(
            actor=actor,
            action="campaigns.activity_form.added",
            target=c,
            data={"label": form.label, "code": form.code},
        )
    return form


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
    """Replace one ordered list of the plan (forms, criteria, award forms, prizes, recipients).
    A recipient line is expanded to units again unless it is the archive ("Lưu: VT")."""
    models: dict[str, Any] = {
        "forms": ActivityForm,
        "criteria": Criterion,
        "award_forms": AwardForm,
        "prizes": Prize,
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
            if model is Recipient and obj.role != RecipientRole.ARCHIVE:
                obj.units.set(line_units(obj.text, owner=c.owner_unit, on=c.period_start))
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
    agencies_text: str | None = None,
) -> Assignment:
    """Save one task. ``agencies_text`` names, as the plan does, who carries it out, units
    or not ("Công chức Văn hóa - Xã hội phường"); without it, the units' names."""
    units = list(units)
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
        a.agencies_text = (agencies_text or "; ".join(u.name for u in units))[:500]
        if not a.agencies_text.strip():
            raise ValidationError("Chọn đơn vị hoặc ghi tên cơ quan thực hiện.")
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
        copy.source_key = ""
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
            ActivityForm(
                campaign=copy,
                position=f.position,
                code=f.code,
                label=f.label,
                from_plan=f.from_plan,
            )
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
                quota_collective=a.quota_collective,
                quota_individual=a.quota_individual,
                text=a.text,
            )
            for a in source.award_forms.all()
        )
        Prize.objects.bulk_create(
            Prize(
                campaign=copy,
                position=x.position,
                tier=x.tier,
                count=x.count,
                scope=x.scope,
                target=x.target,
                amount=x.amount,
                text=x.text,
            )
            for x in source.prizes.all()
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
                campaign=copy, position=r.position, text=r.text, note=r.note, role=r.role
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


_ROLE_RANK: dict[str, int] = {  # a unit several lines reach takes the first of these
    RecipientRole.REPORT: 0,  # a body reported to never owes reports itself
    RecipientRole.IMPLEMENT: 1,
    RecipientRole.INFO: 2,
}


def _delivery_roles(c: Campaign) -> dict[int, str]:
    """Each receiving unit and why it receives the plan: a task, an invitation or an acting
    recipient line make it act (and report); a line "(để biết)" only informs. A body the plan
    reports to ("TT Thành ủy (để b/c)") stays a superior even when a group phrase ("các
    khối thi đua") also reaches it."""
    roles: dict[int, str] = {}
    lines = Recipient.units.through.objects.filter(recipient__campaign=c).exclude(
        recipient__role=RecipientRole.ARCHIVE
    )
    for unit_id, role in lines.values_list("unit_id", "recipient__role"):
        previous = roles.get(unit_id, RecipientRole.INFO)
        roles[unit_id] = min(previous, role, key=_ROLE_RANK.__getitem__)
    acting = set(c.invited_units.values_list("pk", flat=True)) | set(
        AssignmentTarget.objects.filter(assignment__campaign=c).values_list("unit_id", flat=True)
    )
    roles.update(
        {u: RecipientRole.IMPLEMENT for u in acting if roles.get(u) != RecipientRole.REPORT}
    )
    roles.pop(c.owner_unit_id, None)
    return roles


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
        roles = _delivery_roles(c)
        unit_ids = set(roles)
        sent = now()
        Delivery.objects.bulk_create(
            [Delivery(campaign=c, unit_id=u, sent_at=sent, role=roles[u]) for u in sorted(roles)],
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
        campaign_sign_pdf(actor=actor, campaign=c)
        if c.period_start and c.period_start <= today_local():
            _transition(actor, c, CampaignStatus.RUNNING, "campaigns.campaign.started")
    return c


def campaign_sign_pdf(*, actor: User, campaign: Campaign) -> bool:
    """Sign the issued plan's PDF with the issuing body's own key (the clerk's "chữ ký số của
    cơ quan" once the leader has signed), when it has one; called in campaign_issue's
    transaction. False without a key."""
    from thidua.campaigns.documents import plan_document

    if not has_signing_key(actor=actor, issuer=campaign.owner_unit, issuer_key=True):
        return False
    pdf, box = render_pdf_with_signature_box(plan_document(campaign))
    row = signed_pdf_issue(
        actor=actor,
        target=campaign,
        pdf=pdf,
        issuer=campaign.owner_unit,
        box=box,
        reason=f"Ban hành Kế hoạch số {campaign.reference}",
        issuer_key=True,
    )
    return row is not None


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
