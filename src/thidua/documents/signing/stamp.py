"""The visible stamp of a digital signature, laid out per Nghị định 30/2020/NĐ-CP, Phụ lục I,
mục II: the signer's box (who signed, for which body, when, in Asia/Ho_Chi_Minh) with the
issuing body's red seal over its left third; where it goes on the page; and the number and
signing time on an annex's first page."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from thidua.documents.official.layout import FONT_BOLD, FONT_ITALIC, FONT_REGULAR, register_fonts
from thidua.documents.official.model import SignatureBox

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SEAL_RED = colors.Color(0.86, 0.08, 0.10)
STAMP_WIDTH = 80 * mm
STAMP_HEIGHT = 30 * mm
SEAL_DIAMETER = 30 * mm
MIN_SEAL_TEXT = 4.0  # points
MIN_STAMP_TEXT = 5.0


@dataclass(frozen=True)
class StampInfo:
    """What the visible stamp says: the signer, the issuing body, the time; the body's seal
    (a PNG with a transparent background) or, without one, a drawn seal with its name."""

    signer_name: str
    organisation: str
    signed_at: datetime
    seal_png: bytes | None = None
    seal_top: str = ""  # upper arc of a drawn seal: "ỦY BAN NHÂN DÂN"
    seal_bottom: str = ""  # lower arc: "THÀNH PHỐ BẮC NINH"
    with_seal: bool = True  # False: a personal signature only (the secretary of minutes)


def vn_time(moment: datetime) -> str:
    """ "03/12/2026 09:30" in Asia/Ho_Chi_Minh."""
    return f"{moment.astimezone(VN_TZ):%d/%m/%Y %H:%M}"


def _arc_text(canvas: Canvas, text: str, radius: float, size: float, *, top: bool) -> None:
    """Capitals along a circle centred at the origin: over the top (left to right,
    reading clockwise) or under the bottom (left to right, reading anticlockwise)."""
    widths = [canvas.stringWidth(ch, FONT_BOLD, size) for ch in text]
    spacing = size * 0.12
    total = sum(widths) + spacing * (len(text) - 1)
    r = radius if top else radius + size * 0.75
    angle = total / r  # radians the text spans
    at = math.pi / 2 + angle / 2 if top else -math.pi / 2 - angle / 2
    for ch, w in zip(text, widths, strict=True):
        step = (w + spacing) / r
        mid = at - (w / 2) / r if top else at + (w / 2) / r
        canvas.saveState()
        canvas.translate(r * math.cos(mid), r * math.sin(mid))
        canvas.rotate(math.degrees(mid) - 90 if top else math.degrees(mid) + 90)
        canvas.drawCentredString(0, 0, ch)
        canvas.restoreState()
        at = at - step if top else at + step


def _fitted_size(canvas: Canvas, text: str, radius: float, start: float, span: float) -> float:
    size = start
    while (
        size > MIN_SEAL_TEXT and (canvas.stringWidth(text, FONT_BOLD, size) * 1.12) / radius > span
    ):
        size -= 0.25
    return size


def draw_seal(
    canvas: Canvas, cx: float, cy: float, diameter: float, *, top: str, bottom: str
) -> None:
    """A simple red round seal: two rings, the body's name around, a star in the middle. A
    stand-in, drawn only when no image of the real seal is stored for the issuer."""
    r = diameter / 2
    canvas.saveState()
    canvas.translate(cx, cy)
    canvas.setStrokeColor(SEAL_RED)
    canvas.setFillColor(SEAL_RED)
    canvas.setLineWidth(1.6)
    canvas.circle(0, 0, r, stroke=1, fill=0)
    canvas.setLineWidth(0.6)
    canvas.circle(0, 0, r * 0.66, stroke=1, fill=0)
    text_r = r * 0.76
    if top:
        size = _fitted_size(canvas, top, text_r, diameter / mm * 0.21, math.pi * 1.15)
        canvas.setFont(FONT_BOLD, size)
        _arc_text(canvas, top.upper(), text_r, size, top=True)
    if bottom:
        size = _fitted_size(canvas, bottom, text_r, diameter / mm * 0.19, math.pi * 0.75)
        canvas.setFont(FONT_BOLD, size)
        _arc_text(canvas, bottom.upper(), text_r * 0.93, size, top=False)
    star = r * 0.42  # five-pointed star
    path = canvas.beginPath()
    for i in range(10):
        rad = star if i % 2 == 0 else star * 0.4
        theta = math.pi / 2 + i * math.pi / 5
        point = (rad * math.cos(theta), rad * math.sin(theta))
        if i == 0:
            path.moveTo(*point)
        else:
            path.lineTo(*point)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def stamp_pdf(info: StampInfo, width: float = STAMP_WIDTH, height: float = STAMP_HEIGHT) -> bytes:
    """The stamp as a one-page PDF (its appearance in the signed document): the signer's box
    with name, body and time, and the seal over the box's left third (Decree 30, Phụ lục I)."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1)
    seal = min(SEAL_DIAMETER, height) if info.with_seal else 0
    box_x = seal * 0.55 + (0 if info.with_seal else 1)
    box_w = width - box_x - 1
    canvas.setStrokeColor(colors.Color(0.1, 0.25, 0.6))
    canvas.setLineWidth(0.8)
    canvas.roundRect(box_x, height * 0.12, box_w, height * 0.76, 4, stroke=1, fill=0)
    text_x = seal + (2 if info.with_seal else 4) * mm
    text_w = width - text_x - 3 * mm
    lines = [
        (FONT_ITALIC, "Ký bởi:"),
        (FONT_BOLD, info.signer_name),
        (FONT_ITALIC, "Cơ quan:"),
        (FONT_REGULAR, info.organisation),
        (FONT_REGULAR, f"Thời gian ký: {vn_time(info.signed_at)}"),
    ]
    size = 8.5
    while size > MIN_STAMP_TEXT and any(canvas.stringWidth(t, f, size) > text_w for f, t in lines):
        size -= 0.25
    canvas.setFillColor(colors.Color(0.1, 0.25, 0.6))
    leading = size * 1.22
    y = height / 2 + leading * 2 - size * 0.35
    for font, text in lines:
        canvas.setFont(font, size)
        canvas.drawString(text_x, y, text)
        y -= leading
    if not info.with_seal:
        pass
    elif info.seal_png:
        canvas.drawImage(
            ImageReader(io.BytesIO(info.seal_png)),
            0,
            (height - seal) / 2,
            seal,
            seal,
            mask="auto",
            preserveAspectRatio=True,
        )
    else:
        draw_seal(
            canvas, seal / 2, height / 2, seal - 2, top=info.seal_top, bottom=info.seal_bottom
        )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _stamp_style(stamp: bytes) -> Any:
    from pyhanko.pdf_utils import content
    from pyhanko.pdf_utils.layout import BoxConstraints, Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.stamp import StaticStampStyle

    class _PdfPageFromBytes(content.PdfContent):
        """ImportedPdfPage reads a file by name; this reads bytes."""

        def render(self) -> bytes:
            writer = self._ensure_writer
            xobj = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(stamp)), page_ix=0)
            name = "/ImportStamp"
            self.resources.xobject[name] = xobj
            x1, y1, x2, y2 = xobj.get_object()["/BBox"]
            self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
            return name.encode("ascii") + b" Do"

    return StaticStampStyle(
        background=_PdfPageFromBytes(),
        background_opacity=1.0,
        border_width=0,
        background_layout=SimpleBoxLayoutRule(
            x_align=_mid(), y_align=_mid(), margins=Margins(0, 0, 0, 0)
        ),
    )


def _mid() -> Any:
    from pyhanko.pdf_utils.layout import AxisAlignment

    return AxisAlignment.ALIGN_MID


def with_annex_note(data: bytes, page: int, reference: str, moment: datetime) -> bytes:
    """``data`` with "reference" and the ISO 8601 signing time (Vietnam's offset) at the top
    right of ``page``, Times (Liberation Serif) 10 pt, upright, black; drawn before signing so
    that the signature covers it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    target = writer.pages[page]
    width, height = float(target.mediabox.width), float(target.mediabox.height)
    register_fonts()
    overlay = io.BytesIO()
    canvas = Canvas(overlay, pagesize=(width, height), invariant=1)
    canvas.setFont(FONT_REGULAR, 10)
    right, top = width - 15 * mm, height - 10 * mm
    canvas.drawRightString(right, top, reference)
    stamp_time = moment.astimezone(VN_TZ).replace(microsecond=0).isoformat()
    canvas.drawRightString(right, top - 12, stamp_time)
    canvas.showPage()
    canvas.save()
    target.merge_page(PdfReader(io.BytesIO(overlay.getvalue())).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def default_box(data: bytes) -> SignatureBox:
    """Without a known signature blank: the bottom right of the last page, above the margin."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[-1]
    x2 = float(page.mediabox.right) - 15 * mm
    y1 = float(page.mediabox.bottom) + 20 * mm
    return SignatureBox(len(reader.pages) - 1, x2 - STAMP_WIDTH, y1, x2, y1 + STAMP_HEIGHT)


def _stamp_rect(box: SignatureBox) -> tuple[int, int, int, int]:
    """The stamp centred on the blank (it may reach over the title and the name, as a seal
    does on paper)."""
    cx, cy = (box.x1 + box.x2) / 2, (box.y1 + box.y2) / 2
    width = min(STAMP_WIDTH, max(box.x2 - box.x1, STAMP_WIDTH * 0.8))
    x1, y1 = round(cx - width / 2), round(cy - STAMP_HEIGHT / 2)
    return (x1, y1, x1 + round(width), y1 + round(STAMP_HEIGHT))
