"""Printing certificates: one at a time, or every certificate of a decision as one PDF built
in the background. Every print is logged; a second print of the same award is a reprint."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify

from thidua.accounts.models import User
from thidua.awards import rules
from thidua.awards.certificates import certificate_values, layout_for
from thidua.awards.models import AwardRecord, CertificatePrint, Decision, PrinterProfile
from thidua.core.jobs import Progress, job_start
from thidua.core.models import Job
from thidua.core.services import action_log_record
from thidua.core.text import fold
from thidua.documents.certificates import Offset, render_certificates

JOB_KIND = "awards.certificates"  # registered in AwardsConfig.ready


def _offset(printer: PrinterProfile | None) -> Offset:
    return Offset.of(printer.offset_x_mm, printer.offset_y_mm) if printer else Offset()


def _log_prints(
    actor: User | None,
    records: list[AwardRecord],
    printer: PrinterProfile | None,
    *,
    on_blank: bool,
    job: Job | None = None,
) -> None:
    if job is not None:
        CertificatePrint.objects.filter(job=job).delete()  # a rerun replaces its own log lines
    printed = set(
        CertificatePrint.objects.filter(record__in=records).values_list("record_id", flat=True)
    )
    CertificatePrint.objects.bulk_create(
        CertificatePrint(
            record=r,
            printer=printer,
            on_blank=on_blank,
            is_reprint=r.pk in printed,
            by=actor,
            job=job,
        )
        for r in records
    )


def certificate_pdf(
    *,
    actor: User,
    record: AwardRecord,
    printer: PrinterProfile | None = None,
    on_blank: bool = False,
) -> bytes:
    """One certificate; printing it again is logged as a reprint."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if record.status != AwardRecord.Status.VALID:
        raise ValidationError("Khen thưởng này đã bị thu hồi hoặc sửa đổi: không in giấy khen.")
    if record.is_imported:
        raise ValidationError("Khen thưởng nhập từ sổ vàng cũ: giấy khen không in từ hệ thống.")
    with transaction.atomic():
        reprint = record.prints.exists()
        _log_prints(actor, [record], printer, on_blank=on_blank)
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
    """Queue the print of every valid award of a final decision; the page polls the job."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
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


def decision_certificates_render(job: Job, progress: Progress) -> dict[str, Any]:
    """The job's worker: safe to run again (same file name, its own print log replaced)."""
    decision = Decision.objects.select_related("award_type", "campaign", "number").get(
        pk=job.params["decision"]
    )
    printer = PrinterProfile.objects.filter(pk=job.params.get("printer")).first()
    on_blank = bool(job.params.get("on_blank"))
    records = list(
        decision.records.filter(status=AwardRecord.Status.VALID)
        .select_related("award_type", "campaign", "decision__number", "decision__campaign")
        .order_by("number")
    )
    pdf = render_certificates(
        layout_for(decision.award_type),
        (certificate_values(r) for r in records),
        on_blank=on_blank,
        offset=_offset(printer),
        progress=progress,
    )
    name = f"jobs/{job.pk}/giay-khen.pdf"
    if default_storage.exists(name):
        default_storage.delete(name)
    name = default_storage.save(name, ContentFile(pdf))
    with transaction.atomic():
        _log_prints(job.created_by, records, printer, on_blank=on_blank, job=job)
    year = decision.signed_on.year if decision.signed_on else ""
    filename = f"giay-khen-{slugify(fold(decision.reference).replace('/', '-'))}-{year}.pdf"
    return {"file": name, "filename": filename, "count": len(records)}
