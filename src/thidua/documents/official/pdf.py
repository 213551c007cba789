"""An official document to PDF (ReportLab platypus, Liberation Serif embedded): header,
title, legal bases, body blocks, "Nơi nhận" and signature blocks, annex; and where the
signer's blank landed, for a digital signature's stamp."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as RLParagraph

from thidua.documents.official.captions import _balanced_lines
from thidua.documents.official.layout import (
    _RULE_GAP,
    BODY_SIZE,
    CLOSING_LEFT_SHARE,
    FIRST_LINE_INDENT_CM,
    FONT_BOLD,
    FONT_BOLD_ITALIC,
    FONT_ITALIC,
    FONT_REGULAR,
    HEADER_LEFT_SHARE,
    LINE_SPACING,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    NATIONAL_MOTTO,
    NATIONAL_TITLE,
    PAGE_HEIGHT_MM,
    SIGNATURE_SPACE_MM,
    TEXT_WIDTH_MM,
    register_fonts,
)
from thidua.documents.official.model import (
    Block,
    Centred,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    SignatureBox,
    _block_text,
    _recipient_lines,
    _upper,
    format_number_line,
    format_place_date,
)

_Align = Literal[0, 1, 2, 4]


def _style(
    name: str,
    font: str,
    size: float,
    *,
    align: _Align = TA_CENTER,
    leading: float | None = None,
    indent: float = 0,
    after: float = 0,
    before: float = 0,
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=font,
        fontSize=size,
        leading=leading if leading is not None else size * 1.15,
        alignment=align,
        firstLineIndent=indent,
        spaceAfter=after,
        spaceBefore=before,
        textColor=colors.black,
    )


class _Rule(Flowable):
    """A horizontal line of a given length, centred in the available width."""

    def __init__(self, length: float, *, space_before: float = 0, space_after: float = 0) -> None:
        super().__init__()
        self.length = length
        self.space_before = space_before
        self.space_after = space_after
        self._avail = length

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._avail = avail_width
        return avail_width, self.space_before + self.space_after + 0.5

    def draw(self) -> None:
        canvas: Canvas = self.canv
        x0 = (self._avail - self.length) / 2
        y = self.space_after + 0.25
        canvas.saveState()
        canvas.setLineWidth(0.6)
        canvas.line(x0, y, x0 + self.length, y)
        canvas.restoreState()


def _p(text: str, style: ParagraphStyle) -> RLParagraph:
    return RLParagraph(escape(text), style)


def _caption(text: str, style: ParagraphStyle, width: float, *, upper: bool = False) -> RLParagraph:
    """A centred caption paragraph with balanced line breaks."""
    lines = _balanced_lines(text, style.fontName, style.fontSize, width, upper=upper)
    return RLParagraph("<br/>".join(escape(line) for line in lines), style)


_NO_PADDING: list[tuple[Any, ...]] = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR),  # else cells select Helvetica
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
]


def _pdf_header(doc: OfficialDocument, width: float) -> Table:
    left_w = width * HEADER_LEFT_SHARE
    right_w = width - left_w
    gutter = 2 * mm  # breathing room between the columns

    issuer_parent = _style("issuer_parent", FONT_REGULAR, 13)
    issuer = _style("issuer", FONT_BOLD, 13)
    number = _style("number", FONT_REGULAR, 13)
    national = _style("national", FONT_BOLD, 12)
    motto = _style("motto", FONT_BOLD, 13)
    place_date = _style("place_date", FONT_ITALIC, 13)

    left_inner = left_w - gutter
    left: list[Flowable] = []
    if doc.issuer_parent:
        left.append(_caption(doc.issuer_parent, issuer_parent, left_inner, upper=True))
    left.append(_caption(doc.issuer, issuer, left_inner, upper=True))
    left.append(_Rule(left_inner / 3, space_before=_RULE_GAP))

    motto_width = pdfmetrics.stringWidth(NATIONAL_MOTTO, FONT_BOLD, 13)
    right: list[Flowable] = [
        _p(NATIONAL_TITLE, national),
        _p(NATIONAL_MOTTO, motto),
        _Rule(motto_width, space_before=_RULE_GAP),
    ]

    number_cell: list[Flowable] = [_p(format_number_line(doc.number, doc.symbol), number)]
    if not doc.doc_type:  # công văn: the subject "V/v …" sits under the number (Decree 30)
        number_cell.append(
            _caption(doc.summary, _style("subject", FONT_REGULAR, 12, leading=15), left_inner)
        )
    table = Table(
        [
            [left, right],
            [number_cell, _p(format_place_date(doc.place, doc.date), place_date)],
        ],
        colWidths=[left_w, right_w],
        hAlign="CENTER",
    )
    table.setStyle(
        TableStyle(
            [
                *_NO_PADDING,
                ("RIGHTPADDING", (0, 0), (0, -1), gutter),
                ("TOPPADDING", (0, 1), (-1, 1), 8),
            ]
        )
    )
    return table


def _body_styles() -> tuple[ParagraphStyle, ParagraphStyle, dict[int, ParagraphStyle]]:
    leading = BODY_SIZE * LINE_SPACING
    indent = FIRST_LINE_INDENT_CM * cm
    regular = _style(
        "body", FONT_REGULAR, BODY_SIZE, align=TA_JUSTIFY, leading=leading, indent=indent, after=6
    )
    italic = _style(
        "body_i", FONT_ITALIC, BODY_SIZE, align=TA_JUSTIFY, leading=leading, indent=indent, after=6
    )
    headings = {
        1: _style(
            "h1", FONT_BOLD, BODY_SIZE, align=TA_JUSTIFY, leading=leading, indent=indent, after=6
        ),
        2: _style(
            "h2", FONT_BOLD, BODY_SIZE, align=TA_JUSTIFY, leading=leading, indent=indent, after=6
        ),
        3: _style(
            "h3", FONT_ITALIC, BODY_SIZE, align=TA_JUSTIFY, leading=leading, indent=indent, after=6
        ),
    }
    return regular, italic, headings


def _pdf_annex(doc: OfficialDocument, width: float) -> list[Flowable]:
    return _pdf_blocks(doc.annex, *_body_styles())


def _pdf_body_flowables(doc: OfficialDocument, width: float) -> list[Flowable]:
    leading = BODY_SIZE * LINE_SPACING
    indent = FIRST_LINE_INDENT_CM * cm
    regular, italic, headings = _body_styles()
    legal = _style(
        "legal", FONT_ITALIC, BODY_SIZE, align=TA_JUSTIFY, leading=leading, indent=indent, after=3
    )

    story: list[Flowable] = [Spacer(width, 14)]
    if doc.doc_type:
        story += [
            _p(_upper(doc.doc_type), _style("doc_type", FONT_BOLD, 14, leading=17)),
            _caption(doc.summary, _style("summary", FONT_BOLD, 14, leading=17), width),
            _Rule(min(width / 4, 45 * mm), space_before=_RULE_GAP + 1, space_after=12),
        ]
    if doc.enacting_authority:
        story.append(
            _p(doc.enacting_authority, _style("authority", FONT_BOLD, 14, leading=17, after=8))
        )
    story.extend(_p(basis, legal) for basis in doc.legal_bases)
    if doc.legal_bases:
        story.append(Spacer(width, 3))
    story.extend(_pdf_blocks(doc.body, regular, italic, headings))
    return story


def _pdf_blocks(
    blocks: Sequence[Block],
    regular: ParagraphStyle,
    italic: ParagraphStyle,
    headings: dict[int, ParagraphStyle],
) -> list[Flowable]:
    centred = {
        (bold, it): _style(
            f"centred_{bold}_{it}",
            FONT_BOLD_ITALIC
            if bold and it
            else FONT_BOLD
            if bold
            else FONT_ITALIC
            if it
            else FONT_REGULAR,
            BODY_SIZE,
            leading=BODY_SIZE * LINE_SPACING,
            after=6,
        )
        for bold in (False, True)
        for it in (False, True)
    }
    story: list[Flowable] = []
    for block in blocks:
        if isinstance(block, Heading):
            style = headings.get(block.level, headings[3])
            flowable: Flowable = _p(block.text, style)
            flowable.keepWithNext = True  # never strand a heading at a page foot
        elif isinstance(block, Centred):
            flowable = _p(block.text, centred[(block.bold, block.italic)])
            flowable.keepWithNext = True
        elif isinstance(block, Paragraph):
            style = italic if block.italic else regular
            if block.lead:
                flowable = RLParagraph(
                    f"<b>{escape(block.lead)}</b> {escape(block.text)}".rstrip(), style
                )
            else:
                flowable = _p(block.text, style)
        else:
            flowable = _p(_block_text(block), regular)
        story.append(flowable)
    return story


class _PageMarker(Spacer):
    """Records the page it lands on (the annex's first page)."""

    def __init__(self, found: list[int]) -> None:
        super().__init__(0, 0)
        self._found = found

    def draw(self) -> None:
        self._found.append(self.canv.getPageNumber() - 1)


class _SignatureSlot(Spacer):
    """The blank between the signer's title and name; records where it was drawn."""

    def __init__(self, width: float, height: float, found: list[SignatureBox] | None) -> None:
        super().__init__(width, height)
        self._found = found

    def draw(self) -> None:
        if self._found is not None:
            x, y = self.canv.absolutePosition(0, 0)
            page = self.canv.getPageNumber() - 1
            self._found.append(SignatureBox(page, x, y, x + self.width, y + self.height))


def _pdf_signature(
    sig: Signature, width: float, found: list[SignatureBox] | None = None
) -> list[Flowable]:
    caps = _style("sig_caps", FONT_BOLD, 14, leading=16.5)
    story: list[Flowable] = [
        _p(_upper(text), caps) for text in (sig.authority, sig.title_line) if text
    ]
    story.append(_p(_upper(sig.title), caps))
    story.append(_SignatureSlot(width, SIGNATURE_SPACE_MM * mm, found))
    story.append(_p(sig.name.strip(), _style("sig_name", FONT_BOLD, 14, leading=16.5)))
    return story


def _pdf_closing(
    doc: OfficialDocument,
    width: float,
    found: list[SignatureBox] | None = None,
    found_left: list[SignatureBox] | None = None,
) -> Table | None:
    recipients = _recipient_lines(doc.recipients)
    if not recipients and doc.signature is None and doc.left_signature is None:
        return None
    left_w = width * CLOSING_LEFT_SHARE
    right_w = width - left_w

    recipient_cell: list[Flowable] = []
    if recipients:
        recipient_cell.append(
            _p("Nơi nhận:", _style("recv_h", FONT_BOLD_ITALIC, 12, align=TA_LEFT))
        )
        line = _style("recv", FONT_REGULAR, 11, align=TA_LEFT, leading=12.6)
        recipient_cell.extend(_p(r, line) for r in recipients)

    right: list[Flowable] = _pdf_signature(doc.signature, right_w, found) if doc.signature else []
    rows: list[list[Any]] = []
    if doc.left_signature is not None:
        rows.append([_pdf_signature(doc.left_signature, left_w, found_left), right])
        if recipient_cell:
            rows.append([[Spacer(left_w, 8), *recipient_cell], []])
    else:
        rows.append([recipient_cell, right])
    table = Table(rows, colWidths=[left_w, right_w], hAlign="CENTER")
    table.setStyle(TableStyle(_NO_PADDING))
    return table


def _draw_page_number(canvas: Canvas, _doc: Any) -> None:
    canvas.saveState()
    canvas.setFont(FONT_REGULAR, 13)
    x = (MARGIN_LEFT_MM + TEXT_WIDTH_MM / 2) * mm
    y = (PAGE_HEIGHT_MM - MARGIN_TOP_MM / 2) * mm - 4
    canvas.drawCentredString(x, y, str(canvas.getPageNumber()))
    canvas.restoreState()


def _no_decoration(_canvas: Canvas, _doc: Any) -> None:
    return None


def render_pdf(doc: OfficialDocument) -> bytes:
    """Render ``doc`` to PDF bytes (A4, Liberation Serif embedded, deterministic)."""
    return render_pdf_with_signature_box(doc)[0]


def render_pdf_with_signature_box(
    doc: OfficialDocument, *, left: bool = False
) -> tuple[bytes, SignatureBox | None]:
    """The PDF and where its right-hand signer's blank is (with ``left``, the left-hand
    signer's: the secretary of minutes), for a digital signature stamp."""
    found: list[SignatureBox] = []
    found_right: list[SignatureBox] = []
    register_fonts()
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        topMargin=MARGIN_TOP_MM * mm,
        bottomMargin=MARGIN_BOTTOM_MM * mm,
        leftMargin=MARGIN_LEFT_MM * mm,
        rightMargin=MARGIN_RIGHT_MM * mm,
        title=f"{_upper(doc.doc_type)} {format_number_line(doc.number, doc.symbol)}",
        subject=doc.summary.strip(),
        author=_upper(doc.issuer),
        creator="thidua",
        invariant=1,
        initialFontName=FONT_REGULAR,
        initialFontSize=BODY_SIZE,
    )
    width = template.width
    story: list[Flowable] = [_pdf_header(doc, width)]
    story.extend(_pdf_body_flowables(doc, width))
    closing = (
        _pdf_closing(doc, width, found_right, found)
        if left
        else _pdf_closing(doc, width, found, found_right)
    )
    if closing is not None:
        # Keep the last body block with the signature so it never stands alone.
        tail: list[Flowable] = []
        if doc.body:
            tail.append(story.pop())
            # A heading right before that block goes with it (the KeepTogether below would
            # otherwise leave it alone at the foot of the previous page).
            while len(story) > 1 and getattr(story[-1], "keepWithNext", False):
                tail.insert(0, story.pop())
        tail.extend([Spacer(width, 6), closing])
        story.append(KeepTogether(tail))
    annex_at: list[int] = []
    if doc.annex:
        story.append(PageBreak())
        story.append(_PageMarker(annex_at))
        story.extend(_pdf_annex(doc, width))
    template.build(story, onFirstPage=_no_decoration, onLaterPages=_draw_page_number)
    box = found[-1] if found else None
    if box is not None and annex_at:
        box = dataclasses.replace(box, annex_page=annex_at[0])
    return buffer.getvalue(), box
