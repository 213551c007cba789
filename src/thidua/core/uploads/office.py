"""DOCX and XLSX: inspected as ZIP archives for macros, passwords, ZIP bombs and content
fetched from elsewhere on opening (docs/security.md R28); the kind comes from the archive's
parts."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Collection
from typing import Final
from xml.etree import ElementTree

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
RELS_MAX_BYTES: Final = MIB
# A Word file the server reads (a plan, a question bank): python-docx loads every XML part it
# is pointed to whole, whatever the part's name, about 14 times its size in memory (a 3.6 MB
# file with 83 MB of text took 1.1 GB and a minute). So the whole archive, unpacked, is
# bounded: a long plan's text is 1 to 2 MB and its pictures unpack to about their own size
# (the upload is at most 10 MB); 20 MB leaves room for a large question bank.
PARSED_WORD_MAX_UNPACKED_BYTES: Final = 20 * MIB
# The one kind of relationship that may point outside the file: a hyperlink, followed only
# when clicked. Any other external target (a template, a linked picture or OLE object, a
# frame, another workbook) is fetched by Word or Excel as the file opens.
_EXTERNAL_ALLOWED: Final = "/relationships/hyperlink"
_ACTIVE_FOLDERS: Final = ("activex/", "externallinks/")
# A target on the opening computer's own disk ("file:///C:/Mau/Cong-van.dotx", as Word keeps
# a template the document was made from, or a relative path): nothing leaves the machine.
# Another computer (a share, a web address, any other scheme) is refused.
_LOCAL_TARGET: Final = re.compile(
    r"(?:file:/{2,3})?[a-z]:[\\/]"  # a drive letter
    r"|(?![a-z][a-z0-9+.-]*:)(?![\\/]{2})",  # no scheme, no "\\host" or "//host"
    re.IGNORECASE,
)


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


def _check_office(
    data: bytes,
    display: str,
    allowed: Collection[UploadKind],
    max_word_unpacked_bytes: int | None = None,
) -> CheckedUpload:
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
            _check_links(archive, members, display, invalid)
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
    if kind is UploadKind.DOCX and max_word_unpacked_bytes is not None:
        _check_unpacked_size(members, display, max_word_unpacked_bytes)
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


def _reaches_out(display: str) -> ValidationError:
    return ValidationError(
        f"Tệp “{display}” tự tải nội dung từ máy khác khi mở (mẫu văn bản, ảnh hoặc đối tượng "
        "liên kết, liên kết tới tệp Excel khác) hoặc chứa điều khiển ActiveX nên không được "
        "phép. Vui lòng chèn trực tiếp nội dung vào tệp, bỏ các liên kết đó (trong Excel: Dữ "
        "liệu → Sửa liên kết → Ngắt liên kết) rồi tải lên lại.",
        code="active_office",
    )


def _check_links(
    archive: zipfile.ZipFile,
    members: list[zipfile.ZipInfo],
    display: str,
    invalid: ValidationError,
) -> None:
    """Refuse ActiveX controls, links to other workbooks and every external relationship but a
    hyperlink: Word fetches a remote template or OLE object on opening (an officer's Windows
    sign-in sent to an attacker's Windows share, the "Follina" remote template)."""
    for member in members:
        path = member.filename.replace("\\", "/").lower()
        if any(f"/{folder}" in f"/{path}" for folder in _ACTIVE_FOLDERS):
            raise _reaches_out(display)
        if not path.endswith(".rels"):
            continue
        if member.file_size > RELS_MAX_BYTES:
            raise invalid
        try:
            # expat fetches no external entity; the part is at most RELS_MAX_BYTES
            root = ElementTree.fromstring(archive.read(member))  # noqa: S314
        except ElementTree.ParseError as exc:
            raise invalid from exc
        for rel in root.iter():
            if (
                rel.get("TargetMode", "").strip().lower() == "external"
                and not rel.get("Type", "").strip().endswith(_EXTERNAL_ALLOWED)
                and not _LOCAL_TARGET.match(rel.get("Target", "").strip())
            ):
                raise _reaches_out(display)


def _check_unpacked_size(members: list[zipfile.ZipInfo], display: str, limit: int) -> None:
    """Refuse a Word file the server would read that unpacks to more than `limit`: all its
    members counted, as a part named anything (word/main.dat) or text spread over headers
    and footers is read all the same."""
    if sum(m.file_size for m in members) > limit:
        raise ValidationError(
            f"Tệp “{display}” có nội dung quá lớn để đọc (hơn {limit // MIB} MB sau khi giải "
            "nén). Vui lòng tách thành các tệp nhỏ hơn rồi tải lên lại.",
            code="word_too_large",
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
