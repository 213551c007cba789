"""Agency names: known aliases, splitting enumerations, the subject of an assignment."""

from __future__ import annotations

import re

from thidua.campaigns.parsing.text import (
    capitalise,
    fold,
    normalise_text,
    squash,
    strip_punct,
    word_count,
)

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
    (
        "Phòng Kinh tế, Hạ tầng và Đô thị",  # wards after the 2025 reform
        ("phòng kinh tế, hạ tầng và đô thị", "phòng KT, HT&ĐT", "phòng KTHTĐT"),
    ),
    ("Phòng Kinh tế và Hạ tầng", ("phòng kinh tế và hạ tầng", "phòng KT&HT", "phòng KTHT")),
    ("Phòng Văn hóa - Xã hội", ("phòng văn hóa - xã hội", "phòng VH-XH", "phòng VHXH")),
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
    r"so|phong|ban|nganh|doan\s+the|hoi",
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

_AGENCY_HEAD_RE = re.compile(
    r"(?:cac\s+|nhung\s+|toan\s+the\s+)?(?:phong|ban|so|trung\s+tam|mat\s+tran|uy\s+ban|ubnd|"
    r"ubmttq|mttq|hdnd|hoi\s+dong|doan|hoi|dang\s+uy|thanh\s+uy|huyen\s+uy|tinh\s+uy|cong\s+an|"
    r"quan\s+su|van\s+phong|dai|truong|cong\s+chuc|thu\s+truong|chu\s+tich|dia\s+phuong|"
    r"co\s+quan|don\s+vi|khoi|cum|to\s+dan\s+pho|thon|khu\s+pho|xa|phuong|thi\s+tran|huyen|"
    r"nganh|doanh\s+nghiep|lien\s+doan|chi\s+cuc|chi\s+nhanh|cong\s+doan|bi\s+thu|"
    r"to\s+chuc\s+(?:doan\s+the|chinh\s+tri|dang|co\s+so)|cong\s+thong\s+tin|thanh\s+vien|"
    r"giam\s+doc|hieu\s+truong|ban\s+giam\s+khao|chi\s+hoi|chi\s+bo|hop\s+tac\s+xa|"
    r"tinh\s+doan|thanh\s+doan|huyen\s+doan|bao(?!\s+cao)|dang\s+bo|bo\s+phan|truong\s+(?:thon|ban|khu)|"
    r"to\s+truong|ban\s+cong\s+tac\s+mat\s+tran|dai\s+truyen\s+thanh)\b"
)
_CONTINUES_RE = re.compile(r"\s*(?:,|\bva\b)\s*\w")  # the name goes on past a known one
_GROUP_LEAD_RE = re.compile(r"(?:cac|nhung|toan\s+the|tt|thuong\s+truc)\s+")  # "TT HĐND"
# Heads that name a whole body alone ("Tỉnh đoàn"); others need a name after them.
_WHOLE_HEAD_RE = re.compile(
    r"(?:tinh|thanh|huyen)\s+(?:doan|uy)|dang\s+uy|cong\s+an|ubnd|hdnd|ubmttq|mttq"
)
_LEAD_WORDS_RE = re.compile(
    r"\s*(?:giao\s+cho|giao|de\s+nghi|yeu\s+cau|phan\s+cong|doi\s+voi|"
    r"(?:trach\s+nhiem|nhiem\s+vu)(?:\s+cua)?)\s+"
)
_SUBJECT_STOP_RE = re.compile(
    r"\s*:|\b(?:la|quan\s+triet|pho\s+bien|thanh\s+lap|thong\s+bao|dang\s+ky|phu\s+trach|"
    r"ho\s+tro|huy\s+dong|tao\s+dieu\s+kien|chu\s+tri|phoi\s+hop|can\s+cu|co\s+trach\s+nhiem|"
    r"chiu\s+trach\s+nhiem|la\s+co\s+quan|lam\s+co\s+quan|la\s+thuong\s+truc|la\s+dau\s+moi|"
    r"tham\s+muu|to\s+chuc|xay\s+dung|trien\s+khai|huong\s+dan|theo\s+doi|day\s+manh|thuc\s+hien|"
    r"tuyen\s+truyen|bao\s+cao|ban\s+hanh|phan\s+anh|giup|don\s+doc|bo\s+tri|can\s+doi|dam\s+bao|"
    r"bao\s+dam|kiem\s+tra|tich\s+cuc|chu\s+dong|tang\s+cuong|phat\s+dong|van\s+dong|nghien\s+cuu|"
    r"lua\s+chon|de\s+xuat|tham\s+dinh|tong\s+hop|quan\s+tam|chi\s+dao|cap\s+nhat|huong\s+ung|"
    r"gui|lap|nam\s+bat|ra\s+soat|xem\s+xet|tiep\s+nhan|chuan\s+bi|cung\s+cap|phan\s+cong|"
    r"dua\s+tin|dang\s+tai|mo|lam|ket\s+hop|nang\s+cao|khan\s+truong|uu\s+tien|hoan\s+thanh)\b"
)
SPLIT_RE = re.compile(r"\s*[,;]\s*|\s+(?:va|cung\s+voi|cung)\s+")
# "tổ chức" is a verb, except in "các tổ chức chính trị - xã hội", "tổ chức đoàn thể" …
_ORG_NOUN_RE = re.compile(
    r"to\s+chuc\s+(?:chinh\s+tri|doan\s+the|hoi|co\s+so|dang|thanh\s+vien|xa\s+hoi)\b"
)
PAREN_RE = re.compile(r"\([^()]*\)")
_MAX_BARE_SUBJECT_WORDS = 16
_MAX_LINE_NAME_WORDS = 12
_MAX_CLAUSE_SKIPS = 6
_MAX_SKIPPED_CLAUSE_CHARS = 80


def agency_spans(folded: str) -> list[tuple[int, int, str | None]]:
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
    Thông tin"); the rest keeps its spelling with the first letter capitalised. The level
    word stays ("Ủy ban MTTQ phường" → "Ủy ban Mặt trận Tổ quốc phường"): it tells the
    ward's Front from the city's.
    """
    name = squash(strip_punct(name))
    folded = fold(name)
    for start, end, canonical in agency_spans(folded):
        if canonical is not None and not _CONTINUES_RE.match(folded, end):
            name = name[:start] + canonical + name[end:]
            break
    return capitalise(name)


def _subject_bounds(
    text: str,
    folded: str,
    spans: list[tuple[int, int, str | None]],
    skips: int = _MAX_CLAUSE_SKIPS,
    bare: bool = True,
) -> tuple[int, int]:
    lead = _LEAD_WORDS_RE.match(folded)
    pos = lead.end() if lead else len(folded) - len(folded.lstrip())
    start: int | None = None
    for _ in range(max(skips, 1)):
        if _AGENCY_HEAD_RE.match(folded, pos) or _in_spans(pos, spans):
            start = pos
            break
        comma = folded.find(",", pos)
        if skips == 0 or comma == -1 or comma - pos > _MAX_SKIPPED_CLAUSE_CHARS:
            break
        pos = comma + 1
        while pos < len(folded) and folded[pos] == " ":
            pos += 1
    if start is None:  # no agency opens the sentence
        return 0, 0
    parens: list[tuple[int, int, str | None]] = [
        (m.start(), m.end(), None) for m in PAREN_RE.finditer(folded)
    ]
    for match in _SUBJECT_STOP_RE.finditer(folded, start):
        pos = match.start()
        if _ORG_NOUN_RE.match(folded, pos) or text[pos : pos + 1].isupper():
            continue  # "các tổ chức chính trị", a proper name ("Hòa Lâm" is not "làm")
        if pos > start and not _in_spans(pos, spans) and not _in_spans(pos + 1, parens):
            return start, pos
    if bare and word_count(PAREN_RE.sub(" ", text[start:])) <= _MAX_BARE_SUBJECT_WORDS:
        return start, len(text)
    return start, start


def _opens_agency(folded: str, pos: int, spans: list[tuple[int, int, str | None]]) -> bool:
    """Whether a new agency starts at ``pos``: a known name, or a head word followed by a
    name ("Phòng Y tế", "các đoàn thể"); a bare "ban" or "đơn vị" continues a list."""
    if any(start == pos for start, _, _ in spans):
        return True
    lead = _GROUP_LEAD_RE.match(folded, pos)
    head = _AGENCY_HEAD_RE.match(folded, lead.end() if lead else pos)
    if head is None:
        return False
    after = SPLIT_RE.search(folded, head.end())
    rest = folded[head.end() : after.start() if after else len(folded)]
    return bool(rest.strip()) or lead is not None or bool(_WHOLE_HEAD_RE.fullmatch(head.group()))


def split_agencies(text: str) -> list[str]:
    """Split an enumeration of agencies on ";" and, where a new agency starts, on "," and "và";
    known names ("Văn phòng HĐND và UBND", "các phòng, ban, ngành") stay whole."""
    folded = fold(text)
    spans = agency_spans(folded)
    parts: list[str] = []
    pos = 0
    for match in SPLIT_RE.finditer(folded):
        if _in_spans(match.start(), spans) or match.start() == 0:
            continue
        if ";" not in match.group() and not _opens_agency(folded, match.end(), spans):
            continue
        parts.append(text[pos : match.start()])
        pos = match.end()
    parts.append(text[pos:])
    result: list[str] = []
    for part in parts:
        cleaned = strip_punct(PAREN_RE.sub(" ", part))
        if not cleaned or not any(c.isalpha() for c in cleaned):
            continue
        agency = normalise_agency(cleaned)
        if agency not in result:
            result.append(agency)
    return result


def names_only(text: str) -> bool:
    """Whether a short line is only names, no verb ("Đội Kiểm tra trật tự đô thị"): an agency
    standing on its own line above its tasks, even one no list knows."""
    folded = fold(text)
    verbs = [
        m
        for m in _SUBJECT_STOP_RE.finditer(folded)
        if not text[m.start() : m.start() + 1].isupper()
    ]
    return (
        0 < word_count(text) <= _MAX_LINE_NAME_WORDS
        and not verbs
        and text.strip()[:1].isupper()
        and not text.rstrip().endswith((".", ":", ";"))
    )


def extract_agencies(text: str, *, skip_clauses: bool = True, bare: bool = True) -> list[str]:
    """The agencies leading an assignment ("Phòng A; Trung tâm B chủ trì ..." → [A, B]).

    Leading subordinate clauses ("Trong quá trình thực hiện, nếu có khó khăn, ...") are
    skipped unless ``skip_clauses`` is off; the subject ends at the first verb or colon, or
    with ``bare`` (an agency alone on its line) at the end of a short text.
    """
    text = normalise_text(text)
    folded = fold(text)
    spans = agency_spans(folded)
    skips = _MAX_CLAUSE_SKIPS if skip_clauses else 0
    start, end = _subject_bounds(text, folded, spans, skips, bare)
    subject = text[start:end]
    return split_agencies(subject) if subject.strip() else []
