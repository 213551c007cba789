"""Editing a draft plan: fields, sections, items, assignments, copying a plan."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thidua.accounts.models import User
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
    PlanSection,
    Prize,
    Recipient,
    RecipientRole,
)
from thidua.campaigns.selectors import copy_reference_year
from thidua.campaigns.services.common import (
    EDITABLE_FIELDS,
    _set_derived,
)
from thidua.core.services import action_log_record
from thidua.organizations.models import Unit


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


# What a copy takes from each of a plan's parts, by related name (tasks and recipients,
# which have units of their own, are copied apart).
_COPIED_PARTS: dict[str, tuple[str, ...]] = {
    "sections": ("position", "level", "label", "title", "body"),
    "forms": ("position", "code", "label", "from_plan"),
    "criteria": ("position", "text", "target_value", "target_unit"),
    "award_forms": (
        "position",
        "name",
        "signer",
        "target",
        "quota",
        "quota_collective",
        "quota_individual",
        "text",
    ),
    "prizes": ("position", "tier", "count", "scope", "target", "amount", "text"),
}


# A plan's fixed dates, which a copy for another year moves (a task's is `Assignment.due_date`).
_FIXED_DATES = ("period_start", "period_end", "report_deadline", "occasion_date")


def shift_years(day: date | None, years: int) -> date | None:
    """The same day `years` later (29/02 becomes 28/02 in a year without it)."""
    if day is None or not years:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def campaign_copy(*, actor: User, source: Campaign, year: int | None = None) -> Campaign:
    """A new draft from an earlier plan: text, forms, tasks (a deadline in working days, or a
    fixed date) and recipients; no number, no issue date.

    A plan is copied to run it again in another year (last year's "Kế hoạch phát động thi đua
    năm 2024" becomes this year's), so with `year` every fixed date (the period, the report
    deadline, the occasion, each task's deadline) moves by as many years as `year` is after the
    source's (`copy_reference_year`), to the same day and month: 15/12/2024 → 15/12/2025, as a
    Nội vụ official writes the calendar again (counting days instead would drift weekdays and
    month ends). Without `year`, or with a source that names no year, nothing can say how far
    to move them: the dates are kept as they were and the copy's page lists the tasks whose
    fixed deadline is to be checked (`selectors.fixed_deadline_tasks`)."""
    if not rules.can_copy_campaign(actor, source):
        raise PermissionDenied
    reference = copy_reference_year(source)
    years = year - reference if year is not None and reference is not None else 0
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
        for field in _FIXED_DATES:
            setattr(copy, field, shift_years(getattr(copy, field), years))
        _set_derived(copy)
        copy.save()
        copy.invited_units.set(source.invited_units.all())
        copy.invited_blocks.set(source.invited_blocks.all())
        for related, fields in _COPIED_PARTS.items():
            rows = getattr(source, related).all()
            rows.model.objects.bulk_create(
                rows.model(campaign=copy, **{f: getattr(row, f) for f in fields}) for row in rows
            )
        for a in source.assignments.order_by("position", "pk").prefetch_related("targets"):
            new = Assignment.objects.create(
                campaign=copy,
                position=a.position,
                clause=a.clause,
                agencies_text=a.agencies_text,
                text=a.text,
                due_date=shift_years(a.due_date, years),
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
            actor=actor,
            action="campaigns.campaign.copied",
            target=copy,
            data={"from": source.pk, "years_moved": years},
        )
    return copy
