"""Checking uploaded files: type by content, size limits, image re-encoding, random names.

Architecture §9 ("Uploads"): the type comes from the bytes (magic numbers and a real parse),
never from the file name or the browser's content type; images are decoded and re-encoded so
no metadata (EXIF, GPS location, XMP, comments) or trailing payload survives; Office files
are inspected as ZIP archives for macros and ZIP bombs. Storage names are random.

    checked = check_upload(request.FILES["photo"], allowed={UploadKind.IMAGE})
    storage.save(random_storage_name(checked, "evidence"), ContentFile(checked.content))
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import IO, Final
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from PIL import Image, ImageOps

KIB: Final = 1024
MIB: Final = 1024 * KIB
DEFAULT_MAX_BYTES: Final = 10 * MIB
MAX_NAME_LENGTH: Final = 200
_MAX_KEPT_EXTENSION: Final = 10  # a longer "extension" is just part of the name
MAX_IMAGE_PIXELS: Final = 40_000_000
THUMBNAIL_SIZE: Final = 480
JPEG_QUALITY: Final = 85
THUMBNAIL_QUALITY: Final = 80
# ZIP bomb guards for .docx/.xlsx. The ratio only matters for members big enough to hurt:
# a 20 KB run of repeated XML legitimately compresses better than 100:1.
ZIP_MAX_TOTAL_BYTES: Final = 100 * MIB
ZIP_MAX_RATIO: Final = 100
ZIP_RATIO_MIN_MEMBER_BYTES: Final = MIB
ZIP_MAX_MEMBERS: Final = 10_000
CONTENT_TYPES_MAX_BYTES: Final = MIB
_READ_CHUNK: Final = 64 * 1024


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


def check_upload(
    upload: UploadedFile | IO[bytes],
    *,
    allowed: Collection[UploadKind],
    max_bytes: int = DEFAULT_MAX_BYTES,
    name: str | None = None,
) -> CheckedUpload:
    """Return the checked upload or raise ValidationError with a Vietnamese message."""
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
    return _check_office(data, display, allowed)


def random_storage_name(checked: CheckedUpload, prefix: str) -> str:
    """A fresh, unguessable storage path such as "evidence/2025/03/<32 hex>.jpg"."""
    now = timezone.localtime(timezone.now())
    return f"{prefix.strip('/')}/{now:%Y}/{now:%m}/{uuid4().hex}{checked.extension}"


def save_checked(checked: CheckedUpload, prefix: str) -> tuple[str, str]:
    """Store a checked upload (and its thumbnail) under a random name: (file, thumbnail or "")."""
    name = default_storage.save(random_storage_name(checked, prefix), ContentFile(checked.content))
    thumb = ""
    if checked.thumbnail:
        thumb = default_storage.save(
            name.rsplit(".", 1)[0] + "-thumb.jpg", ContentFile(checked.thumbnail)
        )
    return name, thumb


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


# --- reading and sniffing -------------------------------------------------------------------


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


def _image_format(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


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


# --- images ---------------------------------------------------------------------------------


def _flatten_to_rgb(im: Image.Image) -> Image.Image:
    """RGB for JPEG output; transparent areas become white rather than black."""
    if im.mode == "RGB":
        return im
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in {"RGBA", "LA", "PA", "RGBa", "La"}:
        rgba = im.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return im.convert("RGB")


_PNG_MODES: Final = frozenset({"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"})


def _check_image(data: bytes, display: str) -> CheckedUpload:
    source_format = _image_format(data)
    if source_format is None:  # pragma: no cover - _sniff only returns IMAGE for these
        raise _invalid_image(display)
    try:
        # Pillow refuses > 2 × Image.MAX_IMAGE_PIXELS itself and warns above it; with
        # warnings as errors (tests) the warning arrives here as an exception too.
        with Image.open(io.BytesIO(data), formats=[source_format]) as opened:
            width, height = opened.size
            if width * height > MAX_IMAGE_PIXELS:
                raise _too_many_pixels(display, width, height)
            opened.load()
            upright = ImageOps.exif_transpose(opened)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(display, None, None) from exc
    except Exception as exc:  # any decoder failure means "not a usable image"
        raise _invalid_image(display) from exc

    try:
        return _reencode(upright, source_format, display)
    except ValidationError:
        raise
    except Exception as exc:  # an odd pixel mode Pillow cannot convert or encode
        raise _invalid_image(display) from exc


def _reencode(upright: Image.Image, source_format: str, display: str) -> CheckedUpload:
    """Fresh JPEG/PNG bytes carrying only pixels (and the colour profile), plus a thumbnail."""
    options: dict[str, object]
    if source_format == "PNG":
        clean = upright if upright.mode in _PNG_MODES else upright.convert("RGBA")
        keep = {k: upright.info[k] for k in ("transparency", "icc_profile") if k in upright.info}
        extension, content_type, save_format = ".png", "image/png", "PNG"
        options = {"optimize": True}
    else:
        clean = _flatten_to_rgb(upright)
        keep = {k: upright.info[k] for k in ("icc_profile",) if k in upright.info}
        extension, content_type, save_format = ".jpg", "image/jpeg", "JPEG"
        options = {"quality": JPEG_QUALITY, "optimize": True}
    if clean is upright:
        clean = upright.copy()
    # Only what we choose to keep travels on: no EXIF (GPS), XMP, comments or text chunks.
    clean.info.clear()
    clean.info.update(keep)
    content = _encode(clean, save_format, options)
    _verify_no_metadata(content, display)

    thumb = _flatten_to_rgb(clean.convert("RGBA") if clean.mode == "P" else clean).copy()
    thumb.info.clear()
    thumb.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    thumbnail = _encode(thumb, "JPEG", {"quality": THUMBNAIL_QUALITY, "optimize": True})
    return CheckedUpload(
        kind=UploadKind.IMAGE,
        content=content,
        extension=extension,
        content_type=content_type,
        original_name=display,
        size=len(content),
        width=clean.width,
        height=clean.height,
        thumbnail=thumbnail,
    )


def _too_many_pixels(display: str, width: int | None, height: int | None) -> ValidationError:
    limit = MAX_IMAGE_PIXELS // 1_000_000
    actual = f" ({width} × {height} điểm ảnh)" if width and height else ""
    return ValidationError(
        f"Ảnh “{display}” quá lớn{actual}; tối đa {limit} megapixel. "
        "Vui lòng giảm kích thước ảnh rồi tải lên lại.",
        code="image_too_large",
    )


def _encode(im: Image.Image, save_format: str, options: dict[str, object]) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, format=save_format, **options)
    return buffer.getvalue()


def _verify_no_metadata(content: bytes, display: str) -> None:
    with Image.open(io.BytesIO(content)) as check:
        exif = check.getexif()
        leaked = bool(exif) or bool(exif.get_ifd(0x8825)) or "xmp" in check.info
        leaked = leaked or any(
            key in check.info for key in ("exif", "comment", "XML:com.adobe.xmp")
        )
    if leaked:  # pragma: no cover - Pillow writes none of these without being asked
        raise ValidationError(
            f"Không thể xoá thông tin ẩn (vị trí GPS, EXIF) khỏi ảnh “{display}”. "
            "Vui lòng thử một ảnh khác.",
            code="metadata",
        )


# --- PDF ------------------------------------------------------------------------------------


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


# Served content types and their extensions: a download is named after what it really is.
EXTENSIONS: Final = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/pdf": ".pdf",
    _DOCX_TYPE: ".docx",
    _XLSX_TYPE: ".xlsx",
}


def download_name(name: str, content_type: str) -> str:
    """`name` with the extension of `content_type` ("bao-cao.html" as a PDF is
    "bao-cao.html.pdf"); unknown types keep the name and are served as octet-stream."""
    extension = EXTENSIONS.get(content_type)
    clean = sanitize_filename(name)
    if extension is None or clean.lower().endswith(extension):
        return clean
    if extension == ".jpg" and clean.lower().endswith(".jpeg"):
        return clean
    return clean + extension


# --- DOCX / XLSX ----------------------------------------------------------------------------


def _check_office(data: bytes, display: str, allowed: Collection[UploadKind]) -> CheckedUpload:
    invalid = ValidationError(
        f"Tệp “{display}” không phải là tệp Word (.docx) hoặc Excel (.xlsx) hợp lệ.",
        code="invalid_office",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_archive(members, display)
            names = {member.filename for member in members}
            if "[Content_Types].xml" not in names:
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
