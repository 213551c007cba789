from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def pdf(name: str = "to-trinh.pdf", pages: int = 1, text: str = "To trinh") -> SimpleUploadedFile:
    """A real PDF of ``pages`` A4 pages, each printing ``text`` and its page number."""
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for i in range(1, pages + 1):
        page.setFont("Helvetica", 28)
        page.drawString(72, 700, f"{text} - {i}")
        page.rect(60, 60, 470, 700, stroke=1, fill=0)
        page.showPage()
    page.save()
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")
