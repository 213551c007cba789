"""What an official document holds (the blocks of its body, its signature) and the text of
its fixed lines (number, place and date, recipients)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from thidua.documents.official.layout import _BLANK


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

    @property
    def place_date(self) -> str:
        """The place and date line as printed (previews show the same text)."""
        return format_place_date(self.place, self.date)


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
