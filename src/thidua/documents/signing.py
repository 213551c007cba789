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
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from thidua.documents.official import (
    FONT_BOLD,
    FONT_ITALIC,
    FONT_REGULAR,
    SignatureBox,
    register_fonts,
)

logger = logging.getLogger(__name__)
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FIELD_NAME = "ChuKySo"
SEAL_RED = colors.Color(0.86, 0.08, 0.10)
STAMP_WIDTH = 80 * mm
STAMP_HEIGHT = 30 * mm
SEAL_DIAMETER = 30 * mm
CERT_SUFFIXES = (".pem", ".crt", ".cer", ".der")
MIN_SEAL_TEXT = 4.0  # points
MIN_STAMP_TEXT = 5.0


class SigningError(Exception):
    """The document could not be signed (key missing, wrong passphrase, token absent)."""


# ------------------------------------------------------------------------------ keys


class SigningKeySource(Protocol):
    """Opens a pyHanko signer for the duration of a ``with`` block."""

    def open(self) -> contextlib.AbstractContextManager[Any]: ...


@dataclass(frozen=True)
class Pkcs12Key:
    """A PKCS#12 file (key, certificate and its chain) and its passphrase."""

    path: Path
    passphrase: bytes

    @contextlib.contextmanager
    def open(self) -> Iterator[Any]:
        from pyhanko.sign.signers import SimpleSigner

        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise SigningError(f"Không đọc được tệp khóa ký số {self.path.name}.") from exc
        try:
            signer = SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=self.passphrase)
        except ValueError:
            signer = None
        if signer is None:
            raise SigningError("Không mở được tệp khóa ký số (sai mật khẩu hoặc tệp hỏng).")
        yield signer


@dataclass(frozen=True)
class Pkcs11Key:
    """A key on a PKCS#11 token: the module (.so), the token's label, the key's label (the
    certificate has the same label unless told) and the user PIN."""

    module: str
    token_label: str
    key_label: str
    pin: str
    cert_label: str = ""

    @contextlib.contextmanager
    def open(self) -> Iterator[Any]:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

        try:
            session = open_pkcs11_session(
                self.module,
                token_criteria=TokenCriteria(label=self.token_label or None),
                user_pin=self.pin or None,
            )
        except Exception as exc:  # the module raises its own error types
            raise SigningError(f"Không mở được token ký số: {exc}") from exc
        try:
            yield PKCS11Signer(
                session,
                key_label=self.key_label,
                cert_label=self.cert_label or self.key_label,
            )
        finally:
            session.close()


# ----------------------------------------------------------------------------- stamp


@dataclass(frozen=True)
class StampInfo:
    """What the visible stamp says: the signer, the issuing body, the time; the body's seal
    (a PNG with a transparent background) or, without one, a drawn seal with its name."""

    signer_name: str
    organisation: str
    signed_at: datetime
    seal_png: bytes | None = None
    seal_top: str = ""  # upper arc of a drawn seal: "ỦY BAN NHÂN DÂN"
    seal_bottom: str = ""  # lower arc: "THÀNH PHỐ BẮC NINH"
    with_seal: bool = True  # False: a personal signature only (the secretary of minutes)


def vn_time(moment: datetime) -> str:
    """ "03/12/2026 09:30" in Asia/Ho_Chi_Minh."""
    return f"{moment.astimezone(VN_TZ):%d/%m/%Y %H:%M}"


def _arc_text(canvas: Canvas, text: str, radius: float, size: float, *, top: bool) -> None:
    """Capitals along a circle centred at the origin: over the top (left to right,
    reading clockwise) or under the bottom (left to right, reading anticlockwise)."""
    widths = [canvas.stringWidth(ch, FONT_BOLD, size) for ch in text]
    spacing = size * 0.12
    total = sum(widths) + spacing * (len(text) - 1)
    r = radius if top else radius + size * 0.75
    angle = total / r  # radians the text spans
    at = math.pi / 2 + angle / 2 if top else -math.pi / 2 - angle / 2
    for ch, w in zip(text, widths, strict=True):
        step = (w + spacing) / r
        mid = at - (w / 2) / r if top else at + (w / 2) / r
        canvas.saveState()
        canvas.translate(r * math.cos(mid), r * math.sin(mid))
        canvas.rotate(math.degrees(mid) - 90 if top else math.degrees(mid) + 90)
        canvas.drawCentredString(0, 0, ch)
        canvas.restoreState()
        at = at - step if top else at + step


def _fitted_size(canvas: Canvas, text: str, radius: float, start: float, span: float) -> float:
    size = start
    while (
        size > MIN_SEAL_TEXT and (canvas.stringWidth(text, FONT_BOLD, size) * 1.12) / radius > span
    ):
        size -= 0.25
    return size


def draw_seal(
    canvas: Canvas, cx: float, cy: float, diameter: float, *, top: str, bottom: str
) -> None:
    """A simple red round seal: two rings, the body's name around, a star in the middle. A
    stand-in, drawn only when no image of the real seal is stored for the issuer."""
    r = diameter / 2
    canvas.saveState()
    canvas.translate(cx, cy)
    canvas.setStrokeColor(SEAL_RED)
    canvas.setFillColor(SEAL_RED)
    canvas.setLineWidth(1.6)
    canvas.circle(0, 0, r, stroke=1, fill=0)
    canvas.setLineWidth(0.6)
    canvas.circle(0, 0, r * 0.66, stroke=1, fill=0)
    text_r = r * 0.76
    if top:
        size = _fitted_size(canvas, top, text_r, diameter / mm * 0.21, math.pi * 1.15)
        canvas.setFont(FONT_BOLD, size)
        _arc_text(canvas, top.upper(), text_r, size, top=True)
    if bottom:
        size = _fitted_size(canvas, bottom, text_r, diameter / mm * 0.19, math.pi * 0.75)
        canvas.setFont(FONT_BOLD, size)
        _arc_text(canvas, bottom.upper(), text_r * 0.93, size, top=False)
    star = r * 0.42  # five-pointed star
    path = canvas.beginPath()
    for i in range(10):
        rad = star if i % 2 == 0 else star * 0.4
        theta = math.pi / 2 + i * math.pi / 5
        point = (rad * math.cos(theta), rad * math.sin(theta))
        if i == 0:
            path.moveTo(*point)
        else:
            path.lineTo(*point)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def stamp_pdf(info: StampInfo, width: float = STAMP_WIDTH, height: float = STAMP_HEIGHT) -> bytes:
    """The stamp as a one-page PDF (its appearance in the signed document): the signer's box
    with name, body and time, and the seal over the box's left third (Decree 30, Phụ lục I)."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1)
    seal = min(SEAL_DIAMETER, height) if info.with_seal else 0
    box_x = seal * 0.55 + (0 if info.with_seal else 1)
    box_w = width - box_x - 1
    canvas.setStrokeColor(colors.Color(0.1, 0.25, 0.6))
    canvas.setLineWidth(0.8)
    canvas.roundRect(box_x, height * 0.12, box_w, height * 0.76, 4, stroke=1, fill=0)
    text_x = seal + (2 if info.with_seal else 4) * mm
    text_w = width - text_x - 3 * mm
    lines = [
        (FONT_ITALIC, "Ký bởi:"),
        (FONT_BOLD, info.signer_name),
        (FONT_ITALIC, "Cơ quan:"),
        (FONT_REGULAR, info.organisation),
        (FONT_REGULAR, f"Thời gian ký: {vn_time(info.signed_at)}"),
    ]
    size = 8.5
    while size > MIN_STAMP_TEXT and any(canvas.stringWidth(t, f, size) > text_w for f, t in lines):
        size -= 0.25
    canvas.setFillColor(colors.Color(0.1, 0.25, 0.6))
    leading = size * 1.22
    y = height / 2 + leading * 2 - size * 0.35
    for font, text in lines:
        canvas.setFont(font, size)
        canvas.drawString(text_x, y, text)
        y -= leading
    if not info.with_seal:
        pass
    elif info.seal_png:
        canvas.drawImage(
            ImageReader(io.BytesIO(info.seal_png)),
            0,
            (height - seal) / 2,
            seal,
            seal,
            mask="auto",
            preserveAspectRatio=True,
        )
    else:
        draw_seal(
            canvas, seal / 2, height / 2, seal - 2, top=info.seal_top, bottom=info.seal_bottom
        )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _stamp_style(stamp: bytes) -> Any:
    from pyhanko.pdf_utils import content
    from pyhanko.pdf_utils.layout import BoxConstraints, Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.stamp import StaticStampStyle

    class _PdfPageFromBytes(content.PdfContent):
        """ImportedPdfPage reads a file by name; this reads bytes."""

        def render(self) -> bytes:
            writer = self._ensure_writer
            xobj = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(stamp)), page_ix=0)
            name = "/ImportStamp"
            self.resources.xobject[name] = xobj
            x1, y1, x2, y2 = xobj.get_object()["/BBox"]
            self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
            return name.encode("ascii") + b" Do"

    return StaticStampStyle(
        background=_PdfPageFromBytes(),
        background_opacity=1.0,
        border_width=0,
        background_layout=SimpleBoxLayoutRule(
            x_align=_mid(), y_align=_mid(), margins=Margins(0, 0, 0, 0)
        ),
    )


def _mid() -> Any:
    from pyhanko.pdf_utils.layout import AxisAlignment

    return AxisAlignment.ALIGN_MID


def with_annex_note(data: bytes, page: int, reference: str, moment: datetime) -> bytes:
    """``data`` with "reference" and the ISO 8601 signing time (Vietnam's offset) at the top
    right of ``page``, Times (Liberation Serif) 10 pt, upright, black; drawn before signing so
    that the signature covers it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    target = writer.pages[page]
    width, height = float(target.mediabox.width), float(target.mediabox.height)
    register_fonts()
    overlay = io.BytesIO()
    canvas = Canvas(overlay, pagesize=(width, height), invariant=1)
    canvas.setFont(FONT_REGULAR, 10)
    right, top = width - 15 * mm, height - 10 * mm
    canvas.drawRightString(right, top, reference)
    stamp_time = moment.astimezone(VN_TZ).replace(microsecond=0).isoformat()
    canvas.drawRightString(right, top - 12, stamp_time)
    canvas.showPage()
    canvas.save()
    target.merge_page(PdfReader(io.BytesIO(overlay.getvalue())).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def default_box(data: bytes) -> SignatureBox:
    """Without a known signature blank: the bottom right of the last page, above the margin."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[-1]
    x2 = float(page.mediabox.right) - 15 * mm
    y1 = float(page.mediabox.bottom) + 20 * mm
    return SignatureBox(len(reader.pages) - 1, x2 - STAMP_WIDTH, y1, x2, y1 + STAMP_HEIGHT)


def _stamp_rect(box: SignatureBox) -> tuple[int, int, int, int]:
    """The stamp centred on the blank (it may reach over the title and the name, as a seal
    does on paper)."""
    cx, cy = (box.x1 + box.x2) / 2, (box.y1 + box.y2) / 2
    width = min(STAMP_WIDTH, max(box.x2 - box.x1, STAMP_WIDTH * 0.8))
    x1, y1 = round(cx - width / 2), round(cy - STAMP_HEIGHT / 2)
    return (x1, y1, x1 + round(width), y1 + round(STAMP_HEIGHT))


# ----------------------------------------------------------------------------- sign


def sign_pdf(
    data: bytes,
    *,
    key: SigningKeySource,
    stamp: StampInfo,
    box: SignatureBox | None = None,
    reason: str = "",
    location: str = "",
    tsa_url: str = "",
    field_name: str = FIELD_NAME,
    annex_reference: str = "",
) -> bytes:
    """Sign ``data`` (PAdES baseline) with a visible stamp in ``box`` (the signer's blank;
    default: bottom right of the last page). The signature's time is ``stamp.signed_at``,
    the same that the stamp prints. With ``annex_reference`` ("01/QĐ-UBND") and an annex in
    ``box``, the annex's first page carries the number and the signing time at its top right
    (Decree 30, Phụ lục I: the annex of a signed document shows no image)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
    from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner
    from pyhanko.sign.timestamps import HTTPTimeStamper

    box = box or default_box(data)
    if box.annex_page is not None and annex_reference:
        data = with_annex_note(data, box.annex_page, annex_reference, stamp.signed_at)
    appearance = stamp_pdf(stamp)
    meta = PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        name=stamp.signer_name,
    )
    with key.open() as signer:
        pdf_signer = PdfSigner(
            meta,
            signer=signer,
            stamp_style=_stamp_style(appearance),
            timestamper=HTTPTimeStamper(tsa_url) if tsa_url else None,
            new_field_spec=SigFieldSpec(
                sig_field_name=field_name, on_page=box.page, box=_stamp_rect(box)
            ),
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        try:
            out = asyncio.run(_sign(pdf_signer, writer, stamp.signed_at))
        except SigningError:
            raise
        except Exception as exc:  # pyHanko and the token raise many kinds
            raise SigningError(f"Không ký số được tài liệu: {exc}") from exc
    return out


async def _sign(pdf_signer: Any, writer: Any, moment: datetime) -> bytes:
    """PdfSigner.async_sign_pdf, with the signing time fixed to the stamp's."""
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    session = pdf_signer.init_signing_session(writer)
    session.system_time = moment
    info = await session.perform_presign_validation(writer)
    reserved = await session.estimate_signature_container_size(info, tight=False)
    tbs = session.prepare_tbs_document(validation_info=info, bytes_reserved=reserved)
    digest, output = tbs.digest_tbs_document(in_place=False, output=None)
    post = await tbs.perform_signature(
        document_digest=digest.document_digest,
        pdf_cms_signed_attrs=PdfCMSSignedAttributes(signing_time=moment),
    )
    await post.post_signature_processing(output)
    output.seek(0)
    return bytes(output.read())


# ------------------------------------------------------------------------- validate


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
    signer_subject: str  # "Common Name: Lê Quang Minh, Organization: UBND …"
    signer_name: str  # the certificate's common name
    organisation: str  # the certificate's organisation
    trusted: bool  # chains to a configured trust root
    intact: bool  # the signed bytes are unchanged
    unmodified: bool  # nothing but signatures/timestamps was added after signing
    signed_at: datetime | None
    status: SignatureStatus
    detail: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "signer_subject": self.signer_subject,
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
    try:
        st = validate_pdf_signature(embedded, signer_validation_context=context)
    except Exception as exc:  # a broken signature container
        return SignatureCheck(
            field=embedded.field_name,
            signer_subject=subject.human_friendly,
            signer_name=_name_part(subject, "common_name"),
            organisation=_name_part(subject, "organization_name"),
            trusted=False,
            intact=False,
            unmodified=False,
            signed_at=None,
            status=SignatureStatus.INVALID,
            detail=str(exc)[:300],
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
        signer_subject=subject.human_friendly,
        signer_name=_name_part(subject, "common_name"),
        organisation=_name_part(subject, "organization_name"),
        trusted=trusted,
        intact=intact,
        unmodified=unmodified,
        signed_at=when,
        status=status,
        detail=str(st.modification_level.name if st.modification_level else ""),
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
