"""Printing certificates: one at a time, or every certificate of a decision as one PDF built
in the background. Every print is logged; a second print of the same award is a reprint."""

import tempfile
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify

from thidua.accounts.models import User
from thidua.awards import rules
from thidua.awards.certificates import certificate_values, layout_for, layout_problems
from thidua.awards.models import (
    AwardRecord,
    CertificateLayout,
    CertificatePrint,
    Decision,
    PrinterProfile,
)
from thidua.core.jobs import Progress, job_start
from thidua.core.models import Job
from thidua.core.services import action_log_record
from thidua.core.text import fold
from thidua.documents.certificates import (
    Offset,
    render_certificates,
    render_certificates_to_file,
)
from thidua.organizations.models import Unit
from thidua.organizations.rules import ISSUER_KINDS

JOB_KIND = "awards.certificates"  # registered in AwardsConfig.ready


def _offset(printer: PrinterProfile | None) -> Offset:
    return Offset.of(printer.offset_x_mm, printer.offset_y_mm) if printer else Offset()


def _require_own_printer(actor: User, printer: PrinterProfile | None) -> None:
    """A printer of another body (a forged choice) is refused: each body prints with its own
    office's printers (R26)."""
    if printer is not None and not rules.can_print_with(actor, printer.owner_id):
        raise PermissionDenied


def _log_prints(
    actor: User | None,
    records: list[int],
    printer: PrinterProfile | None,
    *,
    on_blank: bool,
    job: Job | None = None,
) -> None:
    """One print log line per record id; a record printed before is a reprint."""
    if job is not None:
        CertificatePrint.objects.filter(job=job).delete()  # a rerun replaces its own log lines
    printed: set[int] = set()
    for start in range(0, len(records), 2000):  # bounded IN lists
        printed.update(
            CertificatePrint.objects.filter(
                record_id__in=records[start : start + 2000]
            ).values_list("record_id", flat=True)
        )
    CertificatePrint.objects.bulk_create(
        (
            CertificatePrint(
                record_id=pk,
                printer=printer,
                on_blank=on_blank,
                is_reprint=pk in printed,
                by=actor,
                job=job,
            )
            for pk in records
        ),
        batch_size=1000,
    )


def certificate_pdf(
    *,
    actor: User,
    record: AwardRecord,
    printer: PrinterProfile | None = None,
    on_blank: bool = False,
) -> bytes:
    """One certificate; printing it again is logged as a reprint. Only Nội vụ of the body
    running the decision's campaign prints it (an imported award is never printed)."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if record.decision is not None and not rules.can_print_certificates(actor, record.decision):
        raise PermissionDenied
    _require_own_printer(actor, printer)
    if record.status != AwardRecord.Status.VALID:
        raise ValidationError(
            f"Khen thưởng này đã bị thu hồi hoặc sửa đổi: không in "
            f"{record.award_type.certificate_title.lower()}."
        )
    if record.is_imported:
        raise ValidationError(
            f"Khen thưởng nhập từ sổ vàng cũ: {record.award_type.certificate_title.lower()} "
            "không in từ hệ thống."
        )
    with transaction.atomic():
        reprint = record.prints.exists()
        _log_prints(actor, [record.pk], printer, on_blank=on_blank)
        action_log_record(
            actor=actor,
            action="awards.certificate.reprinted" if reprint else "awards.certificate.printed",
            target=record,
            data={"printer": printer.name if printer else "", "on_blank": on_blank},
        )
    layout = layout_for(record.award_type)
    return render_certificates(
        layout, [certificate_values(record)], on_blank=on_blank, offset=_offset(printer)
    )


def decision_certificates_start(
    *,
    actor: User,
    decision: Decision,
    printer: PrinterProfile | None = None,
    on_blank: bool = False,
) -> Job:
    """Queue the print of every valid award of a final decision; the page polls the job.
    Only Nội vụ of the body running the decision's campaign prints its certificates."""
    if not rules.can_print_certificates(actor, decision):
        raise PermissionDenied
    _require_own_printer(actor, printer)
    if decision.status != Decision.Status.FINAL:
        raise ValidationError("Chỉ in giấy khen của quyết định đã ban hành.")
    total = decision.records.filter(status=AwardRecord.Status.VALID).count()
    if not total:
        raise ValidationError("Quyết định không còn khen thưởng nào có hiệu lực để in.")
    with transaction.atomic():
        job = job_start(
            actor=actor,
            kind=JOB_KIND,
            params={
                "decision": decision.pk,
                "printer": printer.pk if printer else None,
                "on_blank": on_blank,
            },
            total=total,
        )
        action_log_record(
            actor=actor,
            action="awards.certificates.bulk_started",
            target=decision,
            data={"job": job.pk, "count": total},
        )
    return job


def _decision_pages(decision: Decision, ids: list[int]) -> Iterator[dict[str, str]]:
    """Each record's certificate values, read in chunks with the decision, campaign and award
    type shared (one instance each, set on every record) instead of loaded per record."""
    campaigns: dict[int, Any] = {}
    award_types: dict[int, Any] = {decision.award_type_id: decision.award_type}
    if decision.campaign_id is not None:
        campaigns[decision.campaign_id] = decision.campaign
    for start in range(0, len(ids), PAGE_CHUNK):
        chunk = ids[start : start + PAGE_CHUNK]
        records = AwardRecord.objects.filter(pk__in=chunk).defer(
            "achievement", "search_text", "name_sort"
        )
        by_id = {r.pk: r for r in records}
        for pk in chunk:
            record = by_id[pk]
            record.decision = decision
            if record.campaign_id is not None:
                if record.campaign_id not in campaigns:
                    campaigns[record.campaign_id] = record.campaign
                record.campaign = campaigns[record.campaign_id]
            if record.award_type_id not in award_types:
                award_types[record.award_type_id] = record.award_type
            record.award_type = award_types[record.award_type_id]
            yield certificate_values(record)


PAGE_CHUNK = 500  # records read per query while printing


def decision_certificates_render(job: Job, progress: Progress) -> dict[str, Any]:
    """The job's worker: safe to run again (same file name, its own print log replaced).

    Bounded memory whatever the size of the decision: the record ids are read first, the
    records in chunks, the PDF rendered in parts joined by streaming into a temporary file
    (``render_certificates_to_file``), which is then copied to storage."""
    decision = Decision.objects.select_related("award_type", "campaign", "number").get(
        pk=job.params["decision"]
    )
    printer = PrinterProfile.objects.filter(pk=job.params.get("printer")).first()
    on_blank = bool(job.params.get("on_blank"))
    ids = list(
        decision.records.filter(status=AwardRecord.Status.VALID)
        .order_by("number")
        .values_list("pk", flat=True)
    )
    name = f"jobs/{job.pk}/giay-khen.pdf"
    with tempfile.TemporaryFile() as pdf:
        render_certificates_to_file(
            layout_for(decision.award_type),
            _decision_pages(decision, ids),
            pdf,
            on_blank=on_blank,
            offset=_offset(printer),
            progress=progress,
        )
        pdf.seek(0)
        if default_storage.exists(name):
            default_storage.delete(name)
        name = default_storage.save(name, File(pdf, name="giay-khen.pdf"))
    with transaction.atomic():
        _log_prints(job.created_by, ids, printer, on_blank=on_blank, job=job)
    year = decision.signed_on.year if decision.signed_on else ""
    filename = f"giay-khen-{slugify(fold(decision.reference).replace('/', '-'))}-{year}.pdf"
    return {"file": name, "filename": filename, "count": len(ids)}


# --- Layouts and printers -------------------------------------------------------------------

MAX_OFFSET_MM = 30  # more is a misfed sheet, not an offset


def certificate_layout_save(
    *, actor: User, layout: CertificateLayout, fields: list[dict[str, Any]], border: bool
) -> CertificateLayout:
    """Save an award type's certificate layout (positions, fonts, sizes), checked first."""
    if not rules.can_edit_certificate_layouts(actor):  # shared by every body (R26)
        raise PermissionDenied
    problems = layout_problems(fields, layout.page_width_mm, layout.page_height_mm)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        layout.fields, layout.border = fields, border
        layout.save()
        action_log_record(
            actor=actor,
            action="awards.certificate_layout.saved",
            target=layout,
            data={"fields": len(fields)},
        )
    return layout


def printer_save(
    *,
    actor: User,
    printer: PrinterProfile | None,
    name: str,
    offset_x_mm: float,
    offset_y_mm: float,
    owner: Unit | None = None,
) -> PrinterProfile:
    """Add a printer to the body `owner`, or correct a printer's name and offsets (measured on
    the calibration page); it stays its body's. Only that body's Nội vụ (or a system
    administrator) saves it (R26), checked on the row read afresh before anything is written."""
    with transaction.atomic():
        if printer is not None:
            printer = PrinterProfile.objects.select_for_update().get(pk=printer.pk)
        if not rules.can_edit_printers_of(
            actor, printer.owner_id if printer else owner.pk if owner else None
        ):
            raise PermissionDenied
        if printer is None:
            if owner is None or owner.kind not in ISSUER_KINDS:
                raise ValidationError("Chọn cơ quan có máy in (UBND thành phố, phường, xã).")
            printer = PrinterProfile(owner=owner)
        name = name.strip()
        if not name:
            raise ValidationError("Cần nhập tên máy in.")
        if abs(offset_x_mm) > MAX_OFFSET_MM or abs(offset_y_mm) > MAX_OFFSET_MM:
            raise ValidationError("Độ lệch không quá 30 mm.")
        same_name = PrinterProfile.objects.filter(owner_id=printer.owner_id, name=name)
        if same_name.exclude(pk=printer.pk).exists():  # a new printer's pk is None
            raise ValidationError("Đã có máy in tên này.")
        printer.name, printer.offset_x_mm, printer.offset_y_mm = name, offset_x_mm, offset_y_mm
        printer.save()
        action_log_record(
            actor=actor,
            action="awards.printer.saved",
            target=printer,
            data={"owner": printer.owner_id, "x": offset_x_mm, "y": offset_y_mm},
        )
    return printer
