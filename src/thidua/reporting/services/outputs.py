"""Official outputs: urging letters to late units and the aggregated report built by the system."""

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.query import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from thidua.accounts.models import User
from thidua.campaigns.selectors import non_reporting_unit_ids
from thidua.core.clock import datetime_text, now, today_local
from thidua.core.excel import Column, stream_workbook
from thidua.core.exports import Export, export_logged
from thidua.core.jobs import Progress, job_start
from thidua.core.models import Job
from thidua.core.services import action_log_record, document_number_take
from thidua.core.submissions import submission_claim, submission_done
from thidua.core.text import fold, vn_thousands
from thidua.documents.official import render_pdf_with_signature_box
from thidua.documents.services import has_signing_key, signed_pdf_issue
from thidua.notifications.services import notify
from thidua.organizations.models import Unit
from thidua.organizations.selectors import users_with_role_in
from thidua.reporting.models import (
    OWED,
    AggregatedReport,
    ReportRequest,
    UrgingLetter,
)
from thidua.reporting.selectors import (
    AGGREGATE_DETAIL_UNITS,
    aggregate_annex_rows,
    aggregate_figures,
    aggregate_totals_rows,
    reports_since_build,
)
from thidua.reporting.services.requests import (
    UNIT_ROLES,
    _require_manager,
    _require_reader,
)

# --- Official outputs -----------------------------------------------------------------------


def late_units(request: ReportRequest) -> list[Unit]:
    """Units still owing the report, among those that must report (never the superior body,
    a unit only informed, or the standing agency itself)."""
    owed = (
        request.assignments.filter(status__in=OWED)
        .exclude(unit_id__in=non_reporting_unit_ids(campaign=request.campaign))
        .select_related("unit")
        .order_by("unit__name_sort")
    )
    return [a.unit for a in owed]


def urging_letter_sign(*, actor: User, letter: UrgingLetter) -> bool:
    """Sign the letter's PDF with the issuing body's own key (the clerk's "chữ ký số của cơ
    quan"), when it has one; called in the issuing transaction. False without a key."""
    from thidua.reporting.documents import urging_document

    owner = letter.request.campaign.owner_unit
    if not has_signing_key(actor=actor, issuer=owner, issuer_key=True):
        return False
    pdf, box = render_pdf_with_signature_box(urging_document(letter))
    row = signed_pdf_issue(
        actor=actor,
        target=letter,
        pdf=pdf,
        issuer=owner,
        box=box,
        reason=f"Ban hành Công văn số {letter.issued_number.reference}",
        issuer_key=True,
    )
    return row is not None


def urging_letter_create(
    *,
    actor: User,
    request: ReportRequest,
    issued_on: date | None = None,
    form_key: UUID | None = None,
) -> UrgingLetter:
    """Công văn đôn đốc to the units still owing the report, numbered "Số: 12/UBND-NV".
    `form_key`: the page's submission key; a repeat of it returns the letter already made
    (core.submissions, issue 18 L3), never a second number."""
    _require_manager(actor, request.campaign)
    units = late_units(request)
    if not units:
        raise ValidationError("Mọi đơn vị đã nộp báo cáo; không cần đôn đốc.")
    campaign = request.campaign
    owner = campaign.owner_unit
    day = issued_on or today_local()
    with transaction.atomic():
        claim = submission_claim(actor=actor, key=form_key, action="reporting.urging_letter")
        if claim.earlier is not None:
            return claim.earlier  # type: ignore[no-any-return]
        entry = document_number_take(
            actor=actor,
            issuer_code=owner.code,
            doc_type="CV",
            symbol=f"{owner.symbol or 'UBND'}-NV",
            issued_on=day,
            summary=f"V/v đôn đốc báo cáo {request.title}"[:500],
            target=request,
        )
        body = (
            f"Thực hiện Kế hoạch số {campaign.reference} ngày "
            f"{campaign.issued_on:%d/%m/%Y} của {campaign.issuer_name} về {campaign.title}, "
            f"{owner.name} đã đề nghị các cơ quan, đơn vị gửi {request.title} trước ngày "
            f"{request.due_date:%d/%m/%Y}. Đến nay, còn {len(units)} cơ quan, đơn vị chưa gửi báo cáo.\n"
            f"Đề nghị các cơ quan, đơn vị sau khẩn trương hoàn thành và gửi báo cáo về "
            f"{campaign.standing_agency.name if campaign.standing_agency else owner.name}:"
        )
        letter = UrgingLetter.objects.create(
            request=request, issued_number=entry, body=body, created_by=actor
        )
        letter.units.set(units)
        urging_letter_sign(actor=actor, letter=letter)
        submission_done(claim, letter)
        action_log_record(
            actor=actor,
            action="reporting.urging_letter.issued",
            target=letter,
            data={"reference": entry.reference, "units": len(units)},
        )
        notify(
            users=users_with_role_in(unit_ids={u.pk for u in units}, roles=UNIT_ROLES),
            title=f"Công văn số {entry.reference}: đôn đốc {request.title}"[:255],
            url=reverse("reporting:my-reports"),
        )
    return letter


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return f"{value:g}".replace(".", ",")


AGGREGATE_JOB = "reporting.aggregate"  # registered in ReportingConfig.ready
AGGREGATE_STEPS = 3  # figures, narrative, saved


def aggregate_build_start(*, actor: User, request: ReportRequest) -> Job:
    """Queue the build of the aggregated report; with thousands of units it takes seconds, so
    it runs on a worker and the page shows its progress."""
    _require_manager(actor, request.campaign)
    _refuse_if_issued(request)
    with transaction.atomic():
        job = job_start(
            actor=actor, kind=AGGREGATE_JOB, total=AGGREGATE_STEPS, params={"request": request.pk}
        )
        action_log_record(
            actor=actor,
            action="reporting.aggregate.build_started",
            target=request,
            data={"job": job.pk},
        )
    return job


def aggregate_build_job(job: Job, progress: Progress) -> dict[str, Any]:
    """The job's worker, acting as whoever started it (their rights are checked again); a rerun
    rebuilds the same report."""
    request = ReportRequest.objects.get(pk=job.params["request"])
    if job.created_by is None:
        raise PermissionDenied
    aggregate_build(actor=job.created_by, request=request, progress=progress)
    return {
        "url": reverse("reporting:aggregate", args=[request.pk]),
        "link_text": "Mở báo cáo tổng hợp",
    }


def aggregate_title(request_title: str) -> str:
    """The aggregated report's title (trích yếu) without "Báo cáo" twice: a request titled
    "Báo cáo kết quả thực hiện …" gives that title; "Thực hiện …" gives "Báo cáo kết quả thực
    hiện …"."""
    title = " ".join(request_title.split())
    if fold(title).startswith("bao cao"):
        return "Báo cáo" + title[len("Báo cáo") :]
    if not title:
        return "Báo cáo kết quả"
    first = title[:1].lower() if title[1:2].islower() else title[:1]  # keep "UBND"
    return f"Báo cáo kết quả {first}{title[1:]}"


ANNEX_NARRATIVES = "Nội dung báo cáo của từng đơn vị tại Phụ lục kèm theo."


def aggregate_build(
    *,
    actor: User,
    request: ReportRequest,
    progress: Progress | None = None,
    detail_units: int = AGGREGATE_DETAIL_UNITS,
) -> AggregatedReport:
    """Build (or rebuild) the draft of the city's report from the submitted reports. Up to
    `detail_units` units asked, the body has each unit's narratives and figures and names every
    unit not reported; above it, the totals, and the rest is in the annex (Phụ lục)."""
    _require_manager(actor, request.campaign)
    _refuse_if_issued(request)
    step = progress or (lambda done: None)
    # Stamped before the reports are read: one submitted while they are read counts as after.
    built_at = now()
    figures = aggregate_figures(request=request, detail_units=detail_units)
    step(1)
    lines = _aggregate_lines(figures)
    step(2)
    with transaction.atomic():
        report, created = AggregatedReport.objects.update_or_create(
            request=request,
            defaults={
                "title": aggregate_title(request.title)[:500],
                "body": "\n".join(lines),
                "built_at": built_at,
                "updated_by": actor,
            },
        )
        action_log_record(
            actor=actor,
            action="reporting.aggregate." + ("built" if created else "rebuilt"),
            target=report,
            data={"reported": figures["reported"]},
        )
    return report


def _aggregate_lines(figures: dict[str, Any]) -> list[str]:
    """The body's lines: what `aggregate_figures` gives, a line per unit only when detailed."""
    detailed, reported = figures["detailed"], figures["reported"]
    late = f", trong đó {vn_thousands(figures['late'])} đơn vị nộp muộn" if figures["late"] else ""
    lines = [
        f"Đến ngày {today_local():%d/%m/%Y}, {vn_thousands(reported)}/"
        f"{vn_thousands(figures['total'])} đơn vị đã báo cáo{late}."
    ]
    for section in figures["sections"]:
        lines.append(section["title"].upper())
        lines.extend(f"- {entry['unit']}: {entry['text']}" for entry in section["entries"])
        if not detailed and reported:
            lines.append(ANNEX_NARRATIVES)
    lines.append("KẾT QUẢ CÁC CHỈ TIÊU")
    lines.extend(f"- {row['name']}: {row['display']}" for row in figures["indicators"])
    if figures["indicators"] and figures["per_unit"]:
        lines.append("SỐ LIỆU TỪNG ĐƠN VỊ")
        names = [row["name"] for row in figures["indicators"]]
        for entry in figures["per_unit"]:
            cells = "; ".join(
                f"{n}: {_cell(v)}" for n, v in zip(names, entry["values"], strict=True)
            )
            lines.append(f"- {entry['unit'].name}{' (nộp muộn)' if entry['late'] else ''}: {cells}")
    elif figures["indicators"] and not detailed and reported:
        lines.append("SỐ LIỆU TỪNG ĐƠN VỊ")
        lines.append(
            f"Số liệu chi tiết của {vn_thousands(reported)} đơn vị đã báo cáo tại Phụ lục kèm theo."
        )
    if figures["missing"]:
        lines.append("CÁC ĐƠN VỊ CHƯA BÁO CÁO")
        listed = "; ".join(u.name for u in figures["missing"])
        if detailed:
            lines.append(f"- {listed}.")
        else:
            more = figures["missing_more"]
            rest = f" và {vn_thousands(more)} đơn vị khác (xem Phụ lục)" if more else ""
            lines.append(
                f"- Còn {vn_thousands(figures['missing_count'])} đơn vị chưa báo cáo, gồm: "
                f"{listed}{rest}."
            )
    return lines


ANNEX_SOURCE = "reporting.aggregate_annex"  # its core.exports name (ReportingConfig.ready)


def annex_filename(request_id: int) -> str:
    return f"phu-luc-bao-cao-tong-hop-{request_id}.xlsx"


def aggregate_annex_export(actor: User, params: dict[str, str]) -> Export:
    """The aggregated report's annex (Phụ lục: số liệu từng đơn vị), a core.exports source: one
    row per unit asked with its status, lateness, figures and narratives. For whoever may see
    the aggregated report (Nội vụ); checked again in the worker for a large one."""
    _require_reader(actor)
    pk = params.get("request", "")
    request = (
        ReportRequest.objects.select_related("template").filter(pk=int(pk)).first()
        if pk.isdigit()
        else None
    )
    if request is None:
        raise PermissionDenied
    prefetch_related_objects([request.template], "indicators", "sections")
    columns = [
        Column("Đơn vị", "unit", width=45),
        Column("Trạng thái", "status", width=16),
        Column("Nộp muộn", "late", width=10),
        *(
            Column(
                f"{i.name} ({i.unit_of_measure})" if i.unit_of_measure else i.name,
                f"i{i.pk}",
                width=18,
            )
            for i in request.template.indicators.all()
        ),
        *(Column(s.title, f"s{s.pk}", width=60) for s in request.template.sections.all()),
    ]
    return Export(
        columns,
        aggregate_annex_rows(request),
        request.assignments.count(),
        annex_filename(request.pk),
        sheet_name="Phụ lục",
    )


def aggregate_totals_export(*, actor: User, request: ReportRequest) -> Export:
    """The totals workbook ("Excel" on the aggregated report page): a row per unit that
    reported with its figures, the totals, then the units not reported; its rows are read
    lazily (`aggregate_totals_rows`), for `core.http.xlsx_stream`."""
    _require_reader(actor)
    # detail_units=0: only the totals here; the lines per unit are streamed below.
    figures = aggregate_figures(request=request, detail_units=0)
    totals = figures["indicators"]
    columns = [
        Column("Đơn vị", "unit", width=45),
        Column("Nộp muộn", "late", width=10),
        *(
            Column(
                f"{row['name']} ({row['indicator'].unit_of_measure})"
                if row["indicator"].unit_of_measure
                else row["name"],
                f"i{n}",
                width=18,
            )
            for n, row in enumerate(totals)
        ),
    ]
    return Export(
        columns,
        aggregate_totals_rows(request, totals),
        figures["total"],
        f"bao-cao-tong-hop-{request.pk}.xlsx",
        sheet_name="Tổng hợp",
    )


def _annex_freeze(actor: User, report: AggregatedReport) -> tuple[str, int]:
    """The annex as it stands now, written once to private storage under a random name (as the
    signed PDFs are: reports/annex/YYYY/MM/<hex>.xlsx), built the way the live download is
    (streamed rows, flat memory): (storage name, rows written)."""
    export = aggregate_annex_export(actor, {"request": str(report.request_id)})
    written = 0

    def counted(rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
        nonlocal written
        for row in rows:
            written += 1
            yield row

    handle = stream_workbook(export.columns, counted(export.rows), export.sheet_name)
    stamp = timezone.localtime(now())
    try:
        name = default_storage.save(
            f"reports/annex/{stamp:%Y}/{stamp:%m}/{uuid4().hex}.xlsx",
            File(handle, name=export.filename),
        )
    finally:
        handle.close()
    return name, written


def aggregate_annex_issued(*, actor: User, report: AggregatedReport) -> str | None:
    """The annex of an issued report: the storage name of the file written at issue (the rows
    as they stood then, so it agrees with the issued body whatever the units change later),
    its read logged as every export is. None before issue, and for a report issued before
    annexes were kept: the annex is then built live (`aggregate_annex_export`)."""
    _require_reader(actor)
    if report.issued_number_id is None or not report.annex:
        return None
    export_logged(
        actor, ANNEX_SOURCE, {"request": str(report.request_id)}, report.annex_rows, issued=True
    )
    return str(report.annex.name)


def aggregate_update(
    *, actor: User, report: AggregatedReport, title: str, body: str
) -> AggregatedReport:
    _require_manager(actor, report.request.campaign)
    with transaction.atomic():
        report = AggregatedReport.objects.select_for_update().get(pk=report.pk)
        if report.issued_number_id is not None:
            raise ValidationError(ISSUED_REFUSAL)
        report.title, report.body, report.updated_by = title, body, actor
        report.save(update_fields=["title", "body", "updated_by"])
        action_log_record(actor=actor, action="reporting.aggregate.edited", target=report)
    return report


ISSUED_REFUSAL = "Báo cáo tổng hợp đã ban hành: không sửa hay lập lại được nữa."


def _refuse_if_issued(request: ReportRequest) -> None:
    if AggregatedReport.objects.filter(request=request, issued_number__isnull=False).exists():
        raise ValidationError(ISSUED_REFUSAL)


def aggregate_sign(*, actor: User, report: AggregatedReport) -> bool:
    """Sign the issued report's PDF with the issuing body's own key, when it has one; called
    in the issuing transaction. False without a key."""
    from thidua.reporting.documents import aggregate_document

    owner = report.request.campaign.owner_unit
    entry = report.issued_number
    if entry is None or not has_signing_key(actor=actor, issuer=owner, issuer_key=True):
        return False
    pdf, box = render_pdf_with_signature_box(aggregate_document(report))
    row = signed_pdf_issue(
        actor=actor,
        target=report,
        pdf=pdf,
        issuer=owner,
        box=box,
        reason=f"Ban hành Báo cáo số {entry.reference}",
        issuer_key=True,
    )
    return row is not None


def aggregate_issue(*, actor: User, report: AggregatedReport, issued_on: date) -> AggregatedReport:
    """Issue the aggregated report: numbered from the outgoing register ("Số: 5/BC-UBND"),
    signed with the issuing body's key when it has one, and no longer edited or rebuilt. Its
    annex is frozen with it: the XLSX as it stands at issue is stored, and downloads of the
    issued report's annex serve that file (`aggregate_annex_issued`). Issuing twice returns
    the report as issued."""
    _require_manager(actor, report.request.campaign)
    with transaction.atomic():
        r = (
            # This row only: the annex is written under this lock, and units' autosaves and
            # submissions lock their request and campaign rows meanwhile.
            AggregatedReport.objects.select_for_update(of=("self",))
            .select_related("request__campaign__owner_unit")
            .get(pk=report.pk)
        )
        if r.issued_number_id is not None:
            return r
        campaign = r.request.campaign
        if campaign.issued_on and issued_on < campaign.issued_on:
            raise ValidationError(
                f"Ngày ban hành {issued_on:%d/%m/%Y} trước ngày ban hành kế hoạch "
                f"({campaign.issued_on:%d/%m/%Y})."
            )
        # The body and the annex issued together must show the same reports.
        since = reports_since_build(r)
        if since:
            raise ValidationError(
                f"Có {vn_thousands(since)} báo cáo được nộp hoặc bị trả lại sau khi lập bản tổng "
                "hợp lúc "
                f"{datetime_text(r.built_at)}, nên nội dung chưa có số liệu "
                "của chúng. Hãy lập lại báo cáo tổng hợp (trang yêu cầu báo cáo) rồi ban hành."
            )
        # Written before the number is taken, so the register's lock is not held meanwhile.
        annex, rows = _annex_freeze(actor, r)
        try:
            owner = campaign.owner_unit
            entry = document_number_take(
                actor=actor,
                issuer_code=owner.code,
                doc_type="BC",
                symbol=f"BC-{owner.symbol or 'UBND'}",
                issued_on=issued_on,
                summary=r.title[:500],
                target=r,
            )
            r.issued_number, r.number, r.issued_on = entry, entry.number, issued_on
            r.annex, r.annex_rows, r.updated_by = annex, rows, actor
            r.save(
                update_fields=[
                    "issued_number",
                    "number",
                    "issued_on",
                    "annex",
                    "annex_rows",
                    "updated_by",
                ]
            )
            signed = aggregate_sign(actor=actor, report=r)
        except Exception:
            default_storage.delete(annex)  # nothing is issued: no annex left behind
            raise
        action_log_record(
            actor=actor,
            action="reporting.aggregate.issued",
            target=r,
            data={"reference": entry.reference, "signed": signed, "annex_rows": rows},
        )
    return r
