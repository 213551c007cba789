"""What every upload check shares: the kinds, the checked upload, size limits, the sanitised
display name and the Vietnamese refusals; the image formats accepted, by their magic numbers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from django.core.exceptions import ValidationError

KIB: Final = 1024
MIB: Final = 1024 * KIB
DEFAULT_MAX_BYTES: Final = 10 * MIB
MAX_NAME_LENGTH: Final = 200
_MAX_KEPT_EXTENSION: Final = 10  # a longer "extension" is just part of the name


class UploadKind(StrEnum):
    IMAGE = "image"
    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"


_KIND_LABELS: Final = {
    UploadKind.IMAGE: "ảnh",
    UploadKind.PDF: "PDF",
    UploadKind.DOCX: "Word (.docx)",
    UploadKind.XLSX: "Excel (.xlsx)",
}
_DOCX_TYPE: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check; `content` is what should be stored."""

    kind: UploadKind
    content: bytes  # for images: the re-encoded bytes, without metadata
    extension: str  # ".jpg", ".png", ".pdf", ".docx", ".xlsx"
    content_type: str
    original_name: str  # sanitised, for display and downloads only
    size: int
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None  # JPEG, longest side THUMBNAIL_SIZE, images only


def sanitize_filename(raw: str) -> str:
    """The last path component without control/format characters, at most 200 characters."""
    text = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    # Categories C* cover control characters and bidi overrides ("photo\u202egpj.exe").
    text = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or not unicodedata.category(ch).startswith("C")
    )
    text = re.sub(r'[<>:"|?*]', "", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    if len(text) > MAX_NAME_LENGTH:
        stem, dot, ext = text.rpartition(".")
        if dot and stem and len(ext) <= _MAX_KEPT_EXTENSION:
            text = stem[: MAX_NAME_LENGTH - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            text = text[:MAX_NAME_LENGTH].rstrip(" .")
    return text or "không tên"


# --- sizes and refusals ---------------------------------------------------------------------


def _format_size(n: int) -> str:
    if n >= MIB:
        value, unit = n / MIB, "MB"
    elif n >= KIB:
        value, unit = n / KIB, "KB"
    else:
        return f"{n} byte"
    text = f"{value:.1f}".removesuffix(".0").replace(".", ",")  # Vietnamese decimal comma
    return f"{text} {unit}"


def _too_large(display: str, max_bytes: int) -> ValidationError:
    return ValidationError(
        f"Tệp “{display}” quá lớn (tối đa {_format_size(max_bytes)}).", code="too_large"
    )


def _not_allowed(display: str, allowed: Collection[UploadKind]) -> ValidationError:
    labels = ", ".join(_KIND_LABELS[kind] for kind in UploadKind if kind in allowed)
    return ValidationError(
        f"Loại tệp của “{display}” không được phép. Chỉ nhận: {labels}.", code="not_allowed"
    )


def _invalid_image(display: str) -> ValidationError:
    return ValidationError(
        f"Tệp “{display}” không phải là ảnh hợp lệ (chỉ nhận JPEG, PNG, WebP).",
        code="invalid_image",
    )


def _image_format(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None
