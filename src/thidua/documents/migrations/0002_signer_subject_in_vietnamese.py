"""The signer's certificate subject of the signed PDFs already checked, in Vietnamese: read
again from the certificate in each stored PDF (signing.subject), never by rewording the English
text kept before. A file that cannot be read leaves the subject empty (the signer's name and
body are kept apart and still shown)."""

import io

from django.core.files.storage import default_storage
from django.db import migrations


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
        except Exception:  # a missing or unreadable file
            text, attributes = "", []
        row.signer_subject = text[:500]
        signatures = (row.details or {}).get("signatures") or []
        if signatures and attributes:
            signatures[-1]["signer_subject"] = text
            signatures[-1]["subject"] = attributes
        row.save(update_fields=["signer_subject", "details"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_signing_keys_seals_signed_pdfs")]

    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
