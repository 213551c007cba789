"""Bulk prints in parts joined by streaming: one valid PDF, every page in order, readable by
pypdf and drawn by pdfium."""

import io

import pypdfium2 as pdfium
from pypdf import PdfReader

from thidua.documents.certificates import PlainLayout, render_certificates_to_file

LAYOUT = PlainLayout(
    fields=[
        {"field": "recipient", "x": 148, "y": 120, "size": 24, "font": "bold", "align": "centre"},
        {"field": "registry", "x": 20, "y": 30, "size": 10},
        {"field": "qr", "x": 20, "y": 40, "size": 25},
    ]
)


def _pages(n: int):
    for i in range(n):
        yield {
            "recipient": f"Bà Nguyễn Thị Hằng {i:03d}",
            "registry": f"Số vào sổ: {i + 1:04d}/2026",
            "qr": f"https://thidua.example/xac-minh/{i:032d}/",
        }


def test_parts_join_into_one_pdf_with_every_page_in_order() -> None:
    out = io.BytesIO()
    seen: list[int] = []
    count = render_certificates_to_file(
        LAYOUT, _pages(23), out, part_pages=10, progress=seen.append
    )
    assert count == 23
    reader = PdfReader(io.BytesIO(out.getvalue()), strict=True)
    assert len(reader.pages) == 23
    for i in (0, 9, 10, 19, 20, 22):  # both sides of each part boundary
        assert f"Nguyễn Thị Hằng {i:03d}" in reader.pages[i].extract_text()
        assert f"{i + 1:04d}/2026" in reader.pages[i].extract_text()
    assert reader.metadata is not None
    assert reader.metadata.title == "Bằng khen, giấy khen"
    document = pdfium.PdfDocument(out.getvalue())
    assert len(document) == 23
    image = document[22].render(scale=0.3).to_pil().convert("L")
    assert image.getextrema()[0] < 100  # something dark is drawn: text and the QR code
    document.close()


def test_each_part_embeds_its_fonts_once() -> None:
    """Objects shared by the pages of a part (fonts) are copied once per part, not per page."""
    one_part, three_parts = io.BytesIO(), io.BytesIO()
    render_certificates_to_file(LAYOUT, _pages(30), one_part, part_pages=30)
    render_certificates_to_file(LAYOUT, _pages(30), three_parts, part_pages=10)
    assert len(three_parts.getvalue()) < 2.5 * len(one_part.getvalue())
    assert (
        one_part.getvalue().count(b"/FontFile2") == three_parts.getvalue().count(b"/FontFile2") / 3
    )
