"""DOCX and XLSX: inspected as ZIP archives for macros, passwords and ZIP bombs; the kind
comes from the archive's parts."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Collection
from typing import Final

from django.core.exceptions import ValidationError

from thidua.core.uploads.common import (
    _DOCX_TYPE,
    _XLSX_TYPE,
    MIB,
    CheckedUpload,
    UploadKind,
    _not_allowed,
)

# ZIP bomb guards for .docx/.xlsx. The ratio only matters for members big enough to hurt:
# a 20 KB run of repeated XML legitimately compresses better than 100:1.
ZIP_MAX_TOTAL_BYTES: Final = 100 * MIB
ZIP_MAX_RATIO: Final = 100
ZIP_RATIO_MIN_MEMBER_BYTES: Final = MIB
ZIP_MAX_MEMBERS: Final = 10_000
CONTENT_TYPES_MAX_BYTES: Final = MIB
_MIMETYPE_MAX: Final = 200  # an OpenDocument file's first member names its type


_OFFICE_KINDS: Final = ((UploadKind.DOCX, "Word", ".docx"), (UploadKind.XLSX, "Excel", ".xlsx"))


def _invalid_office(display: str, allowed: Collection[UploadKind]) -> ValidationError:
    """A damaged or cut-off archive, named by the kinds the field takes (an Excel import never
    speaks of Word), with what to do when it takes one."""
    kinds = [k for k in _OFFICE_KINDS if k[0] in allowed] or list(_OFFICE_KINDS)
    named = " hoặc ".join(f"{app} ({extension})" for _, app, extension in kinds)
    message = f"Tệp “{display}” không phải là tệp {named} hợp lệ (tệp hỏng hoặc chưa tải lên hết)."
    if len(kinds) == 1:
        _, app, extension = kinds[0]
        message += f" Hãy mở tệp bằng {app}, lưu lại dưới dạng {extension} rồi chọn lại."
    return ValidationError(message, code="invalid_office")


def _check_office(data: bytes, display: str, allowed: Collection[UploadKind]) -> CheckedUpload:
    invalid = _invalid_office(display, allowed)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_archive(members, display)
            names = {member.filename for member in members}
            if "[Content_Types].xml" not in names:
                if (
                    "mimetype" in names
                    and archive.getinfo("mimetype").file_size < _MIMETYPE_MAX
                    and archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
                ):
                    raise _open_document(display)
                raise invalid
            content_types = archive.getinfo("[Content_Types].xml")
            if content_types.file_size > CONTENT_TYPES_MAX_BYTES:
                raise invalid
            types_xml = archive.read(content_types)
    except ValidationError:
        raise
    except (
        zipfile.BadZipFile,
        NotImplementedError,
        ValueError,
        OSError,
        EOFError,
        zlib.error,
    ) as exc:
        raise invalid from exc  # damaged archive, unsupported compression, bad CRC

    if b"macroenabled" in types_xml.lower():
        raise _macro(display)
    if "word/document.xml" in names:
        kind, extension, content_type = UploadKind.DOCX, ".docx", _DOCX_TYPE
    elif "xl/workbook.xml" in names:
        kind, extension, content_type = UploadKind.XLSX, ".xlsx", _XLSX_TYPE
    else:
        raise invalid
    if kind not in allowed:
        raise _not_allowed(display, allowed)
    return CheckedUpload(
        kind=kind,
        content=data,
        extension=extension,
        content_type=content_type,
        original_name=display,
        size=len(data),
    )


def _open_document(display: str) -> ValidationError:
    return ValidationError(
        f"Tệp “{display}” là định dạng OpenDocument (.ods, .odt của LibreOffice, WPS). "
        "Vui lòng mở tệp và lưu lại dưới dạng .xlsx hoặc .docx.",
        code="open_document",
    )


def _macro(display: str) -> ValidationError:
    return ValidationError(
        f"Tệp “{display}” chứa macro nên không được phép. "
        "Vui lòng lưu lại dưới dạng .docx hoặc .xlsx thông thường (không có macro).",
        code="macro",
    )


def _check_archive(members: list[zipfile.ZipInfo], display: str) -> None:
    bomb = ValidationError(
        f"Tệp “{display}” có nội dung nén bất thường (nghi ngờ “bom nén”) nên bị từ chối.",
        code="zip_bomb",
    )
    if len(members) > ZIP_MAX_MEMBERS:
        raise bomb
    total = 0
    for member in members:
        if member.filename.replace("\\", "/").rsplit("/", 1)[-1].lower() == "vbaproject.bin":
            raise _macro(display)
        if member.flag_bits & 0x1:  # encrypted member
            raise ValidationError(
                f"Tệp “{display}” được đặt mật khẩu. Vui lòng gỡ mật khẩu rồi tải lên lại.",
                code="encrypted_office",
            )
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > ZIP_MAX_TOTAL_BYTES or (
            member.file_size > ZIP_RATIO_MIN_MEMBER_BYTES and ratio > ZIP_MAX_RATIO
        ):
            raise bomb
