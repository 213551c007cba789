"""Validating the signatures of a PDF: for each, who signed (certificate subject), whether the
certificate chains to a trusted root (``THIDUA_SIGNING_TRUST_DIR``), whether the document is
intact (not modified after signing), and when it was signed."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509

from thidua.documents.signing.subject import subject_attributes, subject_text

logger = logging.getLogger(__name__)
CERT_SUFFIXES = (".pem", ".crt", ".cer", ".der")


class SignatureStatus(StrEnum):
    VALID = "valid"
    MODIFIED = "modified"
    UNTRUSTED = "untrusted"
    INVALID = "invalid"
    UNSIGNED = "unsigned"


STATUS_LABELS = {
    SignatureStatus.VALID: "Chữ ký số hợp lệ",
    SignatureStatus.MODIFIED: "Tài liệu đã bị sửa sau khi ký",
    SignatureStatus.UNTRUSTED: "Chứng thư không được tin cậy",
    SignatureStatus.INVALID: "Chữ ký số không hợp lệ",
    SignatureStatus.UNSIGNED: "Tài liệu không có chữ ký số",
}


@dataclass(frozen=True)
class SignatureCheck:
    """One signature: who, whether trusted and intact, when."""

    field: str
    signer_subject: str  # "Cấp cho: Lê Quang Minh; Tổ chức: UBND …" (signing.subject)
    signer_name: str  # the certificate's common name
    organisation: str  # the certificate's organisation
    trusted: bool  # chains to a configured trust root
    intact: bool  # the signed bytes are unchanged
    unmodified: bool  # nothing but signatures/timestamps was added after signing
    signed_at: datetime | None
    status: SignatureStatus
    detail: str = ""
    subject: tuple[tuple[str, str], ...] = ()  # the certificate subject's attributes

    def as_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "signer_subject": self.signer_subject,
            "subject": [list(pair) for pair in self.subject],
            "signer_name": self.signer_name,
            "organisation": self.organisation,
            "trusted": self.trusted,
            "intact": self.intact,
            "unmodified": self.unmodified,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "status": str(self.status),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class ValidationResult:
    status: SignatureStatus
    signatures: list[SignatureCheck] = field(default_factory=list)
    detail: str = ""

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def last(self) -> SignatureCheck | None:
        return self.signatures[-1] if self.signatures else None

    def as_json(self) -> dict[str, Any]:
        return {
            "status": str(self.status),
            "detail": self.detail,
            "signatures": [s.as_json() for s in self.signatures],
        }


def load_certificates(folder: Path) -> list[asn1_x509.Certificate]:
    """Every certificate (PEM, possibly several per file, or DER) in ``folder``."""
    from asn1crypto import pem

    found: list[asn1_x509.Certificate] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in CERT_SUFFIXES:
            continue
        raw = path.read_bytes()
        try:
            if pem.detect(raw):
                certs = [asn1_x509.Certificate.load(der) for _t, _h, der in pem.unarmor(raw, True)]
            else:
                certs = [asn1_x509.Certificate.load(raw)]
            for cert in certs:
                cert.native  # noqa: B018 - parse now: a damaged file is skipped, not fatal later
        except Exception:  # asn1crypto raises several types on damaged input
            logger.warning("trust root %s is not a certificate; skipped", path.name)
            continue
        found += certs
    return found


def _name_part(name: asn1_x509.Name, key: str) -> str:
    value = name.native.get(key, "")
    return ", ".join(value) if isinstance(value, list) else str(value or "")


def _check_safely(embedded: Any, roots: Sequence[asn1_x509.Certificate]) -> SignatureCheck:
    try:
        return _check_one(embedded, roots)
    except Exception as exc:  # a signature dictionary or container too broken to read
        return SignatureCheck(
            field=str(getattr(embedded, "field_name", "")),
            signer_subject="",
            signer_name="",
            organisation="",
            trusted=False,
            intact=False,
            unmodified=False,
            signed_at=None,
            status=SignatureStatus.INVALID,
            detail=str(exc)[:300],
        )


def _check_one(embedded: Any, roots: Sequence[asn1_x509.Certificate]) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(
        trust_roots=list(roots), allow_fetching=False, revocation_mode="soft-fail"
    )
    cert = embedded.signer_cert
    subject = cert.subject
    attributes = subject_attributes(subject)
    try:
        st = validate_pdf_signature(embedded, signer_validation_context=context)
    except Exception as exc:  # a broken signature container
        return SignatureCheck(
            field=embedded.field_name,
            signer_subject=subject_text(attributes),
            signer_name=_name_part(subject, "common_name"),
            organisation=_name_part(subject, "organization_name"),
            trusted=False,
            intact=False,
            unmodified=False,
            signed_at=None,
            status=SignatureStatus.INVALID,
            detail=str(exc)[:300],
            subject=tuple(attributes),
        )
    from pyhanko.sign.diff_analysis import ModificationLevel

    intact = bool(st.intact and st.valid)
    # after signing, only more signatures, timestamps or validation data may be added
    level = st.modification_level
    unmodified = st.docmdp_ok is not False and (level is None or level < ModificationLevel.OTHER)
    trusted = bool(st.trusted)
    if not intact or not unmodified:
        status = SignatureStatus.MODIFIED
    elif not trusted:
        status = SignatureStatus.UNTRUSTED
    else:
        status = SignatureStatus.VALID
    when = st.signer_reported_dt
    if st.timestamp_validity is not None:
        when = st.timestamp_validity.timestamp
    return SignatureCheck(
        field=embedded.field_name,
        signer_subject=subject_text(attributes),
        signer_name=_name_part(subject, "common_name"),
        organisation=_name_part(subject, "organization_name"),
        trusted=trusted,
        intact=intact,
        unmodified=unmodified,
        signed_at=when,
        status=status,
        detail=str(st.modification_level.name if st.modification_level else ""),
        subject=tuple(attributes),
    )


_WORST = [
    SignatureStatus.INVALID,
    SignatureStatus.MODIFIED,
    SignatureStatus.UNTRUSTED,
    SignatureStatus.VALID,
]


def validate_signed_pdf(
    data: bytes, *, trust_roots: Sequence[asn1_x509.Certificate] | None = None
) -> ValidationResult:
    """Check every signature of ``data``. The result is the worst of them: invalid, then
    modified after signing, then untrusted; valid only when all are."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    if trust_roots is None:
        trust_roots = configured_trust_roots()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # not a readable PDF
        return ValidationResult(SignatureStatus.INVALID, detail=str(exc)[:300])
    if not embedded:
        return ValidationResult(SignatureStatus.UNSIGNED)
    checks = [_check_safely(sig, trust_roots) for sig in embedded]
    status = next(s for s in _WORST if any(c.status == s for c in checks) or s is _WORST[-1])
    return ValidationResult(status, checks)


def configured_trust_roots() -> list[asn1_x509.Certificate]:
    from django.conf import settings

    return load_certificates(Path(settings.THIDUA_SIGNING_TRUST_DIR))
