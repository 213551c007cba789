"""The signer's certificate subject of the signed PDFs already checked, in Vietnamese: read
again from the certificate in each stored PDF (signing.subject), never by rewording the English
text kept before. A file that cannot be read (missing, storage away) keeps the text it had:
nothing stored is erased, and the page still shows the signer's name and body."""

import io
import logging

from django.core.files.storage import default_storage
from django.db import migrations

logger = logging.getLogger(__name__)


def _subject_of(data: bytes) -> tuple[str, list[list[str]]]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    from thidua.documents.signing.subject import subject_attributes, subject_text

    signatures = list(PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures)
    if not signatures:
        return "", []
    attributes = subject_attributes(signatures[-1].signer_cert.subject)
    return subject_text(attributes), [list(pair) for pair in attributes]


def reword(apps, schema_editor):
    SignedPdf = apps.get_model("documents", "SignedPdf")
    for row in SignedPdf.objects.exclude(signer_subject="").iterator():
        try:
            with default_storage.open(row.file.name, "rb") as f:
                text, attributes = _subject_of(f.read())
        except Exception:  # a missing or unreadable file, storage away
            # Keep what was stored: never erase a signer's details on a read error.
            logger.warning("signed PDF %s: subject left as stored", row.pk, exc_info=True)
            continue
        if not text:
            continue
        row.signer_subject = text[:500]
        signatures = (row.details or {}).get("signatures") or []
        if signatures and attributes:
            signatures[-1]["signer_subject"] = text
            signatures[-1]["subject"] = attributes
        row.save(update_fields=["signer_subject", "details"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_signing_keys_seals_signed_pdfs")]

    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
