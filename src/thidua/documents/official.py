"""Official administrative documents laid out per Nghị định 30/2020/NĐ-CP.

Pure Python (no Django): build an :class:`OfficialDocument` and render it to PDF
(ReportLab, embedded Liberation Serif, metric-compatible with Times New Roman) or
to DOCX (python-docx, Times New Roman).

Layout summary (domain guide §11): A4 portrait, margins 20/20/30/15 mm (top,
bottom, left, right); a two-column header with the issuer on the left and the
Quốc hiệu / Tiêu ngữ on the right; number line under the issuer, place and date
under the Tiêu ngữ; type and summary centred; legal bases italic one per line;
justified 14 pt body; page numbers top centre from page 2; "Nơi nhận" and the
signature block side by side at the end.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

from docx import Document as _new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
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

__all__ = [
    "NATIONAL_MOTTO",
    "NATIONAL_TITLE",
    "Block",
    "Bullet",
    "Centred",
    "Heading",
    "OfficialDocument",
    "Paragraph",
    "Signature",
    "format_number_line",
    "format_place_date",
    "register_fonts",
    "render_docx",
    "render_pdf",
    "render_pdf_with_signature_box",
]

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"

FONTS_DIR = Path(__file__).parent / "fonts"
FONT_FAMILY = "LiberationSerif"
FONT_REGULAR = "LiberationSerif"
FONT_BOLD = "LiberationSerif-Bold"
FONT_ITALIC = "LiberationSerif-Italic"
FONT_BOLD_ITALIC = "LiberationSerif-BoldItalic"
DOCX_FONT = "Times New Roman"

# Page geometry (millimetres).
PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM = 20.0
MARGIN_BOTTOM_MM = 20.0
MARGIN_LEFT_MM = 30.0
MARGIN_RIGHT_MM = 15.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 165 mm

HEADER_LEFT_SHARE = 0.40
CLOSING_LEFT_SHARE = 0.48
FIRST_LINE_INDENT_CM = 1.27
BODY_SIZE = 14.0
LINE_SPACING = 1.2
SIGNATURE_SPACE_MM = 25.0

# Blank slots a clerk fills in by hand on unnumbered / undated drafts.
_RULE_GAP = 3.5  # points between a caption's last line and its rule
_BLANK = "\u00a0" * 6


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Signature:
    """Signature block: e.g. ``None`` / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / name."""

    authority: str | None  # "TM. ỦY BAN NHÂN DÂN"
    title_line: str | None  # "KT. CHỦ TỊCH"
    title: str  # "PHÓ CHỦ TỊCH"
    name: str


@dataclass(frozen=True)
class Heading:
    """Level 1: "I. MỤC ĐÍCH, YÊU CẦU" (bold); 2: "1. Mục đích" (bold); 3: "a) …" (italic)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A justified body paragraph with a first-line indent; ``lead`` is set bold before the
    text ("Điều 1." in a decision)."""

    text: str
    italic: bool = False
    lead: str = ""


@dataclass(frozen=True)
class Bullet:
    """A dash (or other marker) item, laid out like a body paragraph."""

    text: str
    marker: str = "-"


@dataclass(frozen=True)
class Centred:
    """A centred line: "QUYẾT ĐỊNH:", the signing authority above the legal bases, annex titles."""

    text: str
    bold: bool = True
    italic: bool = False


Block = Heading | Paragraph | Bullet | Centred


@dataclass
class OfficialDocument:
    issuer_parent: str | None  # "UBND TỈNH BẮC NINH" (regular caps)
    issuer: str  # "ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH" (bold caps)
    number: str | None  # "118"; None leaves the slot blank for the clerk
    symbol: str  # "KH-UBND"
    place: str  # "Bắc Ninh"
    date: datetime.date | None
    doc_type: str  # "KẾ HOẠCH"
    summary: str
    enacting_authority: str | None = None  # "CHỦ TỊCH ỦY BAN NHÂN DÂN …" above the legal bases
    legal_bases: list[str] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signature: Signature | None = None
    annex: list[Block] = field(default_factory=list)  # a new page after the signature
    # A second signature on the left, where "Nơi nhận" would be: minutes signed by the
    # secretary (left) and the chair (right). Recipients, if any, then follow below.
    left_signature: Signature | None = None


# ------------------------------------------------------------------- text helpers


def format_number_line(number: str | int | None, symbol: str) -> str:
    """``"Số: 05/KH-UBND"``; a blank slot when the number is not yet allocated."""
    symbol = symbol.strip()
    if number is None or str(number).strip() == "":
        return f"Số: {_BLANK}/{symbol}"
    text = str(number).strip()
    if text.isdigit() and int(text) < 10:  # noqa: PLR2004 - the NĐ30 padding rule
        text = f"{int(text):02d}"
    return f"Số: {text}/{symbol}"


def format_place_date(place: str, date: datetime.date | None) -> str:
    """``"Bắc Ninh, ngày 05 tháng 02 năm 2022"`` (zero before days < 10 and months 1-2)."""
    place = place.strip()
    if date is None:
        return f"{place}, ngày {_BLANK}tháng {_BLANK}năm 20.."
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)  # noqa: PLR2004
    return f"{place}, ngày {date.day:02d} tháng {month} năm {date.year}"


def _recipient_lines(recipients: Sequence[str]) -> list[str]:
    """``"- text;"`` for each recipient and ``"- text."`` for the last one."""
    items = [r.strip().lstrip("-").strip().rstrip(";.,").strip() for r in recipients]
    items = [item for item in items if item]
    return [f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]


def _block_text(block: Block) -> str:
    if isinstance(block, Bullet):
        return f"{block.marker} {block.text}" if block.marker else block.text
    return block.text


def _upper(text: str) -> str:
    return text.strip().upper()


# ----------------------------------------------------------------------------- PDF

_fonts_registered = False
_Align = Literal[0, 1, 2, 4]


def register_fonts() -> None:
    """Register Liberation Serif once per process as a bold/italic family."""
    global _fonts_registered  # noqa: PLW0603 - process-wide, idempotent cache
    if _fonts_registered:
        return
    for name, filename in (
        (FONT_REGULAR, "LiberationSerif-Regular.ttf"),
        (FONT_BOLD, "LiberationSerif-Bold.ttf"),
        (FONT_ITALIC, "LiberationSerif-Italic.ttf"),
        (FONT_BOLD_ITALIC, "LiberationSerif-BoldItalic.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / filename)))
    pdfmetrics.registerFontFamily(
        FONT_FAMILY,
        normal=FONT_REGULAR,
        bold=FONT_BOLD,
        italic=FONT_ITALIC,
        boldItalic=FONT_BOLD_ITALIC,
    )
    _fonts_registered = True


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


# Two-syllable words of issuer names that a line must never split ("BẮC / NINH"). Text in
# mixed case also keeps runs of capitalised syllables (proper names) together.
_COMPOUNDS = frozenset(
    word.strip()
    for word in """
ỦY BAN, UỶ BAN, NHÂN DÂN, THÀNH PHỐ, HỘI ĐỒNG, THI ĐUA, KHEN THƯỞNG, BẮC NINH,
BẮC GIANG, HÀ NỘI, VIỆT NAM, THỊ XÃ, THỊ TRẤN, NỘI VỤ, TÀI CHÍNH, KẾ HOẠCH, VĂN HÓA,
VĂN HOÁ, THÔNG TIN, GIÁO DỤC, ĐÀO TẠO, Y TẾ, TƯ PHÁP, THANH TRA, VĂN PHÒNG, TRUNG TÂM,
THỂ THAO, TRUYỀN THÔNG, TÀI NGUYÊN, MÔI TRƯỜNG, LAO ĐỘNG, THƯƠNG BINH, XÃ HỘI,
MẶT TRẬN, TỔ QUỐC, THANH NIÊN, PHỤ NỮ, NÔNG DÂN, CỰU CHIẾN, CHIẾN BINH, LIÊN ĐOÀN,
LIÊN HIỆP, CÔNG AN, QUÂN SỰ, ĐẢNG ỦY, ĐẢNG UỶ, THÀNH ỦY, THÀNH UỶ, TUYÊN GIÁO,
CHÍNH TRỊ, KINH TẾ, ĐÔ THỊ, QUẢN LÝ, CHỦ TỊCH, CHẤP HÀNH, CỘNG HÒA, CỘNG HOÀ,
CHỦ NGHĨA, ĐỘC LẬP, TỰ DO, HẠNH PHÚC, KHỐI THI, NGÂN HÀNG, BỆNH VIỆN, TRƯỜNG HỌC,
TIỂU HỌC, TRUNG HỌC, CƠ SỞ, PHỔ THÔNG, MẦM NON, KHU PHỐ, THÔN XÓM, TỔ DÂN, DÂN PHỐ,
CÔNG TY, TRÁCH NHIỆM, HỮU HẠN, CỔ PHẦN
""".replace("\n", " ").split(",")
)
# A line may well start with these administrative levels: "ỦY BAN NHÂN DÂN / THÀNH PHỐ …".
_LEVELS = (
    ("THÀNH", "PHỐ"),
    ("TỈNH",),
    ("PHƯỜNG",),
    ("HUYỆN",),
    ("QUẬN",),
    ("THỊ", "XÃ"),
    ("THỊ", "TRẤN"),
    ("XÃ",),
)
_DASHES = frozenset({"-", "–", "—"})
_FORBIDDEN, _PLAIN, _PREFERRED = 2, 1, 0


def _gap_kinds(words: list[str], mixed_case: bool) -> list[int]:
    """For each gap between words (index i: before words[i], i ≥ 1), how good a line break is."""
    upper = [w.upper() for w in words]
    kinds = [_PLAIN] * len(words)
    for i in range(1, len(words)):
        before, after = words[i - 1], words[i]
        pair = f"{upper[i - 1].strip(',;:.')} {upper[i].strip(',;:.()')}"
        name_run = (
            mixed_case
            and before[:1].isupper()
            and after[:1].isupper()
            and before[-1:].isalpha()
            and not before.isupper()  # "UBND Bắc": an abbreviation starts no name
        )
        level = any(
            tuple(upper[i : i + len(lv)]) == lv
            and (lv != ("XÃ",) or upper[i + 1 : i + 2] != ["HỘI"])
            for lv in _LEVELS
        )
        if pair in _COMPOUNDS or name_run:
            kinds[i] = _FORBIDDEN
        elif before[-1:] in {",", ";", ":"} or before.split(" ")[-1] in _DASHES or level:
            kinds[i] = _PREFERRED
    return kinds


def _words(line: str) -> list[str]:
    """Words of a line; a lone dash stays at the end of the word before it ("THI ĐUA –")."""
    words: list[str] = []
    for token in line.split():
        if token in _DASHES and words:
            words[-1] = f"{words[-1]} {token}"
        else:
            words.append(token)
    return words


def _balanced_lines(
    text: str, font: str, size: float, width: float, *, upper: bool = False
) -> list[str]:
    """Split centred caption text into evenly long lines, as a clerk would.

    Explicit newlines are honoured. A line that does not fit is split into the fewest lines
    that fit, never inside a word ("BẮC / NINH": two-syllable words of issuer names, and proper
    names when the text is in mixed case), preferring breaks after a comma or dash and before
    an administrative level ("ỦY BAN NHÂN DÂN / THÀNH PHỐ BẮC NINH"), then the split whose
    longest line is shortest. If nothing fits without splitting a word, the fewest splits
    inside words are used; if a single word is too wide, the line is left to normal wrapping.
    ``upper`` capitalises the output (the source's case still finds the proper names).
    """
    lines: list[str] = []
    for raw in text.strip().splitlines():
        words = _words(raw)
        shown = [w.upper() for w in words] if upper else words
        joined = " ".join(shown)
        if not words or pdfmetrics.stringWidth(joined, font, size) <= width:
            lines.append(joined)
            continue
        lines.extend(_best_split(shown, _gap_kinds(words, raw != raw.upper()), font, size, width))
    return lines


def _best_split(
    words: list[str], kinds: list[int], font: str, size: float, width: float
) -> list[str]:
    """The best fitting split by (breaks inside words, number of lines, plain breaks, longest
    line): a small dynamic programme over the gaps, one pass per number of lines."""
    n = len(words)

    def line_width(i: int, j: int) -> float:
        return pdfmetrics.stringWidth(" ".join(words[i:j]), font, size)

    fits = {(i, j): line_width(i, j) for i in range(n) for j in range(i + 1, n + 1)}
    best: tuple[tuple[int, int, int, float], list[int]] | None = None
    # state: end index -> (forbidden, plain, longest, starts of lines)
    layer: dict[int, tuple[int, int, float, list[int]]] = {}
    for j in range(1, n + 1):
        if fits[(0, j)] <= width:
            layer[j] = (0, 0, fits[(0, j)], [0])
    for count in range(1, n + 1):
        if n in layer:
            forbidden, plain, longest, starts = layer[n]
            key = (forbidden, count, plain, longest)
            if best is None or key < best[0]:
                best = (key, starts)
        following: dict[int, tuple[int, int, float, list[int]]] = {}
        for i, (forbidden, plain, longest, starts) in layer.items():
            if i == n:
                continue
            for j in range(i + 1, n + 1):
                if fits[(i, j)] > width:
                    break
                kind = kinds[i]
                state = (
                    forbidden + (kind == _FORBIDDEN),
                    plain + (kind == _PLAIN),
                    max(longest, fits[(i, j)]),
                    [*starts, i],
                )
                if j not in following or state[:3] < following[j][:3]:
                    following[j] = state
        if not following:
            break
        layer = following
    if best is None:
        return [" ".join(words)]
    starts = [*best[1], n]
    return [" ".join(words[a:b]) for a, b in itertools.pairwise(starts)]


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


@dataclass(frozen=True)
class SignatureBox:
    """Where the signature space of a rendered PDF is: page index and rectangle in points
    (origin bottom left), for a digital signature's visible stamp (documents.signing)."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float
    annex_page: int | None = None  # the first page of the annex, if any


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


# ---------------------------------------------------------------------------- DOCX

_CELL_MARGIN_MM = 1.0


def _set_run_font(run: Any, *, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name = DOCX_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    r_pr = run._element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attr), DOCX_FONT)


def _compact(paragraph: Any, *, align: Any = WD_ALIGN_PARAGRAPH.CENTER) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Cm(0)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0


def _add_text(
    container: Any,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.CENTER,
    first: bool = False,
) -> Any:
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    _compact(paragraph, align=align)
    for i, line in enumerate(text.split("\n")):
        run = paragraph.add_run()
        if i:
            run.add_break()  # manual line break (balanced captions)
        run.add_text(line)
        _set_run_font(run, size=size, bold=bold, italic=italic)
    return paragraph


def _docx_caption(
    text: str, *, bold: bool, size: float, width_mm: float, upper: bool = False
) -> str:
    """Balanced caption lines joined with newlines (see :func:`_balanced_lines`)."""
    register_fonts()
    font = FONT_BOLD if bold else FONT_REGULAR
    return "\n".join(_balanced_lines(text.strip(), font, size, width_mm * mm, upper=upper))


def _bottom_border(paragraph: Any) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    # pBdr must precede spacing/ind/jc in CT_PPr's sequence.
    anchor = None
    for tag in ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc"):
        anchor = p_pr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        p_pr.append(borders)


def _add_rule(cell: Any, cell_width_mm: float, rule_mm: float) -> None:
    """A centred short line: an empty tiny paragraph with a bottom border and indents."""
    paragraph = cell.add_paragraph()
    _compact(paragraph)
    side = max((cell_width_mm - 2 * _CELL_MARGIN_MM - rule_mm) / 2, 0)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)
    _set_run_font(paragraph.add_run(""), size=2)
    _bottom_border(paragraph)


# Child order of w:tblPr (ECMA-376 CT_TblPr); Word rejects out-of-order children.
_TBLPR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
)


def _set_ordered_child(parent: Any, child: Any, order: Sequence[str]) -> None:
    """Replace ``parent``'s child with ``child``'s tag, keeping the schema order."""
    tag = child.tag.split("}")[1]
    for old in parent.findall(qn(f"w:{tag}")):
        parent.remove(old)
    later = {qn(f"w:{name}") for name in order[order.index(tag) + 1 :]}
    for existing in parent:
        if existing.tag in later:
            existing.addprevious(child)
            return
    parent.append(child)


def _dxa(millimetres: float) -> str:
    return str(round(millimetres / 25.4 * 1440))


def _borderless(table: Any, widths_mm: Sequence[float]) -> None:
    """Fixed-width, borderless table with narrow cell margins."""
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr

    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), _dxa(sum(widths_mm)))
    width.set(qn("w:type"), "dxa")
    _set_ordered_child(tbl_pr, width, _TBLPR_ORDER)

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    _set_ordered_child(tbl_pr, borders, _TBLPR_ORDER)

    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    _set_ordered_child(tbl_pr, layout, _TBLPR_ORDER)

    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), _dxa(_CELL_MARGIN_MM))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    _set_ordered_child(tbl_pr, margins, _TBLPR_ORDER)

    for col, col_width in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(col_width)
        for cell in col.cells:
            cell.width = Mm(col_width)


def _add_page_number_field(paragraph: Any) -> None:
    def fld_char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    begin = paragraph.add_run()
    begin._r.append(fld_char("begin"))
    instr = paragraph.add_run()
    instr_text = OxmlElement("w:instrText")
    instr_text.set(qn("xml:space"), "preserve")
    instr_text.text = " PAGE "
    instr._r.append(instr_text)
    separate = paragraph.add_run()
    separate._r.append(fld_char("separate"))
    placeholder = paragraph.add_run("2")
    end = paragraph.add_run()
    end._r.append(fld_char("end"))
    for run in (begin, instr, separate, placeholder, end):
        _set_run_font(run, size=13)


def _docx_setup(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(8)
    section.footer_distance = Mm(8)
    section.different_first_page_header_footer = True

    normal = document.styles["Normal"]
    normal.font.name = DOCX_FONT
    normal.font.size = Pt(BODY_SIZE)
    r_pr = normal.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attr), DOCX_FONT)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Cm(FIRST_LINE_INDENT_CM)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = LINE_SPACING

    header_paragraph = section.header.paragraphs[0]
    _compact(header_paragraph)
    _add_page_number_field(header_paragraph)
    first = section.first_page_header.paragraphs[0]  # stays empty: no number on page 1
    _compact(first)


def _docx_header(document: Any, doc: OfficialDocument) -> None:
    left_w = TEXT_WIDTH_MM * HEADER_LEFT_SHARE
    right_w = TEXT_WIDTH_MM - left_w
    table = document.add_table(rows=2, cols=2)
    _borderless(table, (left_w, right_w))
    left, right = table.cell(0, 0), table.cell(0, 1)

    inner = left_w - 2 * _CELL_MARGIN_MM
    first = True
    if doc.issuer_parent:
        parent = _docx_caption(doc.issuer_parent, bold=False, size=13, width_mm=inner, upper=True)
        _add_text(left, parent, size=13, first=True)
        first = False
    issuer = _docx_caption(doc.issuer, bold=True, size=13, width_mm=inner, upper=True)
    _add_text(left, issuer, size=13, bold=True, first=first)
    _add_rule(left, left_w, (left_w - 2 * _CELL_MARGIN_MM) / 3)

    _add_text(right, NATIONAL_TITLE, size=12, bold=True, first=True)
    motto = _add_text(right, NATIONAL_MOTTO, size=13, bold=True)
    register_fonts()
    motto_mm = pdfmetrics.stringWidth(NATIONAL_MOTTO, FONT_BOLD, 13) / mm
    side = max((right_w - 2 * _CELL_MARGIN_MM - motto_mm) / 2 - 1.0, 0)
    motto.paragraph_format.left_indent = Mm(side)
    motto.paragraph_format.right_indent = Mm(side)
    _bottom_border(motto)

    number_line = format_number_line(doc.number, doc.symbol)
    number = _add_text(table.cell(1, 0), number_line, size=13, first=True)
    number.paragraph_format.space_before = Pt(8)
    if not doc.doc_type:  # công văn: "V/v …" under the number
        _add_text(table.cell(1, 0), doc.summary, size=12)
    place_date = format_place_date(doc.place, doc.date)
    place = _add_text(table.cell(1, 1), place_date, size=13, italic=True, first=True)
    place.paragraph_format.space_before = Pt(8)


def _docx_title(document: Any, doc: OfficialDocument) -> None:
    doc_type = _add_text(document, _upper(doc.doc_type), size=14, bold=True)
    doc_type.paragraph_format.space_before = Pt(14)
    summary = _docx_caption(doc.summary, bold=True, size=14, width_mm=TEXT_WIDTH_MM - 2)
    _add_text(document, summary, size=14, bold=True)
    rule = document.add_paragraph()
    _compact(rule)
    side = (TEXT_WIDTH_MM - min(TEXT_WIDTH_MM / 4, 45.0)) / 2
    rule.paragraph_format.left_indent = Mm(side)
    rule.paragraph_format.right_indent = Mm(side)
    rule.paragraph_format.space_after = Pt(12)
    _set_run_font(rule.add_run(""), size=2)
    _bottom_border(rule)


def _docx_body(document: Any, doc: OfficialDocument) -> None:
    if doc.doc_type:
        _docx_title(document, doc)
    if doc.enacting_authority:
        authority = _add_text(document, doc.enacting_authority, size=14, bold=True)
        authority.paragraph_format.space_after = Pt(8)
    for basis in doc.legal_bases:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(3)
        _set_run_font(paragraph.add_run(basis), size=BODY_SIZE, italic=True)
    _docx_blocks(document, doc.body)
    if doc.body and (doc.recipients or doc.signature is not None):
        # Keep the last body block on the signature page.
        document.paragraphs[-1].paragraph_format.keep_with_next = True


def _docx_blocks(document: Any, blocks: Sequence[Block]) -> None:
    for block in blocks:
        if isinstance(block, Centred):
            centred = _add_text(
                document, block.text, size=BODY_SIZE, bold=block.bold, italic=block.italic
            )
            centred.paragraph_format.keep_with_next = True
            centred.paragraph_format.space_after = Pt(6)
            continue
        paragraph = document.add_paragraph()
        if isinstance(block, Heading):
            level = block.level if block.level in (1, 2, 3) else 3
            run = paragraph.add_run(block.text)
            _set_run_font(run, size=BODY_SIZE, bold=level < 3, italic=level == 3)  # noqa: PLR2004
            paragraph.paragraph_format.keep_with_next = True
        elif isinstance(block, Paragraph):
            if block.lead:
                lead = paragraph.add_run(f"{block.lead} " if block.text else block.lead)
                _set_run_font(lead, size=BODY_SIZE, bold=True, italic=block.italic)
            if block.text:
                _set_run_font(paragraph.add_run(block.text), size=BODY_SIZE, italic=block.italic)
        else:
            _set_run_font(paragraph.add_run(_block_text(block)), size=BODY_SIZE)


def _docx_signature(cell: Any, sig: Signature) -> None:
    lines = [_upper(t) for t in (sig.authority, sig.title_line) if t] + [_upper(sig.title)]
    for i, text in enumerate(lines):
        _add_text(cell, text, size=14, bold=True, first=i == 0)
    gap = _add_text(cell, "", size=14)
    gap.paragraph_format.space_after = Mm(SIGNATURE_SPACE_MM - 5)
    _add_text(cell, sig.name.strip(), size=14, bold=True)


def _docx_recipients(cell: Any, recipients: list[str], *, first: bool) -> None:
    _add_text(
        cell,
        "Nơi nhận:",
        size=12,
        bold=True,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        first=first,
    )
    for line in recipients:
        _add_text(cell, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)


def _docx_closing(document: Any, doc: OfficialDocument) -> None:
    recipients = _recipient_lines(doc.recipients)
    if not recipients and doc.signature is None and doc.left_signature is None:
        return
    spacer = document.add_paragraph()
    _compact(spacer)
    spacer.paragraph_format.keep_with_next = True  # the chain from the last paragraph holds
    _set_run_font(spacer.add_run(""), size=6)
    left_w = TEXT_WIDTH_MM * CLOSING_LEFT_SHARE
    right_w = TEXT_WIDTH_MM - left_w
    table = document.add_table(rows=1, cols=2)
    _borderless(table, (left_w, right_w))
    # Never split the closing row across pages.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)
    left, right = table.cell(0, 0), table.cell(0, 1)

    if doc.left_signature is not None:
        _docx_signature(left, doc.left_signature)
        if recipients:
            _docx_recipients(left, recipients, first=False)
    elif recipients:
        _docx_recipients(left, recipients, first=True)
    if doc.signature is not None:
        _docx_signature(right, doc.signature)


def render_docx(doc: OfficialDocument) -> bytes:
    """Render ``doc`` to DOCX bytes with the same layout as :func:`render_pdf`."""
    document = _new_docx()
    _docx_setup(document)
    _docx_header(document, doc)
    _docx_body(document, doc)
    _docx_closing(document, doc)
    if doc.annex:
        document.add_page_break()  # type: ignore[no-untyped-call]
        _docx_blocks(document, doc.annex)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
