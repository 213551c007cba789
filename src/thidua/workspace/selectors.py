"""The start page's sections: each built from one app's selector, which takes the actor and
returns only what the actor may see. A section costs at most two queries (the first rows, and
a count when there are more), whatever the number of rows behind it."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone

from thidua.accounts.models import Role
from thidua.awards import selectors as awards
from thidua.awards.models import CouncilSession, Decision, Nomination
from thidua.campaigns import selectors as campaigns
from thidua.campaigns.models import AssignmentTarget, Delivery
from thidua.core.clock import today_local
from thidua.organizations.rules import AnyUser, roles_of
from thidua.participation import selectors as participation
from thidua.participation.models import Difficulty, Registration
from thidua.reporting import selectors as reporting
from thidua.reporting.models import ReportAssignment, ReportStatus

M = TypeVar("M", bound=Model)
LIMIT = 5  # rows shown per section; the count says how many there are


@dataclass(frozen=True)
class Item:
    text: str
    url: str
    context: str = ""  # campaign or unit, in small print
    due: date | None = None
    status: str = ""
    status_tone: str = "secondary"  # Bootstrap text-bg-* colour of the status badge
    due_label: str = "hạn"
    can_be_late: bool = True  # a deadline, not an appointment

    @property
    def overdue(self) -> bool:
        return self.can_be_late and self.due is not None and self.due < today_local()


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    count: int
    items: list[Item]
    more_url: str = ""
    more_text: str = ""

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.overdue)


@dataclass
class Workspace:
    sections: list[Section] = field(default_factory=list)
    overview: list[dict[str, Any]] | None = None  # leaders: running campaigns
    shortcuts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(s.count for s in self.sections)

    @property
    def busy(self) -> list[Section]:
        return [s for s in self.sections if s.count]

    @property
    def idle(self) -> list[Section]:
        return [s for s in self.sections if not s.count]


def _section(
    key: str,
    title: str,
    qs: QuerySet[M],
    to_item: Callable[[M], Item],
    *,
    more_url: str = "",
    more_text: str = "Xem tất cả",
) -> Section:
    rows = list(qs[: LIMIT + 1])
    count = len(rows) if len(rows) <= LIMIT else qs.count()
    return Section(key, title, count, [to_item(r) for r in rows[:LIMIT]], more_url, more_text)


def _delivery(d: Delivery) -> Item:
    return Item(
        text=d.campaign.title,
        url=reverse("campaigns:campaign-detail", args=[d.campaign_id]),
        context=f"{d.campaign.reference} · gửi {d.unit.name}",
        status="Chưa xác nhận",
        status_tone="warning",
    )


def _task(t: AssignmentTarget) -> Item:
    a = t.assignment
    return Item(
        text=(f"{a.clause}: " if a.clause else "") + a.text,
        url=reverse("campaigns:task-list"),
        context=a.campaign.title,
        due=t.due_date,
        status=t.get_status_display(),
    )


REPORT_TONES = {ReportStatus.RETURNED: "danger", ReportStatus.PENDING_APPROVAL: "info"}


def _report(a: ReportAssignment) -> Item:
    return Item(
        text=a.request.title,
        url=reverse("reporting:report", args=[a.pk]),
        context=f"{a.unit.name} · {a.request.campaign.title}",
        due=a.request.due_date,
        status="Thủ trưởng trả lại" if a.is_returned_by_head else a.get_status_display(),
        status_tone="danger"
        if a.is_returned_by_head
        else REPORT_TONES.get(ReportStatus(a.status), "secondary"),
    )


def _received_report(a: ReportAssignment) -> Item:
    """A report Nội vụ is to receive: when it came in (the unit's deadline is past history)."""
    came = f"nộp {timezone.localtime(a.submitted_at):%d/%m/%Y}" if a.submitted_at else ""
    return Item(
        text=a.request.title,
        url=reverse("reporting:report", args=[a.pk]),
        context=" · ".join(x for x in (a.unit.name, came + (" (muộn)" if a.is_late else "")) if x),
        status=a.get_status_display(),
    )


def _registration(r: Registration) -> Item:
    return Item(
        text=f"Đăng ký thi đua của {r.unit.name}",
        url=reverse("participation:registration", args=[r.campaign_id, r.unit_id]),
        context=r.campaign.title,
        status=r.get_status_display(),
        status_tone="info",
    )


def _nomination(n: Nomination) -> Item:
    return Item(
        text=f"{n.award_type.name} – {n.unit.name}",
        url=reverse("awards:nomination-detail", args=[n.pk]),
        context=n.campaign.title,
        due=n.appraisal_due,
        status=n.get_status_display(),
        status_tone="danger" if n.status == Nomination.Status.RETURNED else "secondary",
    )


def _session(s: CouncilSession) -> Item:
    return Item(
        text=s.title,
        url=reverse("awards:session", args=[s.pk]),
        context=s.council.name,
        due=s.held_on,
        due_label="họp ngày",
        can_be_late=False,
        status=s.get_status_display(),
        status_tone="success" if s.status == CouncilSession.Status.OPEN else "secondary",
    )


def _decision(d: Decision) -> Item:
    return Item(
        text=d.summary,
        url=reverse("awards:decision-detail", args=[d.pk]),
        context=f"{d.award_type.name} · {d.campaign.title}",
        status=d.get_status_display(),
        status_tone="warning",
    )


def _difficulty(d: Difficulty) -> Item:
    return Item(
        text=d.title,
        url=reverse("participation:difficulty-detail", args=[d.pk]),
        context=f"{d.unit.name} · {d.campaign.title}",
        status=d.get_status_display(),
        status_tone="warning" if d.status == Difficulty.Status.FORWARDED else "secondary",
    )


def campaign_overview_for(*, actor: AnyUser) -> list[dict[str, Any]]:
    """A leader's view across running campaigns: reports received, late units, dossiers on
    their way. Three queries whatever the number of campaigns."""
    running = list(campaigns.running_campaigns_for(actor=actor)[:20])
    ids = [c.pk for c in running]
    reports = reporting.report_progress_by_campaign(campaign_ids=ids)
    awards_by = awards.nomination_pipeline_by_campaign(campaign_ids=ids)
    rows = []
    for c in running:
        r = reports.get(c.pk, {"total": 0, "received": 0, "late_units": 0})
        n = awards_by.get(c.pk, {"in_pipeline": 0, "decided": 0})
        rows.append(
            {
                "campaign": c,
                "received": r["received"],
                "total": r["total"],
                "percent": round(100 * r["received"] / r["total"]) if r["total"] else None,
                "late_units": r["late_units"],
                "in_pipeline": n["in_pipeline"],
                "decided": n["decided"],
            }
        )
    return rows


def _shortcuts(roles: Iterable[str], superuser: bool) -> list[tuple[str, str]]:
    roles = set(roles)
    links: list[tuple[str, str]] = []
    if roles & {Role.SYSTEM_ADMIN} or superuser:
        links += [
            ("Người dùng và phân quyền", reverse("organizations:user-list")),
            ("Cây đơn vị", reverse("organizations:unit-tree")),
        ]
    if roles & {Role.MEDIA_STAFF}:
        links.append(("Phong trào thi đua (cổng thông tin)", reverse("campaigns:campaign-list")))
    if roles & {Role.CONTEST_ORGANISER}:
        links.append(("Cuộc thi tìm hiểu", reverse("contests:contest-list")))
    return links


def workspace_for(*, actor: AnyUser) -> Workspace:
    """What waits for the actor, in the order a working day takes it."""
    roles = roles_of(actor)
    unit_role = roles.has(Role.UNIT_OFFICER, Role.UNIT_HEAD)
    ws = Workspace(
        shortcuts=_shortcuts(
            (role for role, _ in roles.grants), getattr(actor, "is_superuser", False)
        )
    )
    add = ws.sections.append
    if unit_role:
        add(
            _section(
                "deliveries",
                "Kế hoạch cần xác nhận đã tiếp nhận",
                campaigns.deliveries_to_acknowledge_for(actor=actor),
                _delivery,
                more_url=reverse("campaigns:campaign-list"),
                more_text="Tất cả phong trào",
            )
        )
        add(
            _section(
                "reports",
                "Báo cáo phải nộp, bị trả lại hoặc chờ duyệt",
                reporting.reports_to_do_for(actor=actor),
                _report,
                more_url=reverse("reporting:my-reports"),
                more_text="Báo cáo của đơn vị",
            )
        )
    if roles.has(Role.UNIT_HEAD):
        add(
            _section(
                "registrations",
                "Đăng ký thi đua chờ thủ trưởng duyệt",
                participation.registrations_to_approve_for(actor=actor),
                _registration,
            )
        )
    if unit_role:
        add(
            _section(
                "unit_nominations",
                "Hồ sơ khen thưởng cần bổ sung hoặc chờ duyệt",
                awards.nominations_to_do_for(actor=actor),
                _nomination,
            )
        )
    if roles.has(Role.EMULATION_OFFICE):
        add(
            _section(
                "review_reports",
                "Báo cáo đơn vị đã nộp, chờ tiếp nhận",
                reporting.reports_to_review_for(actor=actor),
                _received_report,
            )
        )
        add(
            _section(
                "appraise",
                "Hồ sơ khen thưởng cần thẩm định",
                awards.nominations_to_appraise_for(actor=actor),
                _nomination,
            )
        )
    if roles.has(Role.EMULATION_OFFICE, Role.SIGNER):
        add(
            _section(
                "difficulties",
                "Khó khăn, vướng mắc cần trả lời",
                participation.difficulties_to_answer_for(actor=actor),
                _difficulty,
            )
        )
    if roles.has(Role.COUNCIL_MEMBER, Role.SIGNER):
        add(
            _section(
                "sessions",
                "Phiên họp Hội đồng Thi đua – Khen thưởng",
                awards.council_sessions_for_member(actor=actor),
                _session,
            )
        )
    if roles.has(Role.SIGNER):
        add(
            _section(
                "decisions",
                "Quyết định khen thưởng chờ ký",
                awards.decisions_to_sign_for(actor=actor),
                _decision,
            )
        )
    if roles.grants:
        add(
            _section(
                "tasks",
                "Nhiệm vụ được giao cho đơn vị",
                campaigns.own_task_list_for(actor=actor),
                _task,
                more_url=reverse("campaigns:task-list"),
                more_text="Tất cả nhiệm vụ",
            )
        )
    if roles.has(Role.SIGNER, Role.EMULATION_OFFICE):
        ws.overview = campaign_overview_for(actor=actor)
    return ws
