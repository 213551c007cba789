"""Official administrative documents laid out per Nghị định 30/2020/NĐ-CP.

Pure Python (no Django): build an :class:`OfficialDocument` and render it to PDF
(ReportLab, embedded Liberation Serif, metric-compatible with Times New Roman) or
to DOCX (python-docx, Times New Roman).

By concern: ``layout`` (page geometry, fonts), ``model`` (the document and the text of its
fixed lines), ``captions`` (balanced line breaks of issuer names), ``pdf`` and ``docx``
(the two renderers). This package re-exports their public names.
"""

from thidua.documents.official.docx import render_docx
from thidua.documents.official.layout import (
    FONT_BOLD,
    FONT_BOLD_ITALIC,
    FONT_ITALIC,
    FONT_REGULAR,
    FONTS_DIR,
    NATIONAL_MOTTO,
    NATIONAL_TITLE,
    register_fonts,
)
from thidua.documents.official.model import (
    Block,
    Bullet,
    Centred,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    SignatureBox,
    format_number_line,
    format_place_date,
)
from thidua.documents.official.pdf import render_pdf, render_pdf_with_signature_box

__all__ = [
    "FONTS_DIR",
    "FONT_BOLD",
    "FONT_BOLD_ITALIC",
    "FONT_ITALIC",
    "FONT_REGULAR",
    "NATIONAL_MOTTO",
    "NATIONAL_TITLE",
    "Block",
    "Bullet",
    "Centred",
    "Heading",
    "OfficialDocument",
    "Paragraph",
    "Signature",
    "SignatureBox",
    "format_number_line",
    "format_place_date",
    "register_fonts",
    "render_docx",
    "render_pdf",
    "render_pdf_with_signature_box",
]
