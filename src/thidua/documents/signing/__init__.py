"""Digital signatures (ký số) on issued PDFs: PAdES with pyHanko, and their validation.

No Django models here (documents.services stores what is signed and what was checked):

- :func:`sign_pdf` adds a PAdES baseline (B-B; B-T with ``THIDUA_SIGNING_TSA_URL``) signature
  to a PDF, with a visible stamp laid out per Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II (a
  digitally signed document): the issuing body's red seal, laid over the left third of the
  signer's box, which says who signed, for which body and when (Asia/Ho_Chi_Minh).
- Keys: :class:`Pkcs12Key` (a ``.p12``/``.pfx`` file and its passphrase: demo and tests) or
  :class:`Pkcs11Key` (a USB token or HSM through its PKCS#11 module: production).
- :func:`validate_signed_pdf` says, for each signature, who signed (certificate subject),
  whether the certificate chains to a trusted root (``THIDUA_SIGNING_TRUST_DIR``), whether the
  document is intact (not modified after signing), and when it was signed.

By concern: ``keys``, ``stamp`` (the visible stamp and where it goes), ``sign``, ``validation``
(``subject``: the signer's certificate subject in Vietnamese);
this package re-exports their public names (``signing.sign_pdf``, ``signing.Pkcs12Key``, …).
"""

from thidua.documents.signing.keys import Pkcs11Key, Pkcs12Key, SigningError, SigningKeySource
from thidua.documents.signing.sign import FIELD_NAME, sign_pdf
from thidua.documents.signing.stamp import (
    MIN_SEAL_TEXT,
    MIN_STAMP_TEXT,
    SEAL_DIAMETER,
    SEAL_RED,
    STAMP_HEIGHT,
    STAMP_WIDTH,
    VN_TZ,
    StampInfo,
    default_box,
    draw_seal,
    stamp_pdf,
    vn_time,
    with_annex_note,
)
from thidua.documents.signing.subject import subject_attributes, subject_text
from thidua.documents.signing.validation import (
    CERT_SUFFIXES,
    STATUS_LABELS,
    SignatureCheck,
    SignatureStatus,
    ValidationResult,
    configured_trust_roots,
    load_certificates,
    validate_signed_pdf,
)

__all__ = [
    "CERT_SUFFIXES",
    "FIELD_NAME",
    "MIN_SEAL_TEXT",
    "MIN_STAMP_TEXT",
    "SEAL_DIAMETER",
    "SEAL_RED",
    "STAMP_HEIGHT",
    "STAMP_WIDTH",
    "STATUS_LABELS",
    "VN_TZ",
    "Pkcs11Key",
    "Pkcs12Key",
    "SignatureCheck",
    "SignatureStatus",
    "SigningError",
    "SigningKeySource",
    "StampInfo",
    "ValidationResult",
    "configured_trust_roots",
    "default_box",
    "draw_seal",
    "load_certificates",
    "sign_pdf",
    "stamp_pdf",
    "subject_attributes",
    "subject_text",
    "validate_signed_pdf",
    "vn_time",
    "with_annex_note",
]
