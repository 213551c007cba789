from django.http import HttpResponse
from django.utils.http import content_disposition_header

from thidua.documents.official import OfficialDocument, render_docx, render_pdf

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def pdf_response(content: bytes, name: str) -> HttpResponse:
    """A PDF shown in the browser (``name`` without the extension). A name with Vietnamese
    letters ("01/QĐ-UBND") is sent as RFC 6266's filename*, which browsers read; written into
    the plain header, Django MIME-encoded the whole header and the file was saved under the
    URL's last segment."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{name}.pdf")
    return response


def document_response(doc: OfficialDocument, name: str, kind: str) -> HttpResponse:
    """An official document as a PDF shown in the browser, or a DOCX to download."""
    if kind == "pdf":
        return pdf_response(render_pdf(doc), name)
    response = HttpResponse(render_docx(doc), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.docx")
    return response
