"""Lines of the document: numbering markers, bullets, the type word, wrapped lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from thidua.campaigns.parsing.text import fold, is_upper


@dataclass
class Line:
    no: int  # 1-based
    raw: str
    text: str  # whitespace squashed

    @property
    def blank(self) -> bool:
        return not self.text


_KINDS = {
    "ke hoach": "KẾ HOẠCH",
    "ke hoach lien tich": "KẾ HOẠCH LIÊN TỊCH",
    "quyet dinh": "QUYẾT ĐỊNH",
    "thong bao": "THÔNG BÁO",
    "chi thi": "CHỈ THỊ",
    "huong dan": "HƯỚNG DẪN",
    "chuong trinh": "CHƯƠNG TRÌNH",
    "bao cao": "BÁO CÁO",
    "to trinh": "TỜ TRÌNH",
    "nghi quyet": "NGHỊ QUYẾT",
    "cong van": "CÔNG VĂN",
}
KIND_SCAN_LINES = 60
TITLE_MAX_LINES = 6
PREAMBLE_LEAD_RE = re.compile(
    r"(?:can\s+cu|thuc\s+hien|trien\s+khai|theo\s|nham\s|de\s|xet\s|thuc\s+hien)"
)
SEPARATOR_RE = re.compile(r"[-_=*.\u2026~\u2013\u2014\s]{3,}")
NOISE_RE = re.compile(
    r"(?:-\s*\d{1,3}\s*-|\d{1,3}|trang\s+\d{1,3}(?:\s*/\s*\d{1,3})?|page\s+\d{1,3})"
)

# "I.", "II-", "Phần III:"; "1.", "1)", "1-" (Party documents), "1.2.", "1.2"; "a)", "b."; "A.";
# typed by hand with a slash, as many offices do: "I/ ", "1/ ", "a/ " (a space after it: never
# "V/v" (về việc), "đ/c" (đồng chí) or a date's "15/8")
_ROMAN_RE = re.compile(
    r"(?:(?:PHẦN|Phần|phần)\s+)?(?P<label>[IVXivx]{1,6})\s*(?:[.:)]|/(?=\s)|\s?[-\u2013]\s)\s*"
    r"(?P<rest>[^\W\d_].*|[\"\u201c(].*)"
)
_ARABIC_RE = re.compile(
    r"(?P<label>\d{1,2}(?:\.\d{1,2}){0,3})\s*(?:[.)]|[-\u2013/](?=\s))\s*(?P<rest>[^\d\s].*)"
)
_ARABIC_BARE_RE = re.compile(r"(?P<label>\d{1,2}(?:\.\d{1,2}){1,3})\s+(?P<rest>[^\d\s].*)")
_LETTER_RE = re.compile(r"(?P<label>[a-zđ])\s*(?:\)\s*|[./]\s+)(?P<rest>\S.*)")
_PART_RE = re.compile(r"(?P<label>[A-H])\s*[.)]\s+(?P<rest>\S.*)")
_BULLET_RE = re.compile(
    "(?P<marker>[-\u2013\u2014\u2212\u00b7\u2022\u2219\u25cf\u25cb\u25e6\u25aa\u25a0\u25a1"
    "\u25ba\u25b8\u27a2\u27a4\u2713\u2714*+])\\s*(?=\\S)"
)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
LETTERS = "abcdđeghiklmnopqrstuvxy"
TERMINAL = (".", ";", ":", "!", "?", "\u2026")
_WRAP_MIN_CHARS = 60
END_MARK_RE = re.compile(r"\s*\.?\s*/\s*\.(?=\s*(?:\t|$))")


def roman_value(label: str) -> int | None:
    label = label.upper()
    total = 0
    previous = 0
    for ch in reversed(label):
        value = _ROMAN_VALUES[ch]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total if total > 0 and to_roman(total) == label else None


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def to_roman(value: int) -> str:
    """12 → "XII" (the canonical form: a label that reads back differently is not a number)."""
    out = ""
    for number, symbol in _ROMAN:
        count, value = divmod(value, number)
        out += symbol * count
    return out


@dataclass
class Heading:
    marker: str  # part (A., B.), roman, arabic1..4, letter
    label: str
    rest: str


def parse_heading(text: str) -> Heading | None:
    match = _ROMAN_RE.fullmatch(text)
    if match:
        label = match.group("label")
        if roman_value(label) and (label.isupper() or len(label) > 1):
            return Heading("roman", label.upper(), match.group("rest"))
    match = _ARABIC_RE.fullmatch(text) or _ARABIC_BARE_RE.fullmatch(text)
    if match:
        label = match.group("label")
        return Heading(f"arabic{label.count('.') + 1}", label, match.group("rest"))
    match = _LETTER_RE.fullmatch(text)
    if match:
        return Heading("letter", match.group("label"), match.group("rest"))
    match = _PART_RE.fullmatch(text)
    if match and is_upper(match.group("rest")):  # "A. MỤC ĐÍCH", never "A. Nguyễn …"
        return Heading("part", match.group("label"), match.group("rest"))
    return None


def bullet(text: str) -> str | None:
    match = _BULLET_RE.match(text)
    return text[match.end() :] if match else None


def kind_of(text: str) -> tuple[str, str] | None:
    """(kind, rest of line) if the line is the type word ("KẾ HOẠCH")."""
    core = text.strip().rstrip(":.").strip()
    folded = fold(core)
    if folded in _KINDS:
        return _KINDS[folded], ""
    for key, kind in _KINDS.items():
        if folded.startswith(key + " ") and is_upper(core[: len(key)]):
            rest = core[len(key) :].strip()
            if not is_upper(rest):
                return kind, rest
    return None


def should_join(previous: str, heading: bool, current: str, blank_between: bool) -> bool:  # noqa: PLR0911 one rule per case
    """Whether ``current`` continues ``previous`` (a line wrapped mid-sentence)."""
    previous = previous.rstrip()
    if not previous or previous.endswith(TERMINAL):
        return False
    starts_lower = current[:1].islower()
    if heading:
        if is_upper(previous):
            return not blank_between and is_upper(current)
        if blank_between:
            return False
        return starts_lower or previous.endswith(",") or len(previous) >= _WRAP_MIN_CHARS
    if blank_between:
        return starts_lower
    if starts_lower or previous.endswith((",", "-", "\u2013", "(")):
        return True
    return len(previous) >= _WRAP_MIN_CHARS
