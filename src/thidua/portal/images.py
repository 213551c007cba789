"""Portal images: checked by core.uploads (content sniffed, metadata and GPS removed), then
stored in three sizes for responsive pages (srcset)."""

import io
from dataclasses import dataclass
from typing import IO, Final

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image

from thidua.core.uploads import UploadKind, check_upload, flatten_to_rgb, random_storage_name

FULL_SIZE: Final = 1600
MEDIUM_SIZE: Final = 960
MAX_BYTES: Final = 15 * 1024 * 1024
PREFIX: Final = "portal"


@dataclass(frozen=True)
class StoredImage:
    full: str
    medium: str
    thumb: str
    width: int
    height: int


def _resized(content: bytes, size: int) -> tuple[bytes, int, int]:
    with Image.open(io.BytesIO(content)) as opened:
        # a PNG logo's transparent areas on white, as its thumbnail shows them (convert("RGB")
        # alone made them black on the page)
        im = flatten_to_rgb(opened.copy())  # loaded: the file closes below
    if max(im.size) > size:
        im.thumbnail((size, size))
    im.info.clear()
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue(), im.width, im.height


def store_image(upload: UploadedFile | IO[bytes]) -> StoredImage:
    """Check, strip and store an image; raises ValidationError (Vietnamese) on a bad file."""
    checked = check_upload(upload, allowed={UploadKind.IMAGE}, max_bytes=MAX_BYTES)
    full, width, height = _resized(checked.content, FULL_SIZE)
    medium, _, _ = _resized(checked.content, MEDIUM_SIZE)
    base = random_storage_name(checked, PREFIX).rsplit(".", 1)[0]
    return StoredImage(
        full=default_storage.save(f"{base}.jpg", ContentFile(full)),
        medium=default_storage.save(f"{base}-960.jpg", ContentFile(medium)),
        thumb=default_storage.save(f"{base}-480.jpg", ContentFile(checked.thumbnail or medium)),
        width=width,
        height=height,
    )
