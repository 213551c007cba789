"""PDF: a real parse, no password, and no active content anywhere in the object graph
(scripts, actions that run by themselves, embedded files)."""

from __future__ import annotations

import io
from typing import Final

from django.core.exceptions import ValidationError

from thidua.core.uploads.common import CheckedUpload, UploadKind


def _check_pdf(data: bytes, display: str) -> CheckedUpload:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    invalid = ValidationError(
        f"Tệp “{display}” không phải là tệp PDF hợp lệ hoặc đã bị hỏng.", code="invalid_pdf"
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = len(reader.pages)
    except FileNotDecryptedError as exc:
        raise ValidationError(
            f"Tệp “{display}” được đặt mật khẩu. Vui lòng gỡ mật khẩu rồi tải lên lại.",
            code="encrypted_pdf",
        ) from exc
    except Exception as exc:  # pypdf raises many types on damaged input
        raise invalid from exc
    if pages < 1:
        raise invalid
    try:
        active = _pdf_active_content(reader)
    except Exception as exc:  # a damaged object graph: refuse rather than guess
        raise invalid from exc
    if active:
        raise ValidationError(
            f"Tệp “{display}” chứa mã JavaScript, tệp đính kèm hoặc lệnh tự chạy ({active}) nên "
            "không được nhận. Vui lòng in lại thành PDF thông thường (In → Lưu dưới dạng PDF) "
            "rồi tải lên.",
            code="active_pdf",
        )
    return CheckedUpload(
        kind=UploadKind.PDF,
        content=data,
        extension=".pdf",
        content_type="application/pdf",
        original_name=display,
        size=len(data),
    )


# Keys that carry scripts, actions that run by themselves, or files inside the PDF (issue 18,
# L9). pypdf decodes names (/J#61vaScript is /JavaScript) and opens compressed object streams.
_PDF_ACTIVE_KEYS: Final = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/XFA",
    }
)
_PDF_ACTIVE_ACTIONS: Final = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/SubmitForm", "/Rendition"}
)
_PDF_MAX_OBJECTS: Final = 500_000


def _pdf_active_content(reader: object) -> str:
    """The first active element found in the whole object graph, or "". An /OpenAction that is
    only a destination (open at a page) is harmless; one that is an action is not."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    trailer = reader.trailer  # type: ignore[attr-defined]
    stack: list[object] = [trailer]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            ref = (item.idnum, item.generation)
            if ref in seen:
                continue
            seen.add(ref)
            item = item.get_object()
        visited += 1
        if visited > _PDF_MAX_OBJECTS:
            return "quá nhiều đối tượng"
        if isinstance(item, DictionaryObject):
            for key in item:
                if key in _PDF_ACTIVE_KEYS:
                    return str(key)
            action = item.get("/S")
            if isinstance(action, NameObject) and action in _PDF_ACTIVE_ACTIONS:
                return str(action)
            opening = item.get("/OpenAction")
            if opening is not None and isinstance(opening.get_object(), DictionaryObject):
                return "/OpenAction"
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return ""
