"""Previews of uploaded PDFs as page images, drawn on the server.

A PDF opened by the browser runs its own viewer (and whatever JavaScript the file carries), is
refused inside our frames (``frame-ancestors 'none'``) and is simply downloaded by most phone
browsers. A page drawn here with PDFium is a plain JPEG: it shows the same on every device and
carries nothing active. Only the original file is downloaded, always as an attachment.
"""

import io
import threading

MAX_SIDE_PX = 1400  # the longest side of a page image: A4 at ~120 dpi
JPEG_QUALITY = 80
_lock = threading.Lock()  # PDFium is not thread-safe


class PreviewError(Exception):
    """The page could not be drawn (damaged file, or no such page)."""


def pdf_page_jpeg(data: bytes, page_number: int) -> bytes:
    """Page ``page_number`` (1-based) of the PDF as a JPEG, longest side ``MAX_SIDE_PX``."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]  # ships no type hints

    with _lock:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise PreviewError(str(exc)) from exc
        try:
            if not 1 <= page_number <= len(pdf):
                raise PreviewError(f"no page {page_number}")
            page = pdf[page_number - 1]
            try:
                width, height = page.get_size()
                scale = MAX_SIDE_PX / max(width, height, 1)
                bitmap = page.render(scale=scale)
                image = bitmap.to_pil().convert("RGB")
            finally:
                page.close()
        finally:
            pdf.close()
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()
