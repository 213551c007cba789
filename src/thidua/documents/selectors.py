"""Reads of signed PDFs."""

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import models

from thidua.documents.models import SignedPdf


def signed_pdf_for(target: models.Model, *, source: str | None = None) -> SignedPdf | None:
    """The latest signed PDF of ``target`` (of one source if given)."""
    qs = SignedPdf.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    )
    if source:
        qs = qs.filter(source=source)
    return qs.order_by("-checked_at", "-pk").first()


def signed_pdf_bytes(row: SignedPdf) -> bytes:
    with default_storage.open(row.file.name, "rb") as f:
        return bytes(f.read())
