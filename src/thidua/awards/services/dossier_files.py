"""A dossier's files: attach, replace, remove, each version kept."""

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from thidua.accounts.models import User
from thidua.awards import rules
from thidua.awards.models import (
    AwardRule,
    DocumentKind,
    DossierDocument,
    Nomination,
    Nominee,
)
from thidua.awards.services.common import (
    DOSSIER_KINDS,
    _editable,
)
from thidua.core.clock import now
from thidua.core.services import action_log_record
from thidua.core.uploads import CheckedUpload, UploadKind, check_upload, save_checked


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


def _attached_already(
    n: Nomination, kind: str, nominee: Nominee | None, checked: CheckedUpload
) -> DossierDocument | None:
    """The dossier's current file of this kind (and nominee) with the same name and bytes."""
    candidates = DossierDocument.objects.filter(
        nomination=n,
        kind=kind,
        nominee=nominee,
        retired="",
        original_name=checked.original_name,
        size=checked.size,
    )
    for document in candidates:
        with document.file.open("rb") as stored:
            if stored.read() == checked.content:
                return document
    return None


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
    checked = check_upload(upload, allowed=DOSSIER_KINDS)  # a bad file, before the lock
    with transaction.atomic():
        n = _editable(actor, nomination, "Hồ sơ đã gửi: không đính kèm thêm được.")
        same = _attached_already(n, kind, nominee, checked)
        if same is not None:
            return same  # a double click, or the same file chosen again: one copy
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
