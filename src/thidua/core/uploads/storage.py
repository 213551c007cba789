"""Storing a checked upload under a random name, and naming a download after what it is."""

from __future__ import annotations

from typing import Final
from uuid import uuid4

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from thidua.core.uploads.common import _DOCX_TYPE, _XLSX_TYPE, CheckedUpload, sanitize_filename


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
