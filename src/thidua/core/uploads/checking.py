"""check_upload: read within the size limit, tell the kind from the bytes (never from the
name or the browser's content type), then hand over to that kind's check."""

from __future__ import annotations

import contextlib
from collections.abc import Collection
from typing import IO, Final

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from thidua.core.uploads.common import (
    DEFAULT_MAX_BYTES,
    CheckedUpload,
    UploadKind,
    _image_format,
    _invalid_image,
    _not_allowed,
    _too_large,
    sanitize_filename,
)
from thidua.core.uploads.images import _check_image
from thidua.core.uploads.office import _check_office
from thidua.core.uploads.pdf import _check_pdf

_READ_CHUNK: Final = 64 * 1024


def check_upload(
    upload: UploadedFile | IO[bytes],
    *,
    allowed: Collection[UploadKind],
    max_bytes: int = DEFAULT_MAX_BYTES,
    name: str | None = None,
    max_word_unpacked_bytes: int | None = None,
) -> CheckedUpload:
    """Return the checked upload or raise ValidationError with a Vietnamese message.
    `max_word_unpacked_bytes`: for a Word file the server reads (PARSED_WORD_MAX_UNPACKED_BYTES),
    the most its archive may unpack to."""
    if not allowed:
        raise ValueError("allowed must name at least one UploadKind")
    raw_name = name if name is not None else getattr(upload, "name", None)
    display = sanitize_filename(raw_name if isinstance(raw_name, str) else "")
    data = _read_limited(upload, max_bytes, display)
    if not data:
        raise ValidationError(f"Tệp “{display}” trống.", code="empty")

    kind = _sniff(data, display, allowed)
    if kind is UploadKind.IMAGE:
        return _check_image(data, display)
    if kind is UploadKind.PDF:
        return _check_pdf(data, display)
    return _check_office(data, display, allowed, max_word_unpacked_bytes)


def _read_limited(upload: UploadedFile | IO[bytes], max_bytes: int, display: str) -> bytes:
    declared = getattr(upload, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise _too_large(display, max_bytes)
    # Django form validation may already have read the file; a pipe is read from where it is.
    with contextlib.suppress(AttributeError, OSError, ValueError):
        if upload.seekable():
            upload.seek(0)
    parts: list[bytes] = []
    remaining = max_bytes + 1
    while remaining > 0:
        chunk = upload.read(min(remaining, _READ_CHUNK))
        if not chunk:
            break
        if not isinstance(chunk, bytes):
            raise TypeError("check_upload needs a binary file")
        parts.append(chunk)
        remaining -= len(chunk)
    data = b"".join(parts)
    if len(data) > max_bytes:
        raise _too_large(display, max_bytes)
    return data


_HEIF_BRANDS: Final = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
)
_AVIF_BRANDS: Final = frozenset({b"avif", b"avis"})
_OTHER_IMAGE_MAGIC: Final = (
    b"GIF87a",
    b"GIF89a",
    b"BM",  # BMP
    b"II*\x00",  # TIFF
    b"MM\x00*",
    b"\x00\x00\x01\x00",  # ICO
    b"8BPS",  # Photoshop
    b"\xff\x0a",  # JPEG XL codestream
    b"\x00\x00\x00\x0cJXL ",
)
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc/.xls, or password-protected OOXML


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) and b"<svg" in head


def _sniff(data: bytes, display: str, allowed: Collection[UploadKind]) -> UploadKind:
    """The kind the bytes really are, or a ValidationError."""
    image_allowed = UploadKind.IMAGE in allowed
    if _image_format(data) is not None:
        if not image_allowed:
            raise _not_allowed(display, allowed)
        return UploadKind.IMAGE
    if data.startswith(b"%PDF-"):
        if UploadKind.PDF not in allowed:
            raise _not_allowed(display, allowed)
        return UploadKind.PDF
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if UploadKind.DOCX not in allowed and UploadKind.XLSX not in allowed:
            raise _not_allowed(display, allowed)
        return UploadKind.DOCX  # the archive check decides between DOCX and XLSX
    if image_allowed:
        if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
            raise ValidationError(
                f"Tệp “{display}” là ảnh HEIC/HEIF, chưa được hỗ trợ. Vui lòng chuyển ảnh "
                "sang JPEG (trên iPhone: Cài đặt → Camera → Định dạng → Tương thích nhất) "
                "rồi tải lên lại.",
                code="heic",
            )
        if _looks_like_svg(data):
            raise ValidationError(
                f"Tệp “{display}” là ảnh SVG, không được phép vì có thể chứa mã độc. "
                "Vui lòng dùng ảnh JPEG hoặc PNG.",
                code="svg",
            )
        if (data[4:8] == b"ftyp" and data[8:12] in _AVIF_BRANDS) or data.startswith(
            _OTHER_IMAGE_MAGIC
        ):
            raise _invalid_image(display)
    if data.startswith(_OLE_MAGIC) and (UploadKind.DOCX in allowed or UploadKind.XLSX in allowed):
        raise ValidationError(
            f"Tệp “{display}” là định dạng Office cũ (.doc, .xls) hoặc đã đặt mật khẩu. "
            "Vui lòng gỡ mật khẩu và lưu lại dưới dạng .docx hoặc .xlsx.",
            code="legacy_office",
        )
    if set(allowed) == {UploadKind.IMAGE}:
        raise _invalid_image(display)
    raise _not_allowed(display, allowed)
