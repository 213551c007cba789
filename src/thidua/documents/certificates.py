"""Certificates (bằng khen, giấy khen, giấy chứng nhận) drawn straight onto a PDF canvas from a
data layout.

No HTML renderer: each field is one ``drawString`` at its position, the QR code is a handful of
rectangles, fonts are registered once. That keeps a 1,000-certificate bulk print to seconds
(``bench/certificates.py``). On pre-printed blanks (phôi) the fields marked ``preprinted`` and
the border are skipped and the printer's measured offsets shift everything else.

A layout has ``page_width_mm``, ``page_height_mm``, ``border`` and ``fields``: a list of
{"field", "x", "y" (mm from the bottom-left), "size", "font" ("regular"/"bold"/"italic"/
"bolditalic"), "align" ("left"/"centre"/"right"), "width" (mm, wraps when set), "colour"
("#rrggbb"), "preprinted" (skipped on a pre-printed blank)}. "field" names a value of the page,
or is "text:<fixed text>"; "qr" draws the value as a QR code.
"""

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Protocol

import qrcode
from django.utils.html import escape
from qrcode.constants import ERROR_CORRECT_M
from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from thidua.documents.official.layout import (
    FONT_BOLD,
    FONT_BOLD_ITALIC,
    FONT_ITALIC,
    FONT_REGULAR,
    register_fonts,
)

# Compressed streams stay binary: ASCII85 text encoding would cost a third of the render time.
rl_config.useA85 = 0

FONTS = {
    "regular": FONT_REGULAR,
    "bold": FONT_BOLD,
    "italic": FONT_ITALIC,
    "bolditalic": FONT_BOLD_ITALIC,
}
ALIGNS = ("left", "centre", "right")


class Layout(Protocol):
    page_width_mm: int
    page_height_mm: int
    border: bool
    fields: Any


@dataclass
class PlainLayout:
    """A layout that is not stored (defaults, previews, other apps' certificates)."""

    fields: list[dict[str, Any]] = field(default_factory=list)
    page_width_mm: int = 297
    page_height_mm: int = 210
    border: bool = True


@dataclass(frozen=True)
class Offset:
    x_mm: float = 0.0
    y_mm: float = 0.0

    @classmethod
    def of(cls, x: Decimal | float, y: Decimal | float) -> "Offset":
        return cls(float(x), float(y))


class QrCache:
    """The QR version fits the URL length, which is the same for every token of a batch:
    fixing the version and mask skips qrcode's trial of eight masks (≈6× faster)."""

    def __init__(self) -> None:
        self.version: dict[int, int] = {}

    def matrix(self, data: str) -> list[list[bool]]:
        version = self.version.get(len(data))
        if version is None:
            probe = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
            probe.add_data(data)
            probe.make(fit=True)
            version = self.version[len(data)] = probe.version
        code = qrcode.QRCode(
            version=version, error_correction=ERROR_CORRECT_M, border=0, mask_pattern=2
        )
        code.add_data(data)
        code.make(fit=False)
        return [list(row) for row in code.get_matrix()]


def _draw_qr(canvas: Canvas, matrix: list[list[bool]], x: float, y: float, size: float) -> None:
    """One rectangle per horizontal run of dark modules, written in module units under a
    scaling transform: integer operands, so no float formatting per rectangle."""
    cell = size / len(matrix)
    runs = []
    for r, row in enumerate(matrix):
        c, width = 0, len(row)
        while c < width:
            if row[c]:
                start = c
                while c < width and row[c]:
                    c += 1
                runs.append(f"{start} {r} {c - start} 1 re")
            c += 1
    canvas.saveState()
    canvas.setFillColor(HexColor("#000000"))
    canvas.transform(cell, 0, 0, -cell, x, y + size)  # origin at the top-left, rows go down
    canvas.addLiteral(" ".join(runs) + " f")
    canvas.restoreState()


def _draw_border(canvas: Canvas, width: float, height: float) -> None:
    canvas.setStrokeColor(HexColor("#b3141c"))
    canvas.setLineWidth(3)
    canvas.rect(8 * mm, 8 * mm, width - 16 * mm, height - 16 * mm)
    canvas.setStrokeColor(HexColor("#c9a227"))
    canvas.setLineWidth(1.2)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)


def _draw_text(canvas: Canvas, spec: Mapping[str, Any], text: str, dx: float, dy: float) -> None:
    font = FONTS.get(spec.get("font", "regular"), FONT_REGULAR)
    size = float(spec.get("size", 12))
    x, y = (float(spec["x"]) + dx) * mm, (float(spec["y"]) + dy) * mm
    canvas.setFont(font, size)
    canvas.setFillColor(HexColor(spec.get("colour") or "#000000"))
    width = spec.get("width")
    lines = simpleSplit(text, font, size, float(width) * mm) if width else [text]
    draw = {
        "left": canvas.drawString,
        "right": canvas.drawRightString,
        "centre": canvas.drawCentredString,
    }[spec.get("align", "left")]
    for i, line in enumerate(lines):
        draw(x, y - i * size * 1.25, line)


def _draw_page(
    canvas: Canvas,
    layout: Layout,
    values: Mapping[str, str],
    qr: QrCache,
    *,
    on_blank: bool,
    offset: Offset,
) -> None:
    width, height = layout.page_width_mm * mm, layout.page_height_mm * mm
    if layout.border and not on_blank:
        _draw_border(canvas, width, height)
    dx, dy = (offset.x_mm, offset.y_mm) if on_blank else (0.0, 0.0)
    for spec in layout.fields:
        if on_blank and spec.get("preprinted"):
            continue
        name = str(spec["field"])
        if name == "qr":
            size = float(spec.get("size", 25)) * mm
            x, y = (float(spec["x"]) + dx) * mm, (float(spec["y"]) + dy) * mm
            _draw_qr(canvas, qr.matrix(values["qr"]), x, y, size)
            continue
        text = name[5:] if name.startswith("text:") else values.get(name, "")
        if text:
            _draw_text(canvas, spec, text, dx, dy)
    canvas.showPage()


def render_certificates(
    layout: Layout,
    pages: Iterable[Mapping[str, str]],
    *,
    on_blank: bool = False,
    offset: Offset = Offset(),
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """One PDF with a page per certificate; ``progress(n)`` is called every 50 pages."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(layout.page_width_mm * mm, layout.page_height_mm * mm),
        invariant=1,
        pageCompression=1,
    )
    canvas.setTitle("Bằng khen, giấy khen")
    canvas.setCreator("thidua")
    qr = QrCache()
    for count, values in enumerate(pages, start=1):
        _draw_page(canvas, layout, values, qr, on_blank=on_blank, offset=offset)
        if progress is not None and count % 50 == 0:
            progress(count)
    canvas.save()
    return buffer.getvalue()


PART_PAGES = 250  # pages per part of a bulk print: reportlab holds a canvas's pages until saved


def render_certificates_to_file(
    layout: Layout,
    pages: Iterable[Mapping[str, str]],
    out: IO[bytes],
    *,
    on_blank: bool = False,
    offset: Offset = Offset(),
    progress: Callable[[int], None] | None = None,
    part_pages: int = PART_PAGES,
) -> int:
    """A bulk print in bounded memory: parts of ``part_pages`` pages are rendered to temporary
    files, then joined by streaming into ``out`` (``documents.pdfjoin``). ``pages`` may be a
    generator; it is read one part at a time. Returns the page count."""
    import tempfile
    from itertools import islice

    from thidua.documents.pdfjoin import PdfJoiner

    joiner = PdfJoiner(out)
    done = 0
    source = iter(pages)
    with tempfile.TemporaryDirectory(prefix="thidua-print-") as tmp:
        part = Path(tmp) / "part.pdf"
        while chunk := list(islice(source, part_pages)):
            start = done

            def step(n: int, start: int = start) -> None:
                if progress is not None:
                    progress(start + n)

            part.write_bytes(
                render_certificates(layout, chunk, on_blank=on_blank, offset=offset, progress=step)
            )
            done += joiner.add(part)
    joiner.finish({"Title": "Bằng khen, giấy khen", "Creator": "thidua"})
    return done


def calibration_pdf(layout: Layout, offset: Offset, labels: Mapping[str, str]) -> bytes:
    """A page to print on a blank: crosses where each field starts and a millimetre ruler, so
    the clerk measures how far the printer shifts and enters it as the printer's offset."""
    register_fonts()
    buffer = io.BytesIO()
    width, height = layout.page_width_mm * mm, layout.page_height_mm * mm
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1)
    canvas.setTitle("Trang căn chỉnh máy in")
    canvas.setFont(FONT_BOLD, 14)
    canvas.drawCentredString(width / 2, height - 20 * mm, "TRANG CĂN CHỈNH MÁY IN")
    canvas.setFont(FONT_REGULAR, 11)
    canvas.drawCentredString(
        width / 2,
        height - 27 * mm,
        f"Độ lệch đang dùng: ngang {offset.x_mm:+.1f} mm, dọc {offset.y_mm:+.1f} mm. "
        "Đo khoảng cách từ dấu + in ra tới vị trí đúng trên phôi rồi nhập vào độ lệch.",
    )
    canvas.setLineWidth(0.4)
    for spec in layout.fields:
        if spec.get("preprinted"):
            continue
        x = (float(spec["x"]) + offset.x_mm) * mm
        y = (float(spec["y"]) + offset.y_mm) * mm
        canvas.line(x - 4 * mm, y, x + 4 * mm, y)
        canvas.line(x, y - 4 * mm, x, y + 4 * mm)
        canvas.setFont(FONT_ITALIC, 8)
        canvas.drawString(x + 1.5 * mm, y + 1.5 * mm, labels.get(spec["field"], spec["field"]))
    for i in range(0, int(layout.page_width_mm) + 1, 10):  # ruler along the bottom edge
        x = (i + offset.x_mm) * mm
        canvas.line(x, (5 + offset.y_mm) * mm, x, (10 if i % 50 else 13) * mm + offset.y_mm * mm)
        if i % 50 == 0:
            canvas.setFont(FONT_REGULAR, 7)
            canvas.drawString(x + 0.8 * mm, (11 + offset.y_mm) * mm, str(i))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def svg_preview(
    layout_fields: Sequence[Mapping[str, Any]],
    width: float,
    height: float,
    sample: Mapping[str, str],
) -> str:
    """A scaled SVG of the layout filled with sample data, for the editor's live preview.
    Attributes only (no inline styles), so it passes the page's Content-Security-Policy."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'class="certificate-preview" role="img" aria-label="Xem trước mẫu in">',
        f'<rect x="0" y="0" width="{width:g}" height="{height:g}" fill="#fffdf5" '
        'stroke="#999" stroke-width="0.3"/>',
    ]
    anchors = {"left": "start", "centre": "middle", "right": "end"}
    weights = {"bold": ("bold", "normal"), "bolditalic": ("bold", "italic")}
    weights |= {"italic": ("normal", "italic")}
    for spec in layout_fields:
        name = str(spec.get("field", ""))
        try:
            x, y, size = float(spec["x"]), float(spec["y"]), float(spec.get("size", 12))
        except (KeyError, TypeError, ValueError):
            continue
        if name == "qr":
            parts.append(
                f'<rect x="{x:g}" y="{height - y - size:g}" width="{size:g}" height="{size:g}" '
                'fill="#222"/>'
            )
            continue
        text = name[5:] if name.startswith("text:") else sample.get(name, name)
        weight, style = weights.get(spec.get("font", "regular"), ("normal", "normal"))
        colour = escape(spec.get("colour") or "#000")
        parts.append(
            f'<text x="{x:g}" y="{height - y:g}" font-size="{size * 0.3528:.2f}" '
            f'font-family="Liberation Serif, Times New Roman, serif" font-weight="{weight}" '
            f'font-style="{style}" fill="{colour}" '
            f'text-anchor="{anchors.get(spec.get("align", "left"), "start")}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def layout_problems(
    fields: Sequence[Mapping[str, Any]], width: float, height: float, known: Iterable[str]
) -> list[str]:
    """Vietnamese messages for an admin's layout: nothing off the page, known fields only."""
    problems = []
    known = set(known)
    for i, f in enumerate(fields, start=1):
        name = str(f.get("field", ""))
        if not name.startswith("text:") and name not in known:
            problems.append(f"Dòng {i}: trường “{name}” không có trong danh mục.")
            continue
        try:
            x, y, size = float(f["x"]), float(f["y"]), float(f.get("size", 12))
        except (KeyError, TypeError, ValueError):
            problems.append(f"Dòng {i}: tọa độ và cỡ chữ phải là số.")
            continue
        if not (0 <= x <= width and 0 <= y <= height):
            problems.append(f"Dòng {i}: vị trí ({x:g}; {y:g}) mm nằm ngoài trang.")
        if not 4 <= size <= 120:  # noqa: PLR2004
            problems.append(f"Dòng {i}: cỡ chữ {size:g} không hợp lệ (4–120).")
        if f.get("font", "regular") not in FONTS or f.get("align", "left") not in ALIGNS:
            problems.append(f"Dòng {i}: kiểu chữ hoặc căn lề không hợp lệ.")
    return problems
