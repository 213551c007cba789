"""Issuing a plan (checks, delivery roles, signing) and moving it through its phases."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from thidua.accounts.models import User
from thidua.campaigns import rules
from thidua.campaigns.models import (
    AssignmentTarget,
    Campaign,
    CampaignStatus,
    Delivery,
    Recipient,
    RecipientRole,
)
from thidua.campaigns.services.common import (
    UNIT_ROLES,
    _set_derived,
    campaign_figures_changed,
)
from thidua.core.calendar import add_working_days
from thidua.core.clock import now, today_local
from thidua.core.services import action_log_record, document_number_take
from thidua.core.transitions import require, transition
from thidua.documents.official import render_pdf_with_signature_box
from thidua.documents.services import has_signing_key, signed_pdf_issue
from thidua.notifications.services import notify
from thidua.organizations.models import Unit
from thidua.organizations.selectors import users_with_role_in

# --- Lifecycle ------------------------------------------------------------------------------


def issue_problems(c: Campaign) -> list[str]:
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
        problems = issue_problems(c)
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
        campaign_figures_changed(c.pk)
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
            c = _transition(actor, c, CampaignStatus.RUNNING, "campaigns.campaign.started")
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


_MESSAGES: dict[str, str] = {
    CampaignStatus.RUNNING: "Phong trào bắt đầu triển khai",
    CampaignStatus.INTERIM_REVIEW: "Bắt đầu sơ kết phong trào",
    CampaignStatus.FINAL_REVIEW: "Bắt đầu tổng kết phong trào",
    CampaignStatus.CLOSED: "Phong trào đã kết thúc",
}


def _transition(actor: User | None, c: Campaign, to: str, action: str) -> Campaign:
    """Move a campaign to its next phase (Campaign.TRANSITIONS); `actor` None for the periodic
    start. Units that received the plan are told."""
    label = CampaignStatus(to).label
    return transition(
        c,
        to=to,
        allowed_from=Campaign.TRANSITIONS[to],
        action=action,
        actor=actor,
        refused=lambda row: f"Không thể chuyển từ “{row.get_status_display()}” sang “{label}”.",
        permit=None
        if actor is None
        else lambda row: require(rules.can_advance_campaign(actor, row)),
        notify=lambda row: notify(
            users=users_with_role_in(
                unit_ids=set(row.deliveries.values_list("unit_id", flat=True)), roles=UNIT_ROLES
            ),
            title=f"{_MESSAGES[to]}: {row.title}"[:255],
            url=reverse("campaigns:campaign-detail", args=[row.pk]),
        ),
        update=lambda row: {"closed_at": now()} if to == CampaignStatus.CLOSED else {},
    )


def _advance(actor: User, campaign: Campaign, to: str, action: str) -> Campaign:
    return _transition(actor, campaign, to, action)


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
