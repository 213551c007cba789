"""The document header: issuer, parent body, number and symbol, place and date."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from thidua.campaigns.parsing.dates import find_dates
from thidua.campaigns.parsing.lines import SEPARATOR_RE, Line
from thidua.campaigns.parsing.result import Paragraph, ParsedPlan
from thidua.campaigns.parsing.text import fold, is_upper, squash

_MOTTO_RE = re.compile(  # the state's motto, and the Party's own line
    r"cong\s+hoa\s+xa\s+hoi\s+chu\s+nghia\s+viet\s+nam|dang\s+cong\s+san\s+viet\s+nam|doc\s+lap\s*[-\u2013\u2014,]\s*tu\s+do\s*"
    r"[-\u2013\u2014,]\s*hanh\s+phuc"
)
# "Số: 142/KH-UBND", "Số: 15/2022/QĐ-UBND", "Số 87-KH/ĐU" (Party), "Số:    /KH-UBND" (unnumbered)
_NUMBER_RE = re.compile(
    r"(?<![\w])so\s*[:.]?\s*(?P<num>\d{1,5}[a-z]?)?(?P<year>/\d{4})?[\s.\u2026_]*(?P<sep>[/-])\s*"
    r"(?P<sym>(?=[a-z0-9\-&./]*[a-z])[a-z0-9][a-z0-9\-&./]*[a-z0-9])"
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
_LOCALITY = r"(?:tinh|thanh\s+pho|huyen|quan|thi\s+xa|phuong|xa|thi\s+tran)\b(?!\s+uy\b)"
_LOCALITY_START_RE = re.compile(_LOCALITY)  # "PHƯỜNG ĐÔNG TIẾN", not "TỈNH ỦY HÒA LÂM"
_HAS_LOCALITY_RE = re.compile(rf"\b{_LOCALITY}\s+\S")
_ISSUER_SHORT_RE = re.compile(
    r"(?:uy\s+ban\s+nhan\s+dan|ubnd)\s+(?P<level>tinh|thanh\s+pho|huyen|quan|thi\s+xa|phuong|xa|"
    r"thi\s+tran)\s+(?P<name>\S.*)"
)
CELL_SPLIT_RE = re.compile(r"\t+| {2,}")


@dataclass
class Header:
    orgs: list[tuple[str, int]] = field(default_factory=list)
    recognised: int = 0
    leftovers: list[tuple[str, int]] = field(default_factory=list)


def _blank_out(text: str, start: int, end: int) -> str:
    return text[:start] + "\t" * (end - start) + text[end:]


def _header_number(plan: ParsedPlan, raw: str, line_no: int, header: Header) -> str:
    match = _NUMBER_RE.search(fold(raw))
    if match is None or plan.number_symbol is not None:
        return raw
    sym = raw[match.start("sym") : match.end("sym")].rstrip(".-")
    plan.number_symbol = sym
    if match.group("num"):
        num = raw[match.start("num") : match.end("num")]
        plan.number = f"{num}{match.group('year') or ''}{match.group('sep')}{sym}"
    plan.spans["number"] = (line_no, line_no)
    header.recognised += 1
    return _blank_out(raw, match.start(), match.end())


def _header_place_date(plan: ParsedPlan, raw: str, line_no: int, header: Header) -> str:
    match = _PLACE_DATE_RE.search(fold(raw))
    if match is None or plan.issued_year is not None:
        return raw
    place = raw[match.start("place") : match.end("place")]
    plan.place = CELL_SPLIT_RE.split(place.strip())[-1].strip() or None
    plan.issued_year = int(match.group("year"))
    dates = [d for d in find_dates(raw[match.end("place") : match.end()]) if d.precision == "day"]
    plan.issued_date = dates[0].value if dates else None
    plan.spans["issued_date"] = (line_no, line_no)
    header.recognised += 1
    return _blank_out(raw, match.start(), match.end())


def header_line(plan: ParsedPlan, line: Line, header: Header) -> None:
    raw = line.raw
    for match in list(_MOTTO_RE.finditer(fold(raw))):
        raw = _blank_out(raw, match.start(), match.end())
        header.recognised += 1
    raw = _header_number(plan, raw, line.no, header)
    raw = _header_place_date(plan, raw, line.no, header)
    for cell in CELL_SPLIT_RE.split(raw):
        _header_cell(plan, cell.strip(), line.no, header)


def _header_cell(plan: ParsedPlan, cell: str, line_no: int, header: Header) -> None:
    if not cell or SEPARATOR_RE.fullmatch(cell) or not any(c.isalnum() for c in cell):
        return
    folded = fold(cell)
    vv = _VV_RE.match(folded)
    if vv:
        plan.title = plan.title or squash(cell[vv.start("rest") :]) or None
        header.recognised += 1
        return
    if is_upper(cell) or _ORG_HEAD_RE.match(folded):
        header.orgs.append((squash(cell), line_no))
        header.recognised += 1
        return
    header.leftovers.append((squash(cell), line_no))


def _merge_orgs(orgs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Join a body named without its place ("ỦY BAN NHÂN DÂN") to the place on the next line."""
    merged: list[tuple[str, int]] = []
    for text, line_no in orgs:
        if (
            merged
            and not _HAS_LOCALITY_RE.search(fold(merged[-1][0]))
            and _LOCALITY_START_RE.match(fold(text))
        ):
            merged[-1] = (f"{merged[-1][0]} {text}", merged[-1][1])
        else:
            merged.append((text, line_no))
    return merged


def short_issuer(issuer: str) -> str | None:
    match = _ISSUER_SHORT_RE.fullmatch(fold(issuer))
    if not match:
        return issuer if fold(issuer).startswith("ubnd ") else None
    level = issuer[match.start("level") : match.end("level")].lower()
    name = issuer[match.start("name") :]
    if is_upper(name):
        name = name.title()
    return f"UBND {level} {name}"


def apply_header(plan: ParsedPlan, header: Header) -> None:
    orgs = _merge_orgs(header.orgs)
    if orgs:
        # Decree 30: the parent body on the first line, the issuer below it; a third line
        # ("BAN THƯỜNG TRỰC") names the part of the issuer that signs.
        issuer = orgs[1:] or orgs
        plan.issuer = " ".join(text for text, _ in issuer)
        plan.spans["issuer"] = (issuer[0][1], issuer[-1][1])
        if len(orgs) > 1:
            plan.issuer_parent = orgs[0][0]
        plan.issuer_short = short_issuer(plan.issuer)
    plan.unrecognised.extend(Paragraph(text, no, no) for text, no in header.leftovers)
