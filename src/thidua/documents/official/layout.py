"""The page of an official document per Nghị định 30/2020/NĐ-CP, and its fonts.

Layout summary (domain guide §11): A4 portrait, margins 20/20/30/15 mm (top,
bottom, left, right); a two-column header with the issuer on the left and the
Quốc hiệu / Tiêu ngữ on the right; number line under the issuer, place and date
under the Tiêu ngữ; type and summary centred; legal bases italic one per line;
justified 14 pt body; page numbers top centre from page 2; "Nơi nhận" and the
signature block side by side at the end.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"

FONTS_DIR = Path(__file__).parent.parent / "fonts"  # documents/fonts
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


_fonts_registered = False


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
