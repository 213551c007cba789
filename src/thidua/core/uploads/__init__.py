"""Checking uploaded files: type by content, size limits, image re-encoding, random names.

Architecture §9 ("Uploads"): the type comes from the bytes (magic numbers and a real parse),
never from the file name or the browser's content type; images are decoded and re-encoded so
no metadata (EXIF, GPS location, XMP, comments) or trailing payload survives; Office files
are inspected as ZIP archives for macros and ZIP bombs. Storage names are random.

    checked = check_upload(request.FILES["photo"], allowed={UploadKind.IMAGE})
    storage.save(random_storage_name(checked, "evidence"), ContentFile(checked.content))

By concern: checking (check_upload: reading, sniffing), images, pdf, office (DOCX, XLSX),
storage (random names, download names); common.py: kinds, limits, refusals."""

from thidua.core.uploads.checking import check_upload
from thidua.core.uploads.common import (
    DEFAULT_MAX_BYTES,
    KIB,
    MAX_NAME_LENGTH,
    MIB,
    CheckedUpload,
    UploadKind,
    sanitize_filename,
)
from thidua.core.uploads.images import (
    JPEG_QUALITY,
    MAX_IMAGE_PIXELS,
    THUMBNAIL_QUALITY,
    THUMBNAIL_SIZE,
    flatten_to_rgb,  # portal's sizes
)
from thidua.core.uploads.office import (
    CONTENT_TYPES_MAX_BYTES,
    PARSED_WORD_MAX_UNPACKED_BYTES,
    ZIP_MAX_MEMBERS,
    ZIP_MAX_RATIO,
    ZIP_MAX_TOTAL_BYTES,
    ZIP_RATIO_MIN_MEMBER_BYTES,
)
from thidua.core.uploads.storage import EXTENSIONS, download_name, random_storage_name, save_checked

__all__ = [
    "CONTENT_TYPES_MAX_BYTES",
    "DEFAULT_MAX_BYTES",
    "EXTENSIONS",
    "JPEG_QUALITY",
    "KIB",
    "MAX_IMAGE_PIXELS",
    "MAX_NAME_LENGTH",
    "MIB",
    "PARSED_WORD_MAX_UNPACKED_BYTES",
    "THUMBNAIL_QUALITY",
    "THUMBNAIL_SIZE",
    "ZIP_MAX_MEMBERS",
    "ZIP_MAX_RATIO",
    "ZIP_MAX_TOTAL_BYTES",
    "ZIP_RATIO_MIN_MEMBER_BYTES",
    "CheckedUpload",
    "UploadKind",
    "check_upload",
    "download_name",
    "flatten_to_rgb",
    "random_storage_name",
    "sanitize_filename",
    "save_checked",
]
