from django.http import HttpResponse

from thidua.core.http import content_disposition
from thidua.documents.official import OfficialDocument, render_docx, render_pdf

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def pdf_response(content: bytes, name: str) -> HttpResponse:
    """A PDF shown in the browser (``name`` without the extension, Vietnamese letters kept:
    core.http.content_disposition)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"{name}.pdf", attachment=False)
    return response


def document_response(doc: OfficialDocument, name: str, kind: str) -> HttpResponse:
    """An official document as a PDF shown in the browser, or a DOCX to download."""
    if kind == "pdf":
        return pdf_response(render_pdf(doc), name)
    response = HttpResponse(render_docx(doc), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(f"{name}.docx")
    return response
