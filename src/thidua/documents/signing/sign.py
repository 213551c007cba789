"""Signing a PDF: a PAdES baseline signature (B-B; B-T with ``THIDUA_SIGNING_TSA_URL``) with
pyHanko, its time the stamp's."""

from __future__ import annotations

import asyncio
import io
from datetime import datetime
from typing import Any

from thidua.documents.official.model import SignatureBox
from thidua.documents.signing.keys import SigningError, SigningKeySource
from thidua.documents.signing.stamp import (
    StampInfo,
    _stamp_rect,
    _stamp_style,
    default_box,
    stamp_pdf,
    with_annex_note,
)

FIELD_NAME = "ChuKySo"


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
