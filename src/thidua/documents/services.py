"""Signing issued PDFs with the signer's key, and checking signed PDFs that are uploaded.

An app that issues a document calls :func:`signed_pdf_issue` inside its own transaction (the
signed copy commits with the state change); an app that receives a signed PDF calls
:func:`signed_pdf_receive` with the stored upload. Both return the :class:`SignedPdf` row that
the record's pages show (:func:`signed_pdf_for`).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from thidua.accounts.models import User
from thidua.core.services import action_log_record
from thidua.documents import signing
from thidua.documents.models import IssuerSeal, SignedPdf, SigningKey
from thidua.documents.official import SignatureBox
from thidua.organizations.models import Unit

FULL_AUTHORITY = ("UBND ", "Ủy ban nhân dân ")


def full_name_of(unit: Unit) -> str:
    """ "Ủy ban nhân dân thành phố Bắc Ninh" for "UBND thành phố Bắc Ninh"."""
    return unit.name.replace("UBND", "Ủy ban nhân dân")


def key_source_for(user: User) -> signing.SigningKeySource | None:
    """The user's active signing key, opened from configuration; None without one."""
    return _source(SigningKey.objects.filter(user=user, active=True).first())


def unit_key_source_for(unit: Unit) -> signing.SigningKeySource | None:
    """The issuing body's own key (its clerk signs the letters it issues); None without one."""
    return _source(SigningKey.objects.filter(unit=unit, active=True).first())


def _source(key: SigningKey | None) -> signing.SigningKeySource | None:
    if key is None:
        return None
    if key.backend == SigningKey.Backend.PKCS11:
        if not settings.THIDUA_PKCS11_MODULE:
            raise ValidationError("Chưa cấu hình token ký số (THIDUA_PKCS11_MODULE).")
        return signing.Pkcs11Key(
            module=settings.THIDUA_PKCS11_MODULE,
            token_label=key.token_label or settings.THIDUA_PKCS11_TOKEN_LABEL,
            key_label=key.key_label or settings.THIDUA_PKCS11_KEY_LABEL,
            pin=settings.THIDUA_PKCS11_PIN,
        )
    path = Path(key.pkcs12_file)
    if not path.is_absolute():
        path = Path(settings.THIDUA_SIGNING_KEY_DIR) / path
    passphrase = os.environ.get(key.passphrase_env, "") if key.passphrase_env else ""
    return signing.Pkcs12Key(path=path, passphrase=passphrase.encode())


def has_signing_key(*, actor: User, issuer: Unit | None = None, issuer_key: bool = False) -> bool:
    """Whether signed_pdf_issue would sign: check first, before rendering the PDF."""
    if issuer_key:
        return SigningKey.objects.filter(unit=issuer, active=True).exists()
    return SigningKey.objects.filter(user=actor, active=True).exists()


def stamp_for(unit: Unit, signer_name: str, *, with_seal: bool = True) -> signing.StampInfo:
    """The stamp's text and the issuer's seal: the stored image, or a drawn one."""
    seal = IssuerSeal.objects.filter(unit=unit).first()
    png = None
    if seal is not None and seal.image:
        with seal.image.open("rb") as f:
            png = f.read()
    name = full_name_of(unit)
    top, bottom = name.upper(), unit.parent.name.upper() if unit.parent else ""
    for lead in FULL_AUTHORITY:
        if unit.name.startswith(lead):
            top, bottom = "ỦY BAN NHÂN DÂN", unit.name[len(lead) :].upper()
    return signing.StampInfo(
        signer_name=signer_name,
        organisation=name,
        signed_at=timezone.now(),
        seal_png=png,
        seal_top=top,
        seal_bottom=bottom,
        with_seal=with_seal,
    )


def _store(content: bytes) -> str:
    now = timezone.localtime(timezone.now())
    return default_storage.save(
        f"signed/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.pdf", ContentFile(content)
    )


def _row(
    *,
    target: models.Model,
    source: str,
    name: str,
    content: bytes,
    result: signing.ValidationResult,
    actor: User | None,
) -> SignedPdf:
    last = result.last
    return SignedPdf.objects.create(
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        source=source,
        file=name,
        sha256=hashlib.sha256(content).hexdigest(),
        status=str(result.status),
        signer_name=last.signer_name[:255] if last else "",
        signer_subject=last.signer_subject[:500] if last else "",
        organisation=last.organisation[:255] if last else "",
        signed_at=last.signed_at if last else None,
        details=result.as_json(),
        created_by=actor,
    )


def signed_pdf_issue(
    *,
    actor: User,
    target: models.Model,
    pdf: bytes,
    issuer: Unit,
    signer_name: str = "",
    box: SignatureBox | None = None,
    reason: str = "",
    issuer_key: bool = False,
    reference: str = "",
    with_seal: bool = True,
) -> SignedPdf | None:
    """Sign ``pdf`` (the issued document of ``target``) with the actor's key (or, with
    ``issuer_key``, the issuing body's own key), store it, check it and log it (``reference``,
    the document's number, is printed on its annex's first page; ``with_seal=False`` for a
    personal signature that bears no seal, such as the minutes' secretary); None when
    there is no such key. Call inside the issuing transaction: a failure to sign raises
    ValidationError and nothing is issued."""
    key = unit_key_source_for(issuer) if issuer_key else key_source_for(actor)
    if key is None:
        return None
    default_name = full_name_of(issuer) if issuer_key else actor.get_full_name()
    stamp = stamp_for(issuer, signer_name or default_name, with_seal=with_seal)
    try:
        signed = signing.sign_pdf(
            pdf,
            key=key,
            stamp=stamp,
            box=box,
            reason=reason,
            location=issuer.name,
            tsa_url=settings.THIDUA_SIGNING_TSA_URL,
            annex_reference=reference,
        )
    except signing.SigningError as exc:
        raise ValidationError(str(exc)) from exc
    result = signing.validate_signed_pdf(signed)
    name = _store(signed)  # (a rollback of the caller's transaction leaves it orphaned)
    row = _row(
        target=target,
        source=SignedPdf.Source.ISSUED,
        name=name,
        content=signed,
        result=result,
        actor=actor,
    )
    action_log_record(
        actor=actor,
        action="documents.pdf.signed",
        target=target,
        data={"signed_pdf": row.pk, "status": row.status, "sha256": row.sha256},
    )
    return row


def signed_pdf_receive(
    *, actor: User, target: models.Model, name: str, content: bytes
) -> SignedPdf | None:
    """Check the signatures of an uploaded PDF already stored as ``name`` and record the
    outcome for ``target``; None for a file that is not a PDF (a scan image)."""
    if not content.startswith(b"%PDF"):
        return None
    result = signing.validate_signed_pdf(content)
    row = _row(
        target=target,
        source=SignedPdf.Source.RECEIVED,
        name=name,
        content=content,
        result=result,
        actor=actor,
    )
    action_log_record(
        actor=actor,
        action="documents.pdf.signature_checked",
        target=target,
        data={"signed_pdf": row.pk, "status": row.status},
    )
    return row
