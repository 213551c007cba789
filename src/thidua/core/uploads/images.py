"""Images: decoded and re-encoded (JPEG or PNG) so no metadata (EXIF, GPS location, XMP,
comments) or trailing payload survives, with a thumbnail; pixel limits."""

from __future__ import annotations

import io
from typing import Final

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps

from thidua.core.uploads.common import CheckedUpload, UploadKind, _image_format, _invalid_image

# Pixels decoded at most. A JPEG above it is read at half size (a quarter of the pixels, so up
# to 160 megapixels; Pillow itself refuses about 179 and warns, which tests make an error, above
# 89); any other image above it is refused.
MAX_IMAGE_PIXELS: Final = 40_000_000
THUMBNAIL_SIZE: Final = 480
JPEG_QUALITY: Final = 85
THUMBNAIL_QUALITY: Final = 80


def flatten_to_rgb(im: Image.Image) -> Image.Image:
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
            if width * height > MAX_IMAGE_PIXELS and source_format == "JPEG":
                # A phone's 48 or 50 megapixel photo: the decoder reads it at half size
                # (JPEG's own scaling, so the full canvas is never in memory), as a photo
                # that size is to be shown anyway.
                opened.draft(opened.mode, (width // 2, height // 2))
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
        clean = flatten_to_rgb(upright)
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

    thumb = flatten_to_rgb(clean.convert("RGBA") if clean.mode == "P" else clean).copy()
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
