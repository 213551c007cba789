"""Drafting a plan: import, the reviewed draft, deleting a junk draft, activity types added later."""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from thidua.accounts.models import User
from thidua.campaigns import rules
from thidua.campaigns.models import (
    ActivityForm,
    Assignment,
    AssignmentTarget,
    AwardForm,
    Campaign,
    Prize,
    Recipient,
    RecipientRole,
)
from thidua.campaigns.review import plan_proposal
from thidua.campaigns.services.common import (
    _set_derived,
)
from thidua.campaigns.services.editing import (
    _sections_from_parse,
)
from thidua.core.services import action_log_record
from thidua.core.text import fold
from thidua.organizations.models import Unit
from thidua.organizations.selectors import place_of

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
    if not (rules.can_draft_campaigns(actor) and rules.can_run_for(actor, owner_unit)):
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
        c.save(update_fields=["updated_at"])  # the plan page's cached text is keyed by it
        action_log_record(
            actor=actor,
            action="campaigns.activity_form.added",
            target=c,
            data={"label": form.label, "code": form.code},
        )
    return form
