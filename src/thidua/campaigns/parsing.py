"""Parse the pasted text of a Vietnamese official plan (kế hoạch) into structured data.

Pure module: standard library only, no Django; ``text_from_docx`` imports python-docx
lazily. ``parse_plan`` never raises on odd input: what it cannot place goes to
``unrecognised`` and ``warnings``, and every body line is kept in ``preamble``,
``sections`` or ``closing``.

Matching works on a *folded* copy of the text (lower case, Vietnamese diacritics removed,
``đ`` → ``d``). Folding keeps the length, so offsets found in the folded copy point into
the original and every value returned keeps the original spelling. Old and new tone
placement (hoá/hóa, uỷ/ủy) and even unaccented text therefore match alike.

See docs/domain.md §5 for the fields and §5.4 for the markers recognised.
"""

from __future__ import annotations

import calendar
import functools
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

__all__ = [
    "AssignmentItem",
    "AwardForm",
    "Deadline",
    "FormMention",
    "FoundDate",
    "Paragraph",
    "ParentDocument",
    "ParseWarning",
    "ParsedPlan",
    "Prize",
    "Recipient",
    "Section",
    "Signer",
    "extract_agencies",
    "find_dates",
    "fold",
    "normalise_agency",
    "normalise_text",
    "parse_plan",
    "parse_vn_date",
    "parse_vn_range",
    "split_agencies",
    "text_from_docx",
]

Precision = Literal["day", "month", "quarter", "year"]

# --------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------

_SPECIAL_FOLD = {"đ": "d", "Đ": "d", "\u00d0": "d", "\u00f0": "d"}

_CONTROL_TABLE = {
    0x00A0: " ",  # no-break space
    0x2007: " ",
    0x202F: " ",
    0x200B: None,  # zero-width space
    0x200C: None,
    0x200D: None,
    0xFEFF: None,  # byte order mark
    0x000B: "\n",
    0x000C: "\n",
    0x0085: "\n",
    0x2028: "\n",
    0x2029: "\n",
}


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    special = _SPECIAL_FOLD.get(ch)
    if special is not None:
        return special
    base = unicodedata.normalize("NFD", ch)[:1] or ch
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics, keeping its length.

    >>> fold("Uỷ ban Nhân dân Phường Đông Ngàn")
    'uy ban nhan dan phuong dong ngan'
    """
    return "".join(map(_fold_char, text))


def normalise_text(text: str) -> str:
    """NFC-normalise, unify line endings and odd spaces; drop zero-width characters."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_CONTROL_TABLE)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _decapitalise(text: str) -> str:
    """Lower-case the first letter of an ordinary word ("Đảng viên" → "đảng viên")."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


_TRAILING_PUNCT = " \t,;:.-\u2013\u2014"


def _strip_punct(text: str) -> str:
    return text.strip().strip(_TRAILING_PUNCT).strip()


def _words(text: str) -> int:
    return len(text.split())


def _replace_folded(
    text: str, pattern: re.Pattern[str], replacement: Callable[[re.Match[str]], str]
) -> str:
    """Substitute matches of ``pattern`` (on the folded text) in the original text."""
    out: list[str] = []
    pos = 0
    for match in pattern.finditer(fold(text)):
        out.append(text[pos : match.start()])
        out.append(replacement(match))
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------

_DATE_RE = re.compile(
    r"""
    (?<![\w/])
    (?:(?P<pre>truoc|cham\s+nhat(?:\s+(?:la|vao|den))?|han\s+chot(?:\s+la)?|tu|den|toi|trong)\s+)?
    (?:(?P<edge>het|cuoi|dau|giua)\s+)?
    (?P<ngay>ngay\s+)?
    (?:
        (?P<vd>\d{1,2})\s+thang\s+(?P<vm>\d{1,2})\s*,?\s+nam\s+(?P<vy>\d{4})
      | (?P<d>\d{1,2})\s?[/.\-]\s?(?P<m>\d{1,2})\s?[/.\-]\s?(?P<y>\d{4})
      | thang\s+(?P<mm>\d{1,2})\s*(?:[/\-]|\s+nam\s)\s*(?P<my>\d{4})
      | quy\s+(?P<q>iv|i{1,3}|[1-4])\s*(?:[/\-]|\s+nam\s)\s*(?P<qy>\d{4})
      | nam\s+(?P<yy>\d{4})
      | (?P<bm>\d{1,2})/(?P<by>\d{4})
      | (?P<dd>\d{1,2})/(?P<dm>\d{1,2})
    )
    (?![\w/])
    """,
    re.VERBOSE,
)

_QUALIFIERS = {
    "truoc": "before",
    "cham": "by",
    "han": "by",
    "tu": "from",
    "den": "until",
    "toi": "until",
    "trong": "during",
}
_EDGES = {"het": "end", "cuoi": "end", "dau": "start", "giua": "middle"}
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_MIN_YEAR = 1800
_MAX_YEAR = 2200
_MID_MONTH = 15


@dataclass(frozen=True)
class FoundDate:
    """A date expression found in a text.

    ``start``/``end`` are character offsets into the text searched; ``text`` includes
    qualifier words ("trước", "đến hết"). ``first``/``last`` bound the period the
    expression covers (one day, a month, a quarter, a year); ``value`` is the date the
    expression stands for: the day itself, or for coarser precision the first day, the
    last day after "hết"/"cuối" or "đến", the 15th after "giữa".
    ``qualifier`` is one of before, by, from, until, during; ``edge`` one of start,
    middle, end.
    """

    text: str
    start: int
    end: int
    value: date
    first: date
    last: date
    precision: Precision
    qualifier: str | None = None
    edge: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": self.value.isoformat(),
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "precision": self.precision,
            "qualifier": self.qualifier,
            "edge": self.edge,
        }


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _bounds(match: re.Match[str]) -> tuple[date, date, Precision] | None:  # noqa: PLR0911 one return per date shape
    g = match.group
    try:
        if g("vd"):
            day = date(int(g("vy")), int(g("vm")), int(g("vd")))
            return day, day, "day"
        if g("d"):
            day = date(int(g("y")), int(g("m")), int(g("d")))
            return day, day, "day"
        if g("mm") or g("bm"):
            year, month = (int(g("my")), int(g("mm"))) if g("mm") else (int(g("by")), int(g("bm")))
            return date(year, month, 1), _month_end(year, month), "month"
        if g("q"):
            quarter, year = _QUARTERS[g("q")], int(g("qy"))
            return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), "quarter"
        if g("yy"):
            year = int(g("yy"))
            return date(year, 1, 1), date(year, 12, 31), "year"
    except ValueError:
        return None
    return None


def _date_value(first: date, last: date, qualifier: str | None, edge: str | None) -> date:
    if first == last or edge == "start":
        return first
    if edge == "end" or qualifier in {"until", "by"}:
        return last
    if edge == "middle":
        return first.replace(day=_MID_MONTH)
    return first


def find_dates(text: str, default_year: int | None = None) -> list[FoundDate]:
    """Every date expression in ``text``, in order.

    Recognised: "9/7/1912", "13-5-2022", "05.12.2022", "ngày 13 tháng 5 năm 2022",
    "tháng 5/2022", "tháng 5 năm 2022", "quý III/2022", with qualifiers "trước",
    "chậm nhất", "từ", "đến", "trong" and edges "hết", "cuối", "đầu", "giữa". A bare
    "5/2022" or "năm 2022" counts only after such a word; a day without a year
    ("từ ngày 15/6 đến ...") takes the year of the next full date, else ``default_year``.
    """
    folded = fold(text)
    found: list[FoundDate | re.Match[str]] = []
    for match in _DATE_RE.finditer(folded):
        pre, edge = match.group("pre"), match.group("edge")
        qualifier = _QUALIFIERS.get(pre.split()[0]) if pre else None
        edge_name = _EDGES.get(edge) if edge else None
        if match.group("dd"):
            if pre or match.group("ngay"):
                found.append(match)  # year resolved below
            continue
        if (match.group("bm") or match.group("yy")) and not (pre or edge):
            continue
        bounds = _bounds(match)
        if bounds is None or not _MIN_YEAR <= bounds[0].year <= _MAX_YEAR:
            continue
        first, last, precision = bounds
        found.append(
            FoundDate(
                text=text[match.start() : match.end()],
                start=match.start(),
                end=match.end(),
                value=_date_value(first, last, qualifier, edge_name),
                first=first,
                last=last,
                precision=precision,
                qualifier=qualifier,
                edge=edge_name,
            )
        )
    return _resolve_yearless(text, found, default_year)


def _resolve_yearless(
    text: str, found: list[FoundDate | re.Match[str]], default_year: int | None
) -> list[FoundDate]:
    result: list[FoundDate] = []
    for index, item in enumerate(found):
        if isinstance(item, FoundDate):
            result.append(item)
            continue
        year = next(
            (later.first.year for later in found[index + 1 :] if isinstance(later, FoundDate)),
            default_year,
        )
        if year is None:
            continue
        try:
            day = date(year, int(item.group("dm")), int(item.group("dd")))
        except ValueError:
            continue
        pre, edge = item.group("pre"), item.group("edge")
        result.append(
            FoundDate(
                text=text[item.start() : item.end()],
                start=item.start(),
                end=item.end(),
                value=day,
                first=day,
                last=day,
                precision="day",
                qualifier=_QUALIFIERS.get(pre.split()[0]) if pre else None,
                edge=_EDGES.get(edge) if edge else None,
            )
        )
    return result


def parse_vn_date(text: str, default_year: int | None = None) -> date | None:
    """The date the first date expression in ``text`` stands for, or None.

    "13/5/2022" → 2022-05-13; "tháng 5/2022" → 2022-05-01; "hết tháng 12/2022" →
    2022-12-31; "trước ngày 15/12/2022" → 2022-12-15 (the date as written).
    """
    dates = find_dates(text, default_year)
    return dates[0].value if dates else None


_RANGE_SEP_RE = re.compile(r"\s*,?\s*(?P<dash>[-\u2013\u2014~]\s*)?")
_OPEN_START_RE = re.compile(
    r"\btu\s+(?:nay|khi|ngay\s+ky|ngay\s+ban\s+hanh|thoi\s+diem)\b[^.;]{0,60}$"
)


def _find_range(
    text: str, default_year: int | None = None
) -> tuple[int, int, date | None, date | None] | None:
    dates = find_dates(text, default_year)
    folded = fold(text)
    for index, first in enumerate(dates):
        second = dates[index + 1] if index + 1 < len(dates) else None
        if second is not None:
            sep = _RANGE_SEP_RE.fullmatch(folded, first.end, second.start)
            if sep and (
                first.qualifier == "from" or second.qualifier == "until" or sep.group("dash")
            ):
                return first.start, second.end, first.first, second.last
        if first.qualifier == "until" and _OPEN_START_RE.search(folded, 0, first.start):
            return first.start, first.end, None, first.last
        if first.qualifier == "from" and second is None:
            return first.start, first.end, first.first, None
    return None


def parse_vn_range(
    text: str, default_year: int | None = None
) -> tuple[date | None, date | None] | None:
    """The first date range in ``text`` as (start, end), or None.

    "Từ tháng 5/2022 đến hết tháng 12/2022" → (2022-05-01, 2022-12-31): an end given
    as a month runs to its last day. "(9/7/1912- 9/7/2022)" → (1912-07-09, 2022-07-09).
    "từ nay đến hết ngày 30/9/2022" → (None, 2022-09-30).
    """
    found = _find_range(text, default_year)
    return (found[2], found[3]) if found else None


# --------------------------------------------------------------------------------------
# Agencies
# --------------------------------------------------------------------------------------

# Canonical name (None: keep as written, only protect from splitting) and aliases.
_AGENCY_TABLE: tuple[tuple[str | None, tuple[str, ...]], ...] = (
    ("Phòng Nội vụ", ("phòng nội vụ", "phòng NV")),
    (
        "Phòng Văn hóa và Thông tin",
        ("phòng văn hóa và thông tin", "phòng VH-TT", "phòng VHTT", "phòng VH&TT"),
    ),
    ("Phòng Tài chính - Kế hoạch", ("phòng tài chính - kế hoạch", "phòng TC-KH", "phòng TCKH")),
    ("Phòng Giáo dục và Đào tạo", ("phòng giáo dục và đào tạo", "phòng GD&ĐT", "phòng GDĐT")),
    (
        "Phòng Lao động - Thương binh và Xã hội",
        ("phòng lao động - thương binh và xã hội", "phòng LĐ-TB&XH", "phòng LĐTBXH"),
    ),
    (
        "Phòng Tài nguyên và Môi trường",
        ("phòng tài nguyên và môi trường", "phòng TN&MT", "phòng TNMT"),
    ),
    (
        "Phòng Nông nghiệp và Phát triển nông thôn",
        ("phòng nông nghiệp và phát triển nông thôn", "phòng NN&PTNT", "phòng NNPTNT"),
    ),
    ("Phòng Kinh tế và Hạ tầng", ("phòng kinh tế và hạ tầng", "phòng KT&HT", "phòng KTHT")),
    ("Phòng Kinh tế", ("phòng kinh tế",)),
    ("Phòng Quản lý đô thị", ("phòng quản lý đô thị", "phòng QLĐT")),
    ("Phòng Tư pháp", ("phòng tư pháp",)),
    ("Phòng Y tế", ("phòng y tế",)),
    (
        "Văn phòng HĐND và UBND",
        ("văn phòng HĐND và UBND", "văn phòng hội đồng nhân dân và ủy ban nhân dân"),
    ),
    (
        "Trung tâm Văn hóa, Thể thao và Truyền thông",
        ("trung tâm văn hóa, thể thao và truyền thông", "trung tâm VH-TT&TT", "trung tâm VHTTTT"),
    ),
    ("Trung tâm Văn hóa, Thông tin và Thể thao", ("trung tâm văn hóa, thông tin và thể thao",)),
    (
        "Ủy ban Mặt trận Tổ quốc Việt Nam",
        (
            "ủy ban mặt trận tổ quốc việt nam",
            "ủy ban MTTQ Việt Nam",
            "ủy ban MTTQVN",
            "UBMTTQVN",
        ),
    ),
    ("Ủy ban Mặt trận Tổ quốc", ("ủy ban mặt trận tổ quốc", "ủy ban MTTQ", "UBMTTQ")),
    ("Mặt trận Tổ quốc", ("mặt trận tổ quốc", "MTTQ")),
    (
        "Hội đồng Thi đua - Khen thưởng",
        (
            "hội đồng thi đua - khen thưởng",
            "hội đồng thi đua khen thưởng",
            "hội đồng TĐKT",
            "HĐTĐKT",
        ),
    ),
    ("Ban Thi đua - Khen thưởng", ("ban thi đua - khen thưởng", "ban TĐKT")),
    ("Sở Nội vụ", ("sở nội vụ",)),
    (
        "Công chức Văn hóa - Xã hội",
        ("công chức văn hóa - xã hội", "công chức VH-XH", "công chức VHXH"),
    ),
    ("Các ban xây dựng Đảng", ("các ban xây dựng đảng",)),
    (
        None,
        (
            "ban tổ chức cuộc thi",
            "ban tổ chức hội thi",
            "ban tổ chức",
            "ban chỉ đạo",
            "ban chỉ huy quân sự",
            "đoàn thanh niên cộng sản hồ chí minh",
            "hội liên hiệp phụ nữ",
            "đài phát thanh và truyền hình",
            "văn phòng điều phối nông thôn mới",
            "văn phòng - thống kê",
            "đoàn thể chính trị - xã hội",
            "công an",
        ),
    ),
)

_ALIAS_SEPARATOR = r"\s*(?:[-\u2013\u2014,&/]|\bva\b)\s*"
_GROUP_FAMILIES = (
    r"phong|ban|nganh|doan\s+the|hoi",
    r"dia\s+phuong|co\s+quan|don\s+vi|doanh\s+nghiep|truong\s+hoc|to\s+chuc",
    r"xa|phuong|thi\s+tran|to\s+dan\s+pho|khu\s+pho|thon|khu\s+dan\s+cu",
)


def _alias_pattern(alias: str) -> str:
    parts = [p for p in re.split(_ALIAS_SEPARATOR, fold(alias)) if p]
    body = _ALIAS_SEPARATOR.join(r"\s+".join(map(re.escape, part.split())) for part in parts)
    return r"\b" + body + r"\b"


def _build_agency_re() -> tuple[re.Pattern[str], list[str | None]]:
    entries: list[tuple[str, str | None]] = [
        (alias, canonical) for canonical, aliases in _AGENCY_TABLE for alias in aliases
    ]
    entries.sort(key=lambda entry: -len(entry[0]))
    canonicals: list[str | None] = []
    alternatives: list[str] = []
    for index, (alias, canonical) in enumerate(entries):
        alternatives.append(f"(?P<a{index}>{_alias_pattern(alias)})")
        canonicals.append(canonical)
    for family in _GROUP_FAMILIES:
        index = len(canonicals)
        alternatives.append(rf"(?P<a{index}>\bcac\s+(?:{family})(?:\s*,\s*(?:{family})\b)+)")
        canonicals.append(None)
    return re.compile("|".join(alternatives)), canonicals


_AGENCY_RE, _AGENCY_CANONICAL = _build_agency_re()

_LOCALITY_SUFFIX_RE = re.compile(
    r"\s*(?:thanh\s+pho|huyen|thi\s+xa|quan|tinh|phuong|xa|thi\s+tran)\s*$"
)
_AGENCY_HEAD_RE = re.compile(
    r"(?:cac\s+|nhung\s+|toan\s+the\s+)?(?:phong|ban|so|trung\s+tam|mat\s+tran|uy\s+ban|ubnd|"
    r"ubmttq|mttq|hdnd|hoi\s+dong|doan|hoi|dang\s+uy|thanh\s+uy|huyen\s+uy|tinh\s+uy|cong\s+an|"
    r"quan\s+su|van\s+phong|dai|truong|cong\s+chuc|thu\s+truong|chu\s+tich|dia\s+phuong|"
    r"co\s+quan|don\s+vi|khoi|cum|to\s+dan\s+pho|thon|khu\s+pho|xa|phuong|thi\s+tran|huyen|"
    r"nganh|doanh\s+nghiep|lien\s+doan|chi\s+cuc|chi\s+nhanh|cong\s+doan|bi\s+thu|"
    r"to\s+chuc\s+(?:doan\s+the|chinh\s+tri|dang|co\s+so)|cong\s+thong\s+tin|thanh\s+vien|"
    r"giam\s+doc|hieu\s+truong|ban\s+giam\s+khao|chi\s+hoi|chi\s+bo|hop\s+tac\s+xa)\b"
)
_LEAD_WORDS_RE = re.compile(r"\s*(?:giao\s+cho|giao|de\s+nghi|yeu\s+cau|phan\s+cong)\s+")
_SUBJECT_STOP_RE = re.compile(
    r"\s*:|\b(?:chu\s+tri|phoi\s+hop|can\s+cu|co\s+trach\s+nhiem|"
    r"chiu\s+trach\s+nhiem|la\s+co\s+quan|lam\s+co\s+quan|la\s+thuong\s+truc|la\s+dau\s+moi|"
    r"tham\s+muu|to\s+chuc|xay\s+dung|trien\s+khai|huong\s+dan|theo\s+doi|day\s+manh|thuc\s+hien|"
    r"tuyen\s+truyen|bao\s+cao|ban\s+hanh|phan\s+anh|giup|don\s+doc|bo\s+tri|can\s+doi|dam\s+bao|"
    r"bao\s+dam|kiem\s+tra|tich\s+cuc|chu\s+dong|tang\s+cuong|phat\s+dong|van\s+dong|nghien\s+cuu|"
    r"lua\s+chon|de\s+xuat|tham\s+dinh|tong\s+hop|quan\s+tam|chi\s+dao|cap\s+nhat|huong\s+ung|"
    r"gui|lap|nam\s+bat|ra\s+soat|xem\s+xet|tiep\s+nhan|chuan\s+bi|cung\s+cap|phan\s+cong|"
    r"dua\s+tin|dang\s+tai|mo|lam|ket\s+hop|nang\s+cao|khan\s+truong|uu\s+tien|hoan\s+thanh)\b"
)
_SPLIT_RE = re.compile(r"\s*[,;]\s*|\s+(?:va|cung\s+voi|cung)\s+")
_PAREN_RE = re.compile(r"\([^()]*\)")
_MAX_BARE_SUBJECT_WORDS = 12
_MAX_CLAUSE_SKIPS = 6
_MAX_SKIPPED_CLAUSE_CHARS = 80


def _agency_spans(folded: str) -> list[tuple[int, int, str | None]]:
    spans: list[tuple[int, int, str | None]] = []
    for match in _AGENCY_RE.finditer(folded):
        name = match.lastgroup or ""
        spans.append((match.start(), match.end(), _AGENCY_CANONICAL[int(name[1:])]))
    return spans


def _in_spans(pos: int, spans: list[tuple[int, int, str | None]]) -> bool:
    return any(start <= pos < end for start, end, _ in spans)


def normalise_agency(name: str) -> str:
    """Canonical display name of one agency.

    Known aliases map to one spelling ("Phòng Văn hóa-thông tin" → "Phòng Văn hóa và
    Thông tin", "phòng Nội vụ thành phố" → "Phòng Nội vụ"); others keep their spelling
    with the first letter capitalised.
    """
    name = _squash(_strip_punct(name))
    folded = fold(name)
    spans = _agency_spans(folded)
    for start, end, canonical in spans:
        if canonical is None:
            continue
        rest = folded[end:]
        if start == 0 and (not rest.strip() or _LOCALITY_SUFFIX_RE.fullmatch(rest)):
            return canonical
        name = name[:start] + canonical + name[end:]
        break
    return _capitalise(name)


def _subject_bounds(
    text: str, folded: str, spans: list[tuple[int, int, str | None]]
) -> tuple[int, int]:
    lead = _LEAD_WORDS_RE.match(folded)
    pos = lead.end() if lead else len(folded) - len(folded.lstrip())
    start: int | None = None
    for _ in range(_MAX_CLAUSE_SKIPS):
        if _AGENCY_HEAD_RE.match(folded, pos) or _in_spans(pos, spans):
            start = pos
            break
        comma = folded.find(",", pos)
        if comma == -1 or comma - pos > _MAX_SKIPPED_CLAUSE_CHARS:
            break
        pos = comma + 1
        while pos < len(folded) and folded[pos] == " ":
            pos += 1
    if start is None:  # no agency opens the sentence
        return 0, 0
    parens: list[tuple[int, int, str | None]] = [
        (m.start(), m.end(), None) for m in _PAREN_RE.finditer(folded)
    ]
    for match in _SUBJECT_STOP_RE.finditer(folded, start):
        pos = match.start()
        if pos > start and not _in_spans(pos, spans) and not _in_spans(pos + 1, parens):
            return start, pos
    if _words(text[start:]) <= _MAX_BARE_SUBJECT_WORDS:
        return start, len(text)
    return start, start


def split_agencies(text: str) -> list[str]:
    """Split an enumeration of agencies on ",", ";", "và", keeping known names whole."""
    folded = fold(text)
    spans = _agency_spans(folded)
    parts: list[str] = []
    pos = 0
    for match in _SPLIT_RE.finditer(folded):
        if _in_spans(match.start(), spans) or match.start() == 0:
            continue
        parts.append(text[pos : match.start()])
        pos = match.end()
    parts.append(text[pos:])
    result: list[str] = []
    for part in parts:
        cleaned = _strip_punct(_PAREN_RE.sub(" ", part))
        if not cleaned or not any(c.isalpha() for c in cleaned):
            continue
        agency = normalise_agency(cleaned)
        if agency not in result:
            result.append(agency)
    return result


def extract_agencies(text: str) -> list[str]:
    """The agencies leading an assignment ("Phòng A; Trung tâm B chủ trì ..." → [A, B]).

    Leading subordinate clauses ("Trong quá trình thực hiện, nếu có khó khăn, ...") are
    skipped; the subject ends at the first verb or colon.
    """
    text = normalise_text(text)
    folded = fold(text)
    spans = _agency_spans(folded)
    start, end = _subject_bounds(text, folded, spans)
    subject = text[start:end]
    return split_agencies(subject) if subject.strip() else []


# --------------------------------------------------------------------------------------
# Public result types
# --------------------------------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass
class Paragraph:
    """A paragraph of body text (wrapped lines joined) with its 1-based source lines."""

    text: str
    first_line: int
    last_line: int


@dataclass
class Section:
    """A numbered part of the body: "I", "1", "a" … with its text and sub-parts.

    ``clause`` is the full path ("IV.2", "III.4.a"); ``keys`` name the topics the
    heading covers (PURPOSE, REQUIREMENTS, TIME, CONTENT, FORMS, PARTICIPANTS, SCOPE,
    STANDARDS, AWARDS, IMPLEMENTATION, FUNDING, REPORTING).
    """

    label: str
    clause: str
    marker: str
    heading: Paragraph
    paragraphs: list[Paragraph] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.heading.text

    @property
    def text(self) -> list[str]:
        return [p.text for p in self.paragraphs]

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()

    def all_paragraphs(self) -> list[Paragraph]:
        out = [self.heading, *self.paragraphs]
        for child in self.children:
            out.extend(child.all_paragraphs())
        return out

    def full_text(self) -> str:
        return "\n".join(p.text for p in self.all_paragraphs() if p.text)

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "clause": self.clause,
            "marker": self.marker,
            "title": self.title,
            "keys": list(self.keys),
            "line": self.heading.first_line,
            "text": self.text,
            "children": [child.to_json() for child in self.children],
        }


@dataclass
class ParentDocument:
    type: str | None
    number: str | None
    date: date | None
    issuer: str | None
    text: str
    relation: str  # basis (căn cứ), implements (thực hiện), reference

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "number": self.number,
            "date": _iso(self.date),
            "issuer": self.issuer,
            "text": self.text,
            "relation": self.relation,
        }


@dataclass
class FormMention:
    code: str
    label: str
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "text": self.text}


@dataclass
class AwardForm:
    name: str
    kind: str
    signer: str | None
    target: str | None  # collective, individual, both
    quota: int | None
    quota_collective: int | None
    quota_individual: int | None
    text: str
    clause: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "signer": self.signer,
            "issuer": self.signer,
            "target": self.target,
            "quota": self.quota,
            "quota_collective": self.quota_collective,
            "quota_individual": self.quota_individual,
            "text": self.text,
            "clause": self.clause,
        }


@dataclass
class Prize:
    tier: str
    count: int
    clause: str | None

    def to_json(self) -> dict[str, Any]:
        return {"tier": self.tier, "count": self.count, "clause": self.clause}


@dataclass
class Deadline:
    clause: str | None
    date: date
    exclusive: bool
    kind: str  # report, task
    text: str

    def to_json(self) -> dict[str, Any]:
        return {
            "clause": self.clause,
            "date": self.date.isoformat(),
            "exclusive": self.exclusive,
            "kind": self.kind,
            "text": self.text,
        }


@dataclass
class AssignmentItem:
    clause: str
    label: str
    agencies: list[str]
    text: str
    deadline: date | None
    deadline_exclusive: bool | None
    report_to: str | None
    report_via: str | None
    line: int

    def to_json(self) -> dict[str, Any]:
        return {
            "clause": self.clause,
            "label": self.label,
            "agencies": list(self.agencies),
            "text": self.text,
            "deadline": _iso(self.deadline),
            "deadline_exclusive": self.deadline_exclusive,
            "report_to": self.report_to,
            "report_via": self.report_via,
            "line": self.line,
        }


@dataclass
class Recipient:
    text: str
    note: str | None
    archive: bool
    line: int

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "note": self.note, "archive": self.archive, "line": self.line}


@dataclass
class Signer:
    authority: str | None  # "TM. ỦY BAN NHÂN DÂN"
    delegation: str | None  # "KT. CHỦ TỊCH", "TL. …", "TUQ. …", "Q. …"
    title: str | None  # "PHÓ CHỦ TỊCH", "CHỦ TỊCH"
    name: str | None
    signed_note: str | None  # "(Đã ký)"

    def to_json(self) -> dict[str, Any]:
        return {
            "authority": self.authority,
            "delegation": self.delegation,
            "title": self.title,
            "name": self.name,
            "signed_note": self.signed_note,
        }


@dataclass
class ParseWarning:
    code: str
    message: str  # Vietnamese, shown to staff
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "line": self.line}


@dataclass
class ParsedPlan:
    """Everything ``parse_plan`` found; ``to_json`` gives a JSON-serialisable dict."""

    kind: str | None = None
    number: str | None = None
    number_symbol: str | None = None
    issued_date: date | None = None
    issued_year: int | None = None
    place: str | None = None
    issuer: str | None = None
    issuer_short: str | None = None
    issuer_parent: str | None = None
    title: str | None = None
    summary: str | None = None
    occasion_date: date | None = None
    anniversary_years: int | None = None
    parent_documents: list[ParentDocument] = field(default_factory=list)
    preamble: list[Paragraph] = field(default_factory=list)
    period_start: date | None = None
    period_end: date | None = None
    period_text: str | None = None
    sections: list[Section] = field(default_factory=list)
    closing: list[Paragraph] = field(default_factory=list)
    forms: list[FormMention] = field(default_factory=list)
    participants_collective: list[str] = field(default_factory=list)
    participants_individual: list[str] = field(default_factory=list)
    standards: list[str] = field(default_factory=list)
    award_forms: list[AwardForm] = field(default_factory=list)
    prizes: list[Prize] = field(default_factory=list)
    annual_evaluation_basis: bool = False
    assignments: list[AssignmentItem] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    report_deadline: date | None = None
    report_deadline_exclusive: bool | None = None
    standing_agency: str | None = None
    recipients: list[Recipient] = field(default_factory=list)
    signer: Signer | None = None
    warnings: list[ParseWarning] = field(default_factory=list)
    unrecognised: list[Paragraph] = field(default_factory=list)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def report_deadline_last_day(self) -> date | None:
        """Last day to report: the day before a "trước" deadline, else the deadline."""
        if self.report_deadline is None:
            return None
        if self.report_deadline_exclusive:
            return self.report_deadline - timedelta(days=1)
        return self.report_deadline

    def walk_sections(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()

    def warn(self, code: str, message: str, line: int | None = None) -> None:
        self.warnings.append(ParseWarning(code, message, line))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "number": self.number,
            "number_symbol": self.number_symbol,
            "issued_date": _iso(self.issued_date),
            "issued_year": self.issued_year,
            "place": self.place,
            "issuer": self.issuer,
            "issuer_short": self.issuer_short,
            "issuer_parent": self.issuer_parent,
            "title": self.title,
            "summary": self.summary,
            "occasion_date": _iso(self.occasion_date),
            "anniversary_years": self.anniversary_years,
            "parent_documents": [d.to_json() for d in self.parent_documents],
            "preamble": [p.text for p in self.preamble],
            "period_start": _iso(self.period_start),
            "period_end": _iso(self.period_end),
            "period_text": self.period_text,
            "sections": [s.to_json() for s in self.sections],
            "closing": [p.text for p in self.closing],
            "forms": [f.to_json() for f in self.forms],
            "participants_collective": list(self.participants_collective),
            "participants_individual": list(self.participants_individual),
            "standards": list(self.standards),
            "award_forms": [a.to_json() for a in self.award_forms],
            "prizes": [p.to_json() for p in self.prizes],
            "annual_evaluation_basis": self.annual_evaluation_basis,
            "assignments": [a.to_json() for a in self.assignments],
            "deadlines": [d.to_json() for d in self.deadlines],
            "report_deadline": _iso(self.report_deadline),
            "report_deadline_exclusive": self.report_deadline_exclusive,
            "report_deadline_last_day": _iso(self.report_deadline_last_day),
            "standing_agency": self.standing_agency,
            "recipients": [r.to_json() for r in self.recipients],
            "signer": self.signer.to_json() if self.signer else None,
            "warnings": [w.to_json() for w in self.warnings],
            "unrecognised": [{"line": p.first_line, "text": p.text} for p in self.unrecognised],
            "spans": {name: list(span) for name, span in self.spans.items()},
        }


# --------------------------------------------------------------------------------------
# Lines and layout
# --------------------------------------------------------------------------------------


@dataclass
class _Line:
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
_KIND_SCAN_LINES = 60
_TITLE_MAX_LINES = 6
_PREAMBLE_LEAD_RE = re.compile(
    r"(?:can\s+cu|thuc\s+hien|trien\s+khai|theo\s|nham\s|de\s|xet\s|thuc\s+hien)"
)
_SEPARATOR_RE = re.compile(r"[-_=*.\u2026~\u2013\u2014\s]{3,}")
_NOISE_RE = re.compile(
    r"(?:-\s*\d{1,3}\s*-|\d{1,3}|trang\s+\d{1,3}(?:\s*/\s*\d{1,3})?|page\s+\d{1,3})"
)

_ROMAN_RE = re.compile(
    r"(?:(?:PHẦN|Phần|phần)\s+)?(?P<label>[IVXivx]{1,6})\s*(?:[.:)]|\s[-\u2013]\s)\s*(?P<rest>[^\W\d_].*|[\"\u201c(].*)"
)
_ARABIC_RE = re.compile(r"(?P<label>\d{1,2}(?:\.\d{1,2}){0,3})\s*[.)]\s*(?P<rest>[^\d\s].*)")
_ARABIC_BARE_RE = re.compile(r"(?P<label>\d{1,2}(?:\.\d{1,2}){1,3})\s+(?P<rest>[^\d\s].*)")
_LETTER_RE = re.compile(r"(?P<label>[a-zđ])\s*(?:\)\s*|\.\s+)(?P<rest>\S.*)")
_BULLET_RE = re.compile(
    "(?P<marker>[-\u2013\u2014\u2212\u00b7\u2022\u2219\u25cf\u25cb\u25e6\u25aa\u25a0\u25a1"
    "\u25ba\u25b8\u27a2\u27a4\u2713\u2714*+])\\s*(?=\\S)"
)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
_LETTERS = "abcdđeghiklmnopqrstuvxy"
_TERMINAL = (".", ";", ":", "!", "?", "\u2026")
_WRAP_MIN_CHARS = 60
_END_MARK_RE = re.compile(r"\s*\.?\s*/\s*\.(?=\s*(?:\t|$))")


def _roman_value(label: str) -> int | None:
    label = label.upper()
    total = 0
    previous = 0
    for ch in reversed(label):
        value = _ROMAN_VALUES[ch]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total if total > 0 and _to_roman(total) == label else None


def _to_roman(value: int) -> str:
    out = ""
    for number, symbol in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out += symbol
            value -= number
    return out


@dataclass
class _Heading:
    marker: str  # roman, arabic1..4, letter
    label: str
    rest: str


def _heading(text: str) -> _Heading | None:
    match = _ROMAN_RE.fullmatch(text)
    if match:
        label = match.group("label")
        if _roman_value(label) and (label.isupper() or len(label) > 1):
            return _Heading("roman", label.upper(), match.group("rest"))
    match = _ARABIC_RE.fullmatch(text) or _ARABIC_BARE_RE.fullmatch(text)
    if match:
        label = match.group("label")
        return _Heading(f"arabic{label.count('.') + 1}", label, match.group("rest"))
    match = _LETTER_RE.fullmatch(text)
    if match:
        return _Heading("letter", match.group("label"), match.group("rest"))
    return None


def _bullet(text: str) -> str | None:
    match = _BULLET_RE.match(text)
    return text[match.end() :] if match else None


def _kind_of(text: str) -> tuple[str, str] | None:
    """(kind, rest of line) if the line is the type word ("KẾ HOẠCH")."""
    core = text.strip().rstrip(":.").strip()
    folded = fold(core)
    if folded in _KINDS:
        return _KINDS[folded], ""
    for key, kind in _KINDS.items():
        if folded.startswith(key + " ") and _is_upper(core[: len(key)]):
            rest = core[len(key) :].strip()
            if not _is_upper(rest):
                return kind, rest
    return None


def _should_join(previous: str, heading: bool, current: str, blank_between: bool) -> bool:  # noqa: PLR0911 one rule per case
    """Whether ``current`` continues ``previous`` (a line wrapped mid-sentence)."""
    previous = previous.rstrip()
    if not previous or previous.endswith(_TERMINAL):
        return False
    starts_lower = current[:1].islower()
    if heading:
        if _is_upper(previous):
            return not blank_between and _is_upper(current)
        if blank_between:
            return False
        return starts_lower or previous.endswith(",") or len(previous) >= _WRAP_MIN_CHARS
    if blank_between:
        return starts_lower
    if starts_lower or previous.endswith((",", "-", "\u2013", "(")):
        return True
    return len(previous) >= _WRAP_MIN_CHARS


# --------------------------------------------------------------------------------------
# Header (issuer, number, place and date)
# --------------------------------------------------------------------------------------

_MOTTO_RE = re.compile(
    r"cong\s+hoa\s+xa\s+hoi\s+chu\s+nghia\s+viet\s+nam|doc\s+lap\s*[-\u2013\u2014,]\s*tu\s+do\s*"
    r"[-\u2013\u2014,]\s*hanh\s+phuc"
)
_NUMBER_RE = re.compile(
    r"(?<![\w])so\s*[:.]?\s*(?P<num>\d{1,5}[a-z]?)?(?P<year>/\d{4})?[\s.\u2026_]*/\s*"
    r"(?P<sym>[a-z0-9][a-z0-9\-&.]*[a-z0-9])"
)
_PLACE_DATE_RE = re.compile(
    r"(?P<place>[^\t,;:()\d/]{2,60}?)\s*,\s*ngay\b(?P<rest>[^\t]{0,40}?\bnam\s+(?P<year>\d{4}))"
)
_VV_RE = re.compile(r"(?:v/v|ve\s+viec)\b[\s:.]*(?P<rest>.*)")
_ORG_HEAD_RE = re.compile(
    r"(?:ubnd|uy\s+ban|hdnd|hoi\s+dong|phong|so|ban|dang\s+uy|dang\s+bo|thanh\s+uy|huyen\s+uy|"
    r"tinh\s+uy|quan\s+uy|thi\s+uy|mat\s+tran|trung\s+tam|truong|cong\s+an|bo|tong\s+cuc|cuc|"
    r"chi\s+cuc|van\s+phong|doan|hoi|lien\s+doan)\b"
)
_BARE_AUTHORITY = {"uy ban nhan dan", "ubnd", "hoi dong nhan dan", "hdnd", "dang uy"}
_LOCALITY_START_RE = re.compile(r"(?:tinh|thanh\s+pho|huyen|quan|thi\s+xa|phuong|xa|thi\s+tran)\b")
_ISSUER_SHORT_RE = re.compile(
    r"(?:uy\s+ban\s+nhan\s+dan|ubnd)\s+(?P<level>tinh|thanh\s+pho|huyen|quan|thi\s+xa|phuong|xa|"
    r"thi\s+tran)\s+(?P<name>\S.*)"
)
_CELL_SPLIT_RE = re.compile(r"\t+| {2,}")


@dataclass
class _Header:
    orgs: list[tuple[str, int]] = field(default_factory=list)
    recognised: int = 0
    leftovers: list[tuple[str, int]] = field(default_factory=list)


def _blank_out(text: str, start: int, end: int) -> str:
    return text[:start] + "\t" * (end - start) + text[end:]


def _header_number(plan: ParsedPlan, raw: str, line_no: int, header: _Header) -> str:
    match = _NUMBER_RE.search(fold(raw))
    if match is None or plan.number_symbol is not None:
        return raw
    sym = raw[match.start("sym") : match.end("sym")].rstrip(".-")
    plan.number_symbol = sym
    if match.group("num"):
        num = raw[match.start("num") : match.end("num")]
        plan.number = f"{num}{match.group('year') or ''}/{sym}"
    plan.spans["number"] = (line_no, line_no)
    header.recognised += 1
    return _blank_out(raw, match.start(), match.end())


def _header_place_date(plan: ParsedPlan, raw: str, line_no: int, header: _Header) -> str:
    match = _PLACE_DATE_RE.search(fold(raw))
    if match is None or plan.issued_year is not None:
        return raw
    place = raw[match.start("place") : match.end("place")]
    plan.place = _CELL_SPLIT_RE.split(place.strip())[-1].strip() or None
    plan.issued_year = int(match.group("year"))
    dates = [d for d in find_dates(raw[match.end("place") : match.end()]) if d.precision == "day"]
    plan.issued_date = dates[0].value if dates else None
    plan.spans["issued_date"] = (line_no, line_no)
    header.recognised += 1
    return _blank_out(raw, match.start(), match.end())


def _header_line(plan: ParsedPlan, line: _Line, header: _Header) -> None:
    raw = line.raw
    for match in list(_MOTTO_RE.finditer(fold(raw))):
        raw = _blank_out(raw, match.start(), match.end())
        header.recognised += 1
    raw = _header_number(plan, raw, line.no, header)
    raw = _header_place_date(plan, raw, line.no, header)
    for cell in _CELL_SPLIT_RE.split(raw):
        _header_cell(plan, cell.strip(), line.no, header)


def _header_cell(plan: ParsedPlan, cell: str, line_no: int, header: _Header) -> None:
    if not cell or _SEPARATOR_RE.fullmatch(cell) or not any(c.isalnum() for c in cell):
        return
    folded = fold(cell)
    vv = _VV_RE.match(folded)
    if vv:
        plan.title = plan.title or _squash(cell[vv.start("rest") :]) or None
        header.recognised += 1
        return
    if _is_upper(cell) or _ORG_HEAD_RE.match(folded):
        header.orgs.append((_squash(cell), line_no))
        header.recognised += 1
        return
    header.leftovers.append((_squash(cell), line_no))


def _merge_orgs(orgs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    merged: list[tuple[str, int]] = []
    for text, line_no in orgs:
        if (
            merged
            and fold(merged[-1][0]) in _BARE_AUTHORITY
            and _LOCALITY_START_RE.match(fold(text))
        ):
            merged[-1] = (f"{merged[-1][0]} {text}", merged[-1][1])
        else:
            merged.append((text, line_no))
    return merged


def _issuer_short(issuer: str) -> str | None:
    match = _ISSUER_SHORT_RE.fullmatch(fold(issuer))
    if not match:
        return issuer if fold(issuer).startswith("ubnd ") else None
    level = issuer[match.start("level") : match.end("level")].lower()
    name = issuer[match.start("name") :]
    if _is_upper(name):
        name = name.title()
    return f"UBND {level} {name}"


def _apply_header(plan: ParsedPlan, header: _Header) -> None:
    orgs = _merge_orgs(header.orgs)
    if orgs:
        plan.issuer, line_no = orgs[-1]
        plan.spans["issuer"] = (line_no, line_no)
        if len(orgs) > 1:
            plan.issuer_parent = orgs[0][0]
        plan.issuer_short = _issuer_short(plan.issuer)
    plan.unrecognised.extend(Paragraph(text, no, no) for text, no in header.leftovers)


# --------------------------------------------------------------------------------------
# Body: sections tree
# --------------------------------------------------------------------------------------

_KEY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("PURPOSE", re.compile(r"muc\s+(?:dich|tieu)\b")),
    ("REQUIREMENTS", re.compile(r"yeu\s+cau\b")),
    ("TIME", re.compile(r"thoi\s+(?:gian|han)\b")),
    ("CONTENT", re.compile(r"noi\s+dung\b")),
    ("FORMS", re.compile(r"hinh\s+thuc\b(?!\s+khen\s+thuong)")),
    ("PARTICIPANTS", re.compile(r"doi\s+tuong\b|thanh\s+phan\b")),
    ("SCOPE", re.compile(r"pham\s+vi\b")),
    ("STANDARDS", re.compile(r"tieu\s+(?:chuan|chi)\b")),
    (
        "AWARDS",
        re.compile(r"(?:hinh\s+thuc\s+)?khen\s+thuong\b|giai\s+thuong\b|co\s+cau\s+giai\b"),
    ),
    ("IMPLEMENTATION", re.compile(r"to\s+chuc\s+thuc\s+hien\b|phan\s+cong\b")),
    ("FUNDING", re.compile(r"kinh\s+phi\b")),
    ("REPORTING", re.compile(r"(?:che\s+do\s+)?bao\s+cao\b|thong\s+tin\s+bao\s+cao\b")),
)
_KEY_SEGMENT_RE = re.compile(r"\s*(?:[,;/&]|\s[-\u2013]\s|\bva\b)\s*")
_KEY_LEAD_RE = re.compile(r"(?:ve|cac|nhung)\s+")
_KEY_MAX_WORDS = 12
_CLOSING_RE = re.compile(r"tren\s+day\s+la\b")


def _section_keys(title: str) -> list[str]:
    """Topics of a heading, from the words opening each of its parts.

    "NỘI DUNG THI ĐUA, HÌNH THỨC TỔ CHỨC, … VÀ HÌNH THỨC KHEN THƯỞNG" → CONTENT, FORMS,
    …, AWARDS; a sentence that merely mentions "tiêu chí" gets no key.
    """
    head = _PAREN_RE.sub(" ", title.split(":", 1)[0])
    if not _is_upper(head) and _words(head) > _KEY_MAX_WORDS:
        return []
    keys: list[str] = []
    for part in _KEY_SEGMENT_RE.split(fold(head)):
        segment = part.strip()
        lead = _KEY_LEAD_RE.match(segment)
        if lead:
            segment = segment[lead.end() :]
        keys.extend(k for k, pattern in _KEY_PATTERNS if pattern.match(segment) and k not in keys)
    return keys


def _assign_keys(sections: list[Section], inside_implementation: bool = False) -> None:
    for section in sections:
        section.keys = [] if inside_implementation else _section_keys(section.title)
        _assign_keys(section.children, inside_implementation or "IMPLEMENTATION" in section.keys)


@dataclass
class _BodyState:
    plan: ParsedPlan
    stack: list[Section] = field(default_factory=list)
    last: Paragraph | None = None
    last_is_heading: bool = False
    blank: bool = False
    closing: bool = False

    def target(self) -> list[Paragraph]:
        if self.closing:
            return self.plan.closing
        return self.stack[-1].paragraphs if self.stack else self.plan.preamble


def _clause_for(parent: Section | None, heading: _Heading) -> str:
    if parent is None:
        return heading.label
    if (
        heading.marker.startswith("arabic")
        and parent.marker.startswith("arabic")
        and heading.label.startswith(parent.label + ".")
    ):
        base = parent.clause[: -len(parent.label)]
        return base + heading.label
    return f"{parent.clause}.{heading.label}"


def _open_section(state: _BodyState, heading: _Heading, line: _Line) -> None:
    markers = [s.marker for s in state.stack]
    if heading.marker in markers:
        del state.stack[markers.index(heading.marker) :]
    parent = state.stack[-1] if state.stack else None
    para = Paragraph(heading.rest, line.no, line.no)
    section = Section(
        label=heading.label,
        clause=_clause_for(parent, heading),
        marker=heading.marker,
        heading=para,
    )
    (parent.children if parent else state.plan.sections).append(section)
    state.stack.append(section)
    state.last, state.last_is_heading, state.closing = para, True, False


def _body_line(state: _BodyState, line: _Line) -> None:
    text = line.text
    heading = _heading(text)
    if heading is not None:
        _open_section(state, heading, line)
        return
    item = _bullet(text)
    if (
        item is None
        and state.last is not None
        and _should_join(state.last.text, state.last_is_heading, text, state.blank)
    ):
        state.last.text = f"{state.last.text} {text}"
        state.last.last_line = line.no
        return
    if item is None and state.stack and _CLOSING_RE.match(fold(text)):
        state.closing = True
    para = Paragraph(item if item is not None else text, line.no, line.no)
    state.target().append(para)
    state.last, state.last_is_heading = para, False


def _parse_body(plan: ParsedPlan, lines: list[_Line]) -> None:
    state = _BodyState(plan)
    for line in lines:
        if line.blank:
            state.blank = True
            continue
        folded = fold(line.text)
        if _NOISE_RE.fullmatch(folded):
            plan.unrecognised.append(Paragraph(line.text, line.no, line.no))
            continue
        if _SEPARATOR_RE.fullmatch(line.text):
            continue
        _body_line(state, line)
        state.blank = False
    _assign_keys(plan.sections)


def _letter_index(label: str) -> int:
    return _LETTERS.index(label) + 1 if label in _LETTERS else ord(label) - ord("a") + 1


def _ordinal(section: Section) -> int:
    if section.marker == "roman":
        return _roman_value(section.label) or 0
    if section.marker == "letter":
        return _letter_index(section.label)
    return int(section.label.rsplit(".", 1)[-1])


def _check_numbering(plan: ParsedPlan, sections: list[Section], parent: str) -> None:
    previous: dict[str, Section] = {}
    for section in sections:
        before = previous.get(section.marker)
        if before is not None:
            step = _ordinal(section) - _ordinal(before)
            where = f"Mục {parent}" if parent else "Phần thân văn bản"
            if step > 1:
                plan.warn(
                    "NUMBERING_GAP",
                    f"{where}: sau mục {before.label} là mục {section.label} (số thứ tự bị nhảy, "
                    "giữ nguyên như bản gốc).",
                    section.heading.first_line,
                )
            elif step < 1:
                plan.warn(
                    "NUMBERING_ORDER",
                    f"{where}: số thứ tự không tăng dần (sau {before.label} là {section.label}).",
                    section.heading.first_line,
                )
        previous[section.marker] = section
        _check_numbering(plan, section.children, section.clause)


def _collect(sections: Iterable[Section], key: str) -> list[Section]:
    """Top-most sections whose heading covers ``key``."""
    out: list[Section] = []
    for section in sections:
        if key in section.keys:
            out.append(section)
        else:
            out.extend(_collect(section.children, key))
    return out


def _paragraphs_for(
    section: Section, key: str, titles: bool = True
) -> list[tuple[Paragraph, Section]]:
    out: list[tuple[Paragraph, Section]] = []
    if titles:
        out.append((section.heading, section))
    out.extend((p, section) for p in section.paragraphs)
    for child in section.children:
        if not child.keys or key in child.keys:
            out.extend(_paragraphs_for(child, key, titles))
    return out


def _key_paragraphs(
    plan: ParsedPlan, key: str, titles: bool = True
) -> list[tuple[Paragraph, Section]]:
    out: list[tuple[Paragraph, Section]] = []
    for section in _collect(plan.sections, key):
        out.extend(_paragraphs_for(section, key, titles))
    return out


def _all_paragraphs(plan: ParsedPlan) -> list[tuple[Paragraph, Section | None]]:
    out: list[tuple[Paragraph, Section | None]] = [(p, None) for p in plan.preamble]
    for section in plan.walk_sections():
        out.append((section.heading, section))
        out.extend((p, section) for p in section.paragraphs)
    return out


# --------------------------------------------------------------------------------------
# Tail: recipients and signer
# --------------------------------------------------------------------------------------

_RECIPIENTS_RE = re.compile(r"noi\s+nhan\s*:?")
_AUTHORITY_RE = re.compile(r"(?:tm|t/m)\s*\.\s*\S")
_DELEGATION_RE = re.compile(r"(?:kt|tl|tuq|q|k/t|t/l)\s*\.\s*\S")
_POSITION_RE = re.compile(
    r"(?:pho\s+)?(?:chu\s+tich|giam\s+doc|truong\s+phong|truong\s+ban|bi\s+thu|thu\s+truong|"
    r"chanh\s+van\s+phong|hieu\s+truong|chu\s+nhiem|tong\s+giam\s+doc)\b.*"
)
_SIGNED_RE = re.compile(r"\(\s*(?:da\s+ky|ky|ky\s+ten|ky,)[^)]*\)")
_NOTE_RE = re.compile(r"\(\s*(?P<note>[^()]*?)\s*\)\s*$")
_ARCHIVE_RE = re.compile(r"luu\s*:|luu\s+(?:vt|van\s+thu)\b")
_NOTE_ABBREVIATIONS = {
    "b/c": "báo cáo",
    "t/h": "thực hiện",
    "p/h": "phối hợp",
    "c/đ": "chỉ đạo",
    "c/d": "chỉ đạo",
    "t/d": "theo dõi",
    "đ/b": "đăng báo",
    "t/b": "thông báo",
}
_NAME_MIN_WORDS = 2
_NAME_MAX_WORDS = 6


def _expand_note(note: str) -> str:
    words = [_NOTE_ABBREVIATIONS.get(word.lower(), word) for word in note.split()]
    return " ".join(words)


def _looks_like_name(cell: str) -> bool:
    words = cell.split()
    return _NAME_MIN_WORDS <= len(words) <= _NAME_MAX_WORDS and all(
        word[:1].isupper() and word.replace("-", "").isalpha() for word in words
    )


@dataclass
class _TailState:
    in_recipients: bool = False
    authority: str | None = None
    delegation: str | None = None
    title: str | None = None
    name: str | None = None
    signed: str | None = None
    first_line: int | None = None
    last_line: int | None = None

    def touch(self, line_no: int) -> None:
        self.first_line = self.first_line or line_no
        self.last_line = line_no

    def signer(self) -> Signer | None:
        if not (self.authority or self.delegation or self.title or self.name):
            return None
        return Signer(self.authority, self.delegation, self.title, self.name, self.signed)


def _signer_cell(state: _TailState, cell: str, folded: str, line_no: int) -> bool:
    if _AUTHORITY_RE.match(folded):
        state.authority = _squash(cell)
    elif _DELEGATION_RE.match(folded):
        state.delegation = _squash(cell)
    elif _SIGNED_RE.fullmatch(folded):
        state.signed = _squash(cell)
    elif _is_upper(cell) and _POSITION_RE.fullmatch(folded):
        state.title = _squash(cell)
    elif (state.title or state.authority) and state.name is None and _looks_like_name(cell):
        state.name = _squash(cell.title() if _is_upper(cell) else cell)
    else:
        return False
    state.touch(line_no)
    return True


def _add_recipient(plan: ParsedPlan, text: str, line_no: int, new: bool) -> None:
    previous = plan.recipients[-1] if plan.recipients else None
    if not new and previous is not None and not previous.text.endswith((";", ".")):
        previous.text = _squash(f"{previous.text} {text}")
        return
    plan.recipients.append(Recipient(_squash(text), None, False, line_no))


def _finish_recipients(plan: ParsedPlan) -> None:
    """Drop list punctuation, expand the "(để b/c)" notes, flag the "Lưu: VT" line."""
    for recipient in plan.recipients:
        recipient.text = recipient.text.rstrip(" ;,.")
        note = _NOTE_RE.search(recipient.text)
        recipient.note = _expand_note(note.group("note")) if note else None
        recipient.archive = bool(_ARCHIVE_RE.match(fold(recipient.text)))
    plan.recipients = [r for r in plan.recipients if r.text]


def _tail_cell(plan: ParsedPlan, state: _TailState, cell: str, line_no: int) -> None:
    folded = fold(cell)
    header = _RECIPIENTS_RE.match(folded)
    if header:
        state.in_recipients = True
        plan.spans["recipients"] = (line_no, line_no)
        rest = cell[header.end() :].strip()
        if rest:
            _tail_cell(plan, state, rest, line_no)
        return
    if _signer_cell(state, cell, folded, line_no):
        return
    item = _bullet(cell)
    if item is not None and (state.in_recipients or not plan.recipients):
        state.in_recipients = True
        _add_recipient(plan, item, line_no, new=True)
    elif state.in_recipients:
        _add_recipient(plan, cell, line_no, new=False)
    else:
        plan.unrecognised.append(Paragraph(_squash(cell), line_no, line_no))
        return
    if _ARCHIVE_RE.match(fold(plan.recipients[-1].text)):
        state.in_recipients = False  # "Lưu: VT, …" closes the list
    first, _ = plan.spans.get("recipients", (line_no, line_no))
    plan.spans["recipients"] = (first, line_no)


def _parse_tail(plan: ParsedPlan, lines: list[_Line]) -> None:
    state = _TailState()
    for line in lines:
        if line.blank:
            continue
        for cell in _CELL_SPLIT_RE.split(line.raw.strip()):
            if cell.strip():
                _tail_cell(plan, state, cell.strip(), line.no)
    _finish_recipients(plan)
    plan.signer = state.signer()
    if plan.signer and state.first_line and state.last_line:
        plan.spans["signer"] = (state.first_line, state.last_line)


# --------------------------------------------------------------------------------------
# Extraction of fields from the parsed layout
# --------------------------------------------------------------------------------------

_DOC_TYPE = (
    r"ke\s+hoach|quyet\s+dinh|chi\s+thi|cong\s+van|huong\s+dan|thong\s+bao|nghi\s+quyet|"
    r"nghi\s+dinh|thong\s+tu|luat|chuong\s+trinh|ket\s+luan|quy\s+dinh|thong\s+tri|cong\s+dien"
)
_DOC_REF_RE = re.compile(
    rf"\b(?P<type>{_DOC_TYPE})\b(?:\s+[^\s;]+){{0,8}}?\s+so\s*:?\s*"
    r"(?P<num>\d{1,5}[a-z]?(?:/\d{4})?/[a-z0-9][a-z0-9\-&.]*[a-z0-9])"
)
_DOC_TYPE_RE = re.compile(rf"\b(?:{_DOC_TYPE})\b")
_ISSUER_LEAD_RE = re.compile(r"\s*,?\s*(?:cua|do)\s+")
_ISSUER_STOP_RE = re.compile(
    r"\s+(?:ve|v/v|phat\s+dong|huong\s+dan|quy\s+dinh|ban\s+hanh|trien\s+khai|thuc\s+hien|"
    r"to\s+chuc|nham|de|giai\s+doan|thi\s+hanh|sua\s+doi|phe\s+duyet|chao\s+mung|ky\s+niem|ngay|"
    r"nam|tang\s+cuong|day\s+manh|tiep\s+tuc|lanh\s+dao|chi\s+dao|huong\s+ung)\b|[,;.(\n]|$"
)
_CLAUSE_END_RE = re.compile(r";|\n|\.(?:\s|$)")
_DOC_NAMES = {
    "ke hoach": "Kế hoạch",
    "quyet dinh": "Quyết định",
    "chi thi": "Chỉ thị",
    "cong van": "Công văn",
    "huong dan": "Hướng dẫn",
    "thong bao": "Thông báo",
    "nghi quyet": "Nghị quyết",
    "nghi dinh": "Nghị định",
    "thong tu": "Thông tư",
    "luat": "Luật",
    "chuong trinh": "Chương trình",
    "ket luan": "Kết luận",
    "quy dinh": "Quy định",
    "thong tri": "Thông tri",
    "cong dien": "Công điện",
}
_ISSUER_MAX_WORDS = 12
_DATE_AFTER_NUMBER = 4


def _relation(clause: str) -> str:
    folded = fold(clause).lstrip(" -+\u2022")
    if folded.startswith("can cu"):
        return "basis"
    if folded.startswith(("thuc hien", "trien khai", "huong ung")):
        return "implements"
    return "reference"


def _clause_start(folded: str, pos: int) -> int:
    starts = [folded.rfind(mark, 0, pos) for mark in (";", "\n", ". ")]
    best = max(starts)
    return 0 if best < 0 else best + (2 if folded.startswith(". ", best) else 1)


def _issuer_after(text: str, folded: str, pos: int) -> str | None:
    lead = _ISSUER_LEAD_RE.match(folded, pos)
    if not lead:
        return None
    stop = _ISSUER_STOP_RE.search(folded, lead.end())
    end = stop.start() if stop else len(text)
    words = text[lead.end() : end].split()[:_ISSUER_MAX_WORDS]
    return " ".join(words) or None


def _parent_documents(plan: ParsedPlan) -> None:
    """Documents the plan rests on, in the order the preamble cites them."""
    text = "\n".join(p.text for p in plan.preamble)
    folded = fold(text)
    found = _numbered_references(text, folded) + _unnumbered_bases(text, folded)
    plan.parent_documents.extend(doc for _, doc in sorted(found, key=lambda item: item[0]))


def _numbered_references(text: str, folded: str) -> list[tuple[int, ParentDocument]]:
    """ "Kế hoạch số 272/KH-UBND ngày 13/5/2022 của UBND tỉnh Bắc Ninh …"."""
    refs = list(_DOC_REF_RE.finditer(folded))
    out: list[tuple[int, ParentDocument]] = []
    for index, match in enumerate(refs):
        start = match.start()
        number = text[match.start("num") : match.end("num")].rstrip(".-")
        pos = match.start("num") + len(number)
        issued: date | None = None
        dates = find_dates(text[pos : pos + 60])
        if dates and dates[0].start <= _DATE_AFTER_NUMBER and dates[0].precision == "day":
            issued = dates[0].value
            pos += dates[0].end
        clause_end = _CLAUSE_END_RE.search(folded, pos)
        end = clause_end.start() if clause_end else len(text)
        if index + 1 < len(refs):
            end = min(end, refs[index + 1].start())
        doc_text = text[start:end].strip().rstrip(",").strip()
        doc_text = doc_text.removesuffix(" và").rstrip(" ,")
        clause_start = _clause_start(folded, start)
        document = ParentDocument(
            type=_DOC_NAMES.get(" ".join(match.group("type").split())),
            number=number,
            date=issued,
            issuer=_issuer_after(text, folded, pos),
            text=doc_text,
            relation=_relation(text[clause_start:start] or doc_text),
        )
        out.append((start, document))
    return out


def _unnumbered_bases(text: str, folded: str) -> list[tuple[int, ParentDocument]]:
    """Legal bases without a number ("Căn cứ Luật Thi đua, khen thưởng ngày …;")."""
    out: list[tuple[int, ParentDocument]] = []
    for match in re.finditer(r"(?:^|[;\n])\s*(?P<lead>can\s+cu)\s+", folded):
        end_match = _CLAUSE_END_RE.search(folded, match.end())
        end = end_match.start() if end_match else len(text)
        clause = text[match.end() : end].strip()
        if not clause or _DOC_REF_RE.search(folded, match.start("lead"), end):
            continue
        type_match = _DOC_TYPE_RE.search(folded, match.end(), end)
        dates = find_dates(clause)
        document = ParentDocument(
            type=_DOC_NAMES.get(" ".join(type_match.group().split())) if type_match else None,
            number=None,
            date=dates[0].value if dates else None,
            issuer=None,
            text=clause,
            relation="basis",
        )
        out.append((match.end(), document))
    return out


_ISSUED_BY_RE = re.compile(rf"\s+(?:ban\s+hanh|xay\s+dung)\s+(?:{_DOC_TYPE})\b")
_ORG_IN_TEXT_RE = re.compile(
    r"\b(?:ubnd|uy\s+ban\s+nhan\s+dan|hdnd|hoi\s+dong|phong|so|ban|dang\s+uy|trung\s+tam|"
    r"truong|doan|hoi)\b"
)


def _issuer_from_preamble(plan: ParsedPlan) -> None:
    for para in plan.preamble:
        folded = fold(para.text)
        for match in _ISSUED_BY_RE.finditer(folded):
            clause_start = _clause_start(folded, match.start())
            heads = list(_ORG_IN_TEXT_RE.finditer(folded, clause_start, match.start()))
            if not heads:
                continue
            issuer = _squash(para.text[heads[0].start() : match.start()])
            if issuer:
                plan.issuer = issuer
                plan.issuer_short = _issuer_short(issuer)
                plan.spans["issuer"] = (para.first_line, para.last_line)
                plan.warn(
                    "ISSUER_FROM_PREAMBLE",
                    f"Không có phần tiêu đề cơ quan; cơ quan ban hành lấy từ phần mở đầu: {issuer}.",
                    para.first_line,
                )
                return


_ANNIVERSARY_RE = re.compile(
    r"\b(?:ky\s+niem\s+)?(?P<n>\d{1,4})\s+nam\s+(?:ngay|thanh\s+lap|xay\s+dung|truyen\s+thong|"
    r"chien\s+thang|giai\s+phong|tai\s+lap)"
)


def _occasion(plan: ParsedPlan) -> None:
    if not plan.title:
        return
    found = _find_range(plan.title)
    if found and found[3] is not None:
        dates = [d for d in find_dates(plan.title) if d.end == found[1]]
        if dates and dates[0].precision == "day":
            plan.occasion_date = found[3]
    match = _ANNIVERSARY_RE.search(fold(plan.title))
    if match:
        plan.anniversary_years = int(match.group("n"))


def _period(plan: ParsedPlan) -> None:
    default_year = plan.issued_year
    candidates = [p for p, _ in _key_paragraphs(plan, "TIME")]
    candidates += [p for p, _ in _all_paragraphs(plan) if re.match(r"\s*thoi\s+gian", fold(p.text))]
    for para in candidates:
        found = _find_range(para.text, default_year)
        if found:
            plan.period_start, plan.period_end = found[2], found[3]
            plan.period_text = para.text[found[0] : found[1]]
            plan.spans["period"] = (para.first_line, para.last_line)
            return
        years = [d for d in find_dates(para.text, default_year) if d.precision == "year"]
        if years:
            plan.period_start, plan.period_end = years[0].first, years[0].last
            plan.period_text = years[0].text
            plan.spans["period"] = (para.first_line, para.last_line)
            return
    plan.warn("PERIOD_MISSING", "Không xác định được thời gian thực hiện đợt thi đua.")


# Activity forms ------------------------------------------------------------------------

_FORM_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("SEMINAR", "tọa đàm", re.compile(r"\btoa\s+dam\b")),
    ("TALK", "nói chuyện chuyên đề", re.compile(r"\bnoi\s+chuyen(?:\s+chuyen\s+de)?\b")),
    (
        "PHOTO_EXHIBITION",
        "triển lãm ảnh",
        re.compile(r"\btrien\s+lam\s+(?:anh|hinh\s+anh|tranh\s+anh|tranh,\s*anh)\b"),
    ),
    (
        "BOOK_DISPLAY",
        "trưng bày sách",
        re.compile(r"\btrung\s+bay(?:,?\s+gioi\s+thieu)?\s+sach\b|\bgioi\s+thieu\s+sach\b"),
    ),
    (
        "CONTEST",
        "cuộc thi tìm hiểu",
        re.compile(
            r"\b(?:cuoc|hoi)\s+thi\b(?:\s+tim\s+hieu\b)?|\bthi\s+(?:tim\s+hieu|viet|trac\s+nghiem|"
            r"truc\s+tuyen)\b"
        ),
    ),
    (
        "MEDIA",
        "tuyên truyền trên phương tiện thông tin",
        re.compile(r"\btuyen\s+truyen\s+(?:tren|qua)\b|\bchuyen\s+(?:trang|muc)\b"),
    ),
    ("OTHER", "hội thảo", re.compile(r"\bhoi\s+thao\b")),
    ("OTHER", "mít tinh", re.compile(r"\bmit\s+tinh\b")),
    ("OTHER", "văn nghệ", re.compile(r"\bvan\s+nghe\b")),
    ("OTHER", "thể dục thể thao", re.compile(r"\b(?:the\s+duc\s+)?the\s+thao\b|\bhoi\s+thao\b")),
    ("OTHER", "giao lưu", re.compile(r"\bgiao\s+luu\b")),
    ("OTHER", "triển lãm", re.compile(r"\btrien\s+lam\b")),
    ("OTHER", "trưng bày", re.compile(r"\btrung\s+bay\b")),
    ("OTHER", "dâng hương", re.compile(r"\bdang\s+huong\b")),
)


def _mask_agencies(folded: str) -> str:
    for start, end, _ in _agency_spans(folded):
        folded = folded[:start] + " " * (end - start) + folded[end:]
    return folded


def _forms_in(text: str) -> list[FormMention]:
    folded = _mask_agencies(fold(text))
    hits: list[tuple[int, int, int]] = []
    for index, (_, _, pattern) in enumerate(_FORM_PATTERNS):
        hits.extend((m.start(), -(m.end() - m.start()), index) for m in pattern.finditer(folded))
    hits.sort()
    out: list[FormMention] = []
    end = -1
    for start, negative_length, index in hits:
        if start < end:
            continue
        end = start - negative_length
        code, label, _ = _FORM_PATTERNS[index]
        out.append(FormMention(code, label, text[start:end]))
    return out


def _forms(plan: ParsedPlan) -> None:
    paragraphs = [p for p, _ in _key_paragraphs(plan, "FORMS")]
    if not paragraphs:
        paragraphs = [p for p, _ in _key_paragraphs(plan, "CONTENT")]
    texts = [p.text for p in paragraphs]
    if plan.title:
        texts.append(plan.title)
    seen: set[tuple[str, str]] = set()
    for text in texts:
        for mention in _forms_in(text):
            key = (mention.code, mention.label)
            if key not in seen:
                seen.add(key)
                plan.forms.append(mention)


# Participants --------------------------------------------------------------------------

_MARKER_RE = re.compile(
    r"(?:doi\s+voi\s+)?(?:cac\s+)?(?P<who>tap\s+the|ca\s+nhan)(?:\s+du\s+thi)?\s*:"
)
_PARTICIPANTS_COLON_RE = re.compile(r"[^:]*\b(?:doi\s+tuong|thanh\s+phan)\b[^:]*:")
_ITEM_LEAD_RE = re.compile(
    r"(?:cac|nhung|toan\s+the|tat\s+ca|moi)\s+(?:tang\s+lop\s+)?|(?:cac|moi)\s+tang\s+lop\s+"
)
_ITEM_CUT_RE = re.compile(
    r"\s+(?:tren\s+dia\s+ban|dang\s+(?:cong\s+tac|sinh\s+song|hoc\s+tap|lam\s+viec)|thuoc|tai|"
    r"trong\s+va\s+ngoai|co\s+thanh\s+tich|tham\s+gia)\b"
)
_INDIVIDUAL_RE = re.compile(
    r"(?:can\s+bo|cong\s+chuc|vien\s+chuc|dang\s+vien|nguoi\s+lao\s+dong|cong\s+nhan|nhan\s+dan|"
    r"hoc\s+sinh|sinh\s+vien|giao\s+vien|doan\s+vien|hoi\s+vien|chien\s+si|luc\s+luong\s+vu\s+trang|"
    r"nguoi\s+dan|thanh\s+nien|cuu\s+chien\s+binh|phu\s+nu|nong\s+dan|ca\s+nhan|nha\s+giao|"
    r"y\s+bac\s+si|thieu\s+nhi|nguoi)\b"
)


def _without_scope(text: str) -> str:
    """Drop scope phrases up to the next ";" ("… đang công tác tại các cơ quan, đơn vị;")."""
    folded = fold(text)
    out: list[str] = []
    pos = 0
    for cut in _ITEM_CUT_RE.finditer(folded):
        if cut.start() < pos:
            continue
        out.append(text[pos : cut.start()])
        end = folded.find(";", cut.end())
        pos = len(text) if end == -1 else end
    out.append(text[pos:])
    return "".join(out)


def _participant_items(text: str) -> list[str]:
    items: list[str] = []
    for part in _split_plain(_without_scope(text)):
        item = part.strip()
        folded = fold(item)
        lead = _ITEM_LEAD_RE.match(folded)
        if lead:
            item, folded = item[lead.end() :], folded[lead.end() :]
        cut = _ITEM_CUT_RE.search(folded)
        if cut:
            item = item[: cut.start()]
        item = _strip_punct(_PAREN_RE.sub(" ", item))
        if item and any(c.isalpha() for c in item):
            items.append(_decapitalise(_squash(item)))
    return items


def _split_plain(text: str) -> list[str]:
    """Split an enumeration on ",", ";" and "và" (no agency protection)."""
    folded = fold(text)
    parts: list[str] = []
    pos = 0
    for match in _SPLIT_RE.finditer(folded):
        parts.append(text[pos : match.start()])
        pos = match.end()
    parts.append(text[pos:])
    return parts


def _add_unique(target: list[str], items: Iterable[str]) -> None:
    for item in items:
        if item not in target:
            target.append(item)


def _participants(plan: ParsedPlan) -> None:
    pairs = _key_paragraphs(plan, "PARTICIPANTS")
    for para, _ in pairs:
        folded = fold(para.text)
        markers = list(_MARKER_RE.finditer(folded))
        for index, marker in enumerate(markers):
            end = markers[index + 1].start() if index + 1 < len(markers) else len(folded)
            items = _participant_items(para.text[marker.end() : end])
            target = (
                plan.participants_collective
                if marker.group("who").startswith("tap")
                else plan.participants_individual
            )
            _add_unique(target, items)
        if not markers:
            colon = _PARTICIPANTS_COLON_RE.match(folded)
            if colon:
                _classify_participants(plan, _participant_items(para.text[colon.end() :]))
    if plan.participants_collective or plan.participants_individual:
        return
    for para, section in pairs:
        if para is not section.heading:
            _classify_participants(plan, _participant_items(para.text))


def _classify_participants(plan: ParsedPlan, items: list[str]) -> None:
    for item in items:
        target = (
            plan.participants_individual
            if _INDIVIDUAL_RE.match(fold(item))
            else plan.participants_collective
        )
        _add_unique(target, [item])


# Awards --------------------------------------------------------------------------------

_AWARD_NAMES: tuple[tuple[str, str, str], ...] = (
    ("BANG_KHEN", "Bằng khen", r"bang\s+khen"),
    ("GIAY_KHEN", "Giấy khen", r"giay\s+khen"),
    ("CO_THI_DUA", "Cờ thi đua", r"co\s+thi\s+dua"),
    ("GIAY_CHUNG_NHAN", "Giấy chứng nhận", r"giay\s+chung\s+nhan"),
    ("KY_NIEM_CHUONG", "Kỷ niệm chương", r"ky\s+niem\s+chuong"),
)
_AWARD_RE = re.compile(
    "|".join(f"(?P<{code}>\\b{pattern}\\b)" for code, _, pattern in _AWARD_NAMES)
)
_SIGNER_HEAD = (
    r"chu\s+tich|giam\s+doc|thu\s+tuong|bo\s+truong|truong\s+ban|truong\s+phong|thu\s+truong|"
    r"bi\s+thu|ban\s+chap\s+hanh|ban\s+thuong\s+vu|uy\s+ban\s+nhan\s+dan|ubnd"
)
_SIGNER_AFTER_RE = re.compile(rf"\s+(?:cua\s+)?(?P<s>(?:{_SIGNER_HEAD})\b)")
_SIGNER_STOP_RE = re.compile(
    r"\s+(?:cho|doi\s+voi|de|va|tang|khen\s+thuong|ve|theo|co|nam|dot|khi)\b|[,;.(:]|$"
)
_SIGNER_BEFORE_RE = re.compile(
    rf"(?P<s>(?:{_SIGNER_HEAD})\b[^,;.]{{0,80}}?)\s+(?:xet\s+)?(?:tang|khen\s+thuong)(?:\s+thuong)?\s*$"
)
_QUOTA_RE = re.compile(
    r"(?:(?P<cap>khong\s+qua|toi\s+da|moi)\s+)?(?P<n>\d{1,3})\s+(?P<who>tap\s+the|ca\s+nhan)\b"
)
_PRIZE_RE = re.compile(
    r"(?P<n>\d{1,3})\s+giai\s+(?P<tier>nhat|nhi|ba|khuyen\s+khich|dac\s+biet|tap\s+the|phu)\b"
)
_UBND_LONG_RE = re.compile(r"\buy\s+ban\s+nhan\s+dan\b")
_SENTENCE_END_RE = re.compile(r"[.;!?](?=\s|$)|\n")


def _sentence_bounds(folded: str, start: int, end: int) -> tuple[int, int]:
    left = 0
    for match in _SENTENCE_END_RE.finditer(folded, 0, start):
        left = match.end()
    right_match = _SENTENCE_END_RE.search(folded, end)
    return left, right_match.start() if right_match else len(folded)


def _signer_of(text: str, folded: str, match: re.Match[str], sentence_start: int) -> str | None:
    after = _SIGNER_AFTER_RE.match(folded, match.end())
    if after:
        stop = _SIGNER_STOP_RE.search(folded, after.end("s"))
        signer = text[after.start("s") : stop.start() if stop else len(text)]
    else:
        before = _SIGNER_BEFORE_RE.search(folded, sentence_start, match.start())
        if not before:
            return None
        signer = text[before.start("s") : before.end("s")]
    signer = _replace_folded(_squash(signer), _UBND_LONG_RE, lambda _: "UBND")
    return _capitalise(signer) or None


def _targets(scope: str) -> tuple[str | None, int | None, int | None]:
    collective = bool(re.search(r"\btap\s+the\b", scope))
    individual = bool(re.search(r"\bca\s+nhan\b", scope))
    quota_c: int | None = None
    quota_i: int | None = None
    for quota in _QUOTA_RE.finditer(scope):
        if quota.group("cap") == "moi":
            continue
        if quota.group("who").startswith("tap"):
            quota_c = (quota_c or 0) + int(quota.group("n"))
        else:
            quota_i = (quota_i or 0) + int(quota.group("n"))
    target = {(True, True): "both", (True, False): "collective", (False, True): "individual"}.get(
        (collective, individual)
    )
    return target, quota_c, quota_i


def _awards_in(plan: ParsedPlan, para: Paragraph, clause: str | None) -> None:
    text = para.text
    folded = fold(text)
    mentions = list(_AWARD_RE.finditer(folded))
    for index, match in enumerate(mentions):
        code = match.lastgroup or ""
        name = next(label for c, label, _ in _AWARD_NAMES if c == code)
        sent_start, sent_end = _sentence_bounds(folded, match.start(), match.end())
        signer = _signer_of(text, folded, match, sent_start)
        following = [m for m in mentions[index + 1 :] if m.start() < sent_end]
        own_end = following[0].start() if following else sent_end
        target, quota_c, quota_i = _targets(folded[match.end() : own_end])
        if target is None and following:
            shared_start = following[-1].end()
            target, _, _ = _targets(folded[shared_start:sent_end])
        quota = (quota_c or 0) + (quota_i or 0) or None
        _merge_award(
            plan,
            AwardForm(
                name=name,
                kind=code,
                signer=signer,
                target=target,
                quota=quota,
                quota_collective=quota_c,
                quota_individual=quota_i,
                text=_squash(text[sent_start:sent_end]),
                clause=clause,
            ),
        )


def _merge_award(plan: ParsedPlan, award: AwardForm) -> None:
    for existing in plan.award_forms:
        if existing.kind == award.kind and fold(existing.signer or "") == fold(award.signer or ""):
            existing.target = existing.target or award.target
            if existing.quota is None and award.quota is not None:
                existing.quota = award.quota
                existing.quota_collective = award.quota_collective
                existing.quota_individual = award.quota_individual
            return
        if existing.kind == award.kind and award.signer is None:
            return
    plan.award_forms.append(award)


def _awards(plan: ParsedPlan) -> None:
    pairs: list[tuple[Paragraph, Section | None]] = list(_key_paragraphs(plan, "AWARDS"))
    if not pairs:
        pairs = _all_paragraphs(plan)
    for para, section in pairs:
        clause = section.clause if section else None
        _awards_in(plan, para, clause)
        for prize in _PRIZE_RE.finditer(fold(para.text)):
            tier = para.text[prize.start("tier") : prize.end("tier")]
            plan.prizes.append(Prize(tier, int(prize.group("n")), clause))
    plan.standards = [
        p.text for p, s in _key_paragraphs(plan, "STANDARDS", titles=False) if p is not s.heading
    ]
    plan.annual_evaluation_basis = any(
        re.search(r"\bxet\s+hoan\s+thanh\s+nhiem\s+vu\b", fold(p.text))
        for p, _ in _all_paragraphs(plan)
    )
    if not plan.award_forms:
        plan.warn("AWARDS_MISSING", "Không tìm thấy hình thức khen thưởng (Bằng khen, Giấy khen…).")


# Assignments, deadlines, standing agency -----------------------------------------------

_REPORT_WORDS_RE = re.compile(r"\b(?:bao\s+cao|gui\s+ve|gui\s+bao|nop\s+ve)\b")
_REPORT_TO_RE = re.compile(r"\b(?:bao\s+cao|phan\s+anh|gui)\b[^.;]{0,300}?\bve\s+")
_REPORT_TO_STOP_RE = re.compile(
    r"\s*\(|\s+(?:truoc|cham\s+nhat|de|trong|vao|theo|dinh\s+ky|ket\s+qua)\b|[,.;:]|$"
)
_VIA_RE = re.compile(r"\(\s*qua\s+(?P<via>[^)]+)\)")
_STANDING_RE = re.compile(r"(?:\(\s*(?:la\s+)?|\b(?:la|lam)\s+)(?:co\s+quan\s+)?thuong\s+truc\b")
_VIA_ANY_RE = re.compile(r"\bqua\s+(?=phong|van\s+phong|so|ban)")
_DEADLINE_QUALIFIERS = {"before", "by", "until"}


def _deadline_dates(text: str, default_year: int | None) -> list[FoundDate]:
    dates = find_dates(text, default_year)
    out: list[FoundDate] = []
    for index, found in enumerate(dates):
        previous = dates[index - 1] if index else None
        in_range = previous is not None and previous.qualifier == "from"
        if found.qualifier in _DEADLINE_QUALIFIERS and not in_range:
            out.append(found)
    return out


def _report_target(text: str) -> tuple[str | None, str | None]:
    folded = fold(text)
    match = _REPORT_TO_RE.search(folded)
    if not match:
        return None, None
    stop = _REPORT_TO_STOP_RE.search(folded, match.end())
    target = text[match.end() : stop.start() if stop else len(text)]
    names = split_agencies(target)
    via_match = _VIA_RE.match(folded, stop.start() if stop else len(text))
    via: str | None = None
    if via_match is None:
        via_match = _VIA_RE.search(folded, match.end(), min(len(folded), match.end() + 120))
    if via_match:
        via_names = split_agencies(text[via_match.start("via") : via_match.end("via")])
        via = via_names[0] if via_names else None
    return (names[0] if names else None), via


def _assignments(plan: ParsedPlan) -> None:
    implementations = _collect(plan.sections, "IMPLEMENTATION")
    if not implementations:
        plan.warn(
            "IMPLEMENTATION_MISSING",
            "Không tìm thấy mục Tổ chức thực hiện; chưa tách được nhiệm vụ cho các cơ quan.",
        )
        return
    section = implementations[0]
    items: list[tuple[str, str, str, int]] = [
        (child.clause, child.label, child.full_text(), child.heading.first_line)
        for child in section.children
    ]
    if not items:
        items = [
            (section.clause, str(index), para.text, para.first_line)
            for index, para in enumerate(section.paragraphs, start=1)
        ]
    for clause, label, text, line in items:
        first_line = text.split("\n", 1)[0]
        agencies = extract_agencies(first_line)
        deadlines = _deadline_dates(
            text, plan.issued_year or (plan.period_end.year if plan.period_end else None)
        )
        report_to, report_via = _report_target(text)
        plan.assignments.append(
            AssignmentItem(
                clause=clause,
                label=label,
                agencies=agencies,
                text=text,
                deadline=deadlines[0].value if deadlines else None,
                deadline_exclusive=(deadlines[0].qualifier == "before") if deadlines else None,
                report_to=report_to,
                report_via=report_via,
                line=line,
            )
        )
        if not agencies:
            plan.warn(
                "ASSIGNEE_MISSING",
                f"Nhiệm vụ {clause}: không xác định được cơ quan thực hiện.",
                line,
            )


def _deadlines(plan: ParsedPlan) -> None:
    time_sections = {
        id(s) for key_section in _collect(plan.sections, "TIME") for s in key_section.walk()
    }
    default_year = plan.issued_year or (plan.period_end.year if plan.period_end else None)
    seen: set[tuple[str | None, date]] = set()
    for para, section in _all_paragraphs(plan):
        if section is None or id(section) in time_sections:
            continue
        folded = fold(para.text)
        for found in _deadline_dates(para.text, default_year):
            key = (section.clause, found.value)
            if key in seen:
                continue
            seen.add(key)
            start, end = _sentence_bounds(folded, found.start, found.end)
            sentence = folded[start:end]
            plan.deadlines.append(
                Deadline(
                    clause=section.clause,
                    date=found.value,
                    exclusive=found.qualifier == "before",
                    kind="report" if _REPORT_WORDS_RE.search(sentence) else "task",
                    text=_squash(para.text[start:end]),
                )
            )
            if plan.deadlines[-1].kind == "report":
                plan.spans.setdefault("report_deadline", (para.first_line, para.last_line))
    reports = [d for d in plan.deadlines if d.kind == "report"]
    if reports:
        latest = max(reports, key=lambda d: d.date)
        plan.report_deadline = latest.date
        plan.report_deadline_exclusive = latest.exclusive
    else:
        plan.warn("REPORT_DEADLINE_MISSING", "Không tìm thấy thời hạn báo cáo kết quả.")


def _standing_agency(plan: ParsedPlan) -> None:
    pairs = _all_paragraphs(plan)
    for para, _ in pairs:
        folded = fold(para.text)
        match = _STANDING_RE.search(folded)
        if not match:
            continue
        start = _clause_start(folded, match.start())
        names = extract_agencies(para.text[start : match.start()])
        if names:
            plan.standing_agency = names[0]
            plan.spans["standing_agency"] = (para.first_line, para.last_line)
            return
    for para, _ in pairs:
        folded = fold(para.text)
        match = _VIA_ANY_RE.search(folded)
        if match:
            names = split_agencies(para.text[match.end() :].split(")")[0].split(",")[0])
            if names:
                plan.standing_agency = names[0]
                plan.spans["standing_agency"] = (para.first_line, para.last_line)
                return
    plan.warn("STANDING_AGENCY_MISSING", "Không tìm thấy cơ quan thường trực.")


# --------------------------------------------------------------------------------------
# Document layout: header, title, body, tail
# --------------------------------------------------------------------------------------


def _split_lines(text: str) -> list[_Line]:
    return [
        _Line(no, raw.rstrip(), _squash(raw)) for no, raw in enumerate(text.split("\n"), start=1)
    ]


def _find_kind(lines: list[_Line]) -> tuple[int, str, str] | None:
    seen = 0
    for index, line in enumerate(lines):
        if line.blank:
            continue
        seen += 1
        if seen > _KIND_SCAN_LINES:
            break
        heading = _heading(line.text)
        if heading is not None and heading.marker == "roman":
            break
        kind = _kind_of(line.text)
        if kind is not None:
            return index, kind[0], kind[1]
    return None


def _header_only(line: _Line) -> bool:
    probe = ParsedPlan()
    header = _Header()
    _header_line(probe, line, header)
    return header.recognised > 0 and not header.leftovers


def _title_block(plan: ParsedPlan, lines: list[_Line], start: int, first_text: str) -> int:
    """Read the summary lines after the type word; return the index after them."""
    parts: list[str] = [first_text] if first_text else []
    first_no: int | None = lines[start - 1].no if first_text else None
    last_no = first_no
    index = start
    while index < len(lines) and lines[index].blank and not parts:
        index += 1
    while index < len(lines) and len(parts) < _TITLE_MAX_LINES:
        line = lines[index]
        if line.blank:
            break
        if _SEPARATOR_RE.fullmatch(line.text):
            index += 1
            break
        folded = fold(line.text)
        lead = _PREAMBLE_LEAD_RE.match(folded)
        if _heading(line.text) or (
            lead and (folded.startswith("can cu") or (parts and line.text[:1].isupper()))
        ):
            break
        parts.append(line.text)
        first_no = first_no or line.no
        last_no = line.no
        index += 1
    if parts:
        title = _squash(" ".join(parts))
        plan.title = title
        plan.summary = re.sub(r"^(?:V/v|v/v|Về việc|về việc)\s*:?\s*", "", title)
        if first_no and last_no:
            plan.spans["title"] = (first_no, last_no)
    return index


def _body_end(lines: list[_Line], start: int) -> tuple[int, bool]:
    """Index where the body stops: a "./." line (kept, ``True``), "Nơi nhận" or a signature."""
    for index in range(start, len(lines)):
        line = lines[index]
        if line.blank:
            continue
        folded = fold(_CELL_SPLIT_RE.split(line.raw.strip())[0])
        if _RECIPIENTS_RE.match(folded) or _AUTHORITY_RE.match(folded):
            return index, False
        if _END_MARK_RE.search(line.raw):
            return index, True
    return len(lines), False


def _split_end_line(line: _Line) -> tuple[_Line, _Line | None]:
    """Split the "./." line into its body text and any cells after it (a signer column)."""
    mark = _END_MARK_RE.search(line.raw)
    if mark is None:
        return line, None
    body = line.raw[: mark.start()].rstrip()
    if body.strip() and not body.endswith(_TERMINAL):
        body += "."
    rest = line.raw[mark.end() :].strip()
    tail = _Line(line.no, rest, _squash(rest)) if rest else None
    return _Line(line.no, body, _squash(body)), tail


def _layout(plan: ParsedPlan, lines: list[_Line]) -> tuple[list[_Line], list[_Line]]:
    header = _Header()
    kind = _find_kind(lines)
    if kind is not None:
        kind_index, plan.kind, rest = kind
        plan.spans["kind"] = (lines[kind_index].no, lines[kind_index].no)
        for line in lines[:kind_index]:
            if not line.blank:
                _header_line(plan, line, header)
        body_start = _title_block(plan, lines, kind_index + 1, rest)
    else:
        body_start = 0
        while body_start < len(lines) and (
            lines[body_start].blank or _header_only(lines[body_start])
        ):
            if not lines[body_start].blank:
                _header_line(plan, lines[body_start], header)
            body_start += 1
        plan.warn("KIND_MISSING", "Không tìm thấy loại văn bản (ví dụ: KẾ HOẠCH).")
    _apply_header(plan, header)
    end, marked = _body_end(lines, body_start)
    if not marked:
        return lines[body_start:end], lines[end:]
    last, extra = _split_end_line(lines[end])
    tail = lines[end + 1 :]
    return [*lines[body_start:end], last], ([extra, *tail] if extra else tail)


# --------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------


def _guarded(plan: ParsedPlan, stage: str, step: Callable[[ParsedPlan], None]) -> None:
    try:
        step(plan)
    except Exception:  # a parser bug must not lose the pasted text
        plan.warn(
            "INTERNAL_ERROR",
            f"Lỗi khi phân tích phần {stage}; phần này cần nhập tay.",
        )


def _warn_header(plan: ParsedPlan) -> None:
    if plan.number is None:
        if plan.number_symbol:
            plan.warn(
                "NUMBER_MISSING",
                f"Văn bản chưa có số (Số: …/{plan.number_symbol}); số được cấp khi ban hành.",
            )
        else:
            plan.warn("NUMBER_MISSING", "Không tìm thấy số, ký hiệu văn bản (Số: …/KH-…).")
    if plan.issued_date is None:
        plan.warn("DATE_MISSING", "Chưa có ngày ban hành (…, ngày … tháng … năm …).")
    if plan.title is None:
        plan.warn("TITLE_MISSING", "Không tìm thấy trích yếu (tên kế hoạch) sau chữ KẾ HOẠCH.")


def _warn_rest(plan: ParsedPlan) -> None:
    if plan.issuer is None:
        plan.warn("ISSUER_MISSING", "Không xác định được cơ quan ban hành.")
    if not plan.sections:
        plan.warn(
            "SECTIONS_MISSING",
            "Không nhận diện được các mục I, II, III…; toàn bộ nội dung được giữ ở phần mở đầu.",
        )
    if not plan.recipients:
        plan.warn("RECIPIENTS_MISSING", "Không tìm thấy phần Nơi nhận.")
    if plan.signer is None:
        plan.warn(
            "SIGNER_MISSING",
            "Chưa có người ký (thường là TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH).",
        )
    if plan.unrecognised:
        plan.warn(
            "UNRECOGNISED_LINES",
            f"Có {len(plan.unrecognised)} dòng không nhận diện được; đã giữ nguyên để kiểm tra.",
            plan.unrecognised[0].first_line,
        )


def parse_plan(text: str) -> ParsedPlan:
    """Turn the pasted text of a Vietnamese plan (kế hoạch) into a ``ParsedPlan``.

    Never raises on odd input; parts it cannot place go to ``unrecognised`` and each
    gap or doubt to ``warnings`` (Vietnamese messages for staff).
    """
    plan = ParsedPlan()
    if not isinstance(text, str) or not text.strip():
        plan.warn("EMPTY", "Văn bản trống.")
        return plan
    lines = _split_lines(normalise_text(text))
    body: list[_Line] = lines
    tail: list[_Line] = []

    def layout(p: ParsedPlan) -> None:
        nonlocal body, tail
        body, tail = _layout(p, lines)

    _guarded(plan, "tiêu đề", layout)
    _guarded(plan, "nội dung", lambda p: _parse_body(p, body))
    _guarded(plan, "nơi nhận và chữ ký", lambda p: _parse_tail(p, tail))
    _warn_header(plan)
    _guarded(plan, "đánh số mục", lambda p: _check_numbering(p, p.sections, ""))
    steps: tuple[tuple[str, Callable[[ParsedPlan], None]], ...] = (
        ("văn bản căn cứ", _parent_documents),
        ("cơ quan ban hành", lambda p: None if p.issuer else _issuer_from_preamble(p)),
        ("dịp kỷ niệm", _occasion),
        ("thời gian", _period),
        ("hình thức tổ chức", _forms),
        ("đối tượng thi đua", _participants),
        ("khen thưởng", _awards),
        ("tổ chức thực hiện", _assignments),
        ("thời hạn", _deadlines),
        ("cơ quan thường trực", _standing_agency),
    )
    for stage, step in steps:
        _guarded(plan, stage, step)
    _warn_rest(plan)
    return plan


def text_from_docx(data: bytes) -> str:
    """Text of a .docx in reading order, one paragraph per line.

    Tables (the two-column header and signature blocks) are read row by row, cell by
    cell; a merged cell is read once; a blank line follows each table.

    Raises ValueError if ``data`` is not a readable .docx file.
    """
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for a bad package
        raise ValueError("Tệp không phải là tài liệu Word (.docx) hợp lệ.") from exc
    lines: list[str] = []

    def walk(items: Iterable[Any]) -> None:
        for item in items:
            if isinstance(item, Table):
                seen: list[Any] = []  # cell elements; kept alive so identity is reliable
                for row in item.rows:
                    for cell in row.cells:
                        if any(cell._tc is element for element in seen):
                            continue
                        seen.append(cell._tc)
                        walk(cell.iter_inner_content())
                lines.append("")
            else:
                lines.extend(str(item.text).split("\n"))

    walk(document.iter_inner_content())
    return "\n".join(lines)
