"""Context fields: parent documents, issuer from the preamble, occasion, period."""

from __future__ import annotations

import re
from datetime import date

from thidua.campaigns.parsing.body import all_paragraphs_of, key_paragraphs
from thidua.campaigns.parsing.dates import find_dates, find_range
from thidua.campaigns.parsing.header import short_issuer
from thidua.campaigns.parsing.result import Paragraph, ParentDocument, ParsedPlan
from thidua.campaigns.parsing.text import fold, squash

_DOC_TYPE = (
    r"ke\s+hoach|quyet\s+dinh|chi\s+thi|cong\s+van|huong\s+dan|thong\s+bao|nghi\s+quyet|"
    r"nghi\s+dinh|thong\s+tu|luat|chuong\s+trinh|ket\s+luan|quy\s+dinh|thong\s+tri|cong\s+dien"
)
# "Kế hoạch số 272/KH-UBND", "Nghị định số 91/2017/NĐ-CP", Party: "Nghị quyết số 12-NQ/TU"
_DOC_REF_RE = re.compile(
    rf"\b(?P<type>{_DOC_TYPE})\b(?:\s+[^\s;]+){{0,8}}?\s+so\s*:?\s*"
    r"(?P<num>\d{1,5}[a-z]?(?:/\d{4})?[/-](?=[a-z0-9\-&./]*[a-z])[a-z0-9][a-z0-9\-&./]*[a-z0-9])"
)
_DOC_TYPE_RE = re.compile(rf"\b(?:{_DOC_TYPE})\b")
_ISSUER_LEAD_RE = re.compile(r"\s*,?\s*(?:cua|do)\s+")
_ISSUER_STOP_RE = re.compile(
    r"\s+(?:ve|v/v|phat\s+dong|huong\s+dan|quy\s+dinh|ban\s+hanh|trien\s+khai|thuc\s+hien|"
    r"to\s+chuc|nham|de|giai\s+doan|thi\s+hanh|sua\s+doi|phe\s+duyet|chao\s+mung|ky\s+niem|ngay|"
    r"nam\s+(?:\d|nay)|tang\s+cuong|day\s+manh|tiep\s+tuc|lanh\s+dao|chi\s+dao|huong\s+ung|"
    rf"va\s+(?:cac\s+)?(?:{_DOC_TYPE}))\b|[,;.(\n]|$"
)
_CLAUSE_END_RE = re.compile(r";|\n|\.(?:\s|$)")
_OWN_PLAN_RE = re.compile(
    rf",\s+[^,;]{{2,80}}?\s(?:ban\s+hanh|xay\s+dung|trien\s+khai)\s+(?:{_DOC_TYPE})\b"
)
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


def clause_start_of(folded: str, pos: int) -> int:
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


def extract_parent_documents(plan: ParsedPlan) -> None:
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
        own_plan = _OWN_PLAN_RE.search(folded, pos, end)  # ", UBND thành phố ban hành Kế hoạch …"
        if own_plan:
            end = own_plan.start()
        doc_text = text[start:end].strip().rstrip(",").strip()
        doc_text = doc_text.removesuffix(" và").rstrip(" ,")
        clause_start = clause_start_of(folded, start)
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


# "Căn cứ Luật …", "thực hiện Chương trình công tác năm 2026 của Ban Chấp hành Đoàn xã"
_UNNUMBERED_RE = re.compile(
    rf"(?:^|[;,\n])\s*(?P<lead>can\s+cu|thuc\s+hien)\s+(?=(?:cac\s+)?(?:{_DOC_TYPE})\b|(?<=cu\s))"
)


def _unnumbered_bases(text: str, folded: str) -> list[tuple[int, ParentDocument]]:
    """Legal bases without a number ("Căn cứ Luật Thi đua, khen thưởng ngày …;")."""
    out: list[tuple[int, ParentDocument]] = []
    for match in _UNNUMBERED_RE.finditer(folded):
        end_match = _CLAUSE_END_RE.search(folded, match.end())
        end = end_match.start() if end_match else len(text)
        clause = text[match.end() : end].strip()
        if not clause or _DOC_REF_RE.search(folded, match.start("lead"), end):
            continue
        type_match = _DOC_TYPE_RE.search(folded, match.end(), end)
        if match.group("lead").startswith("thuc") and not type_match:
            continue
        dates = find_dates(clause)
        issuer = None
        if type_match:
            of = re.search(r"\s(?:cua|do)\s", folded[match.end() : end])
            issuer = _issuer_after(text, folded, match.end() + of.start()) if of else None
        document = ParentDocument(
            type=_DOC_NAMES.get(" ".join(type_match.group().split())) if type_match else None,
            number=None,
            date=dates[0].value if dates else None,
            issuer=issuer,
            text=clause,
            relation=_relation(folded[match.start("lead") :]),
        )
        out.append((match.end(), document))
    return out


_ISSUED_BY_RE = re.compile(rf"\s+(?:ban\s+hanh|xay\s+dung)\s+(?:{_DOC_TYPE})\b")
_ORG_IN_TEXT_RE = re.compile(
    r"\b(?:ubnd|uy\s+ban\s+nhan\s+dan|hdnd|hoi\s+dong|phong|so|ban|dang\s+uy|trung\s+tam|"
    r"truong|doan|hoi)\b"
)


def issuer_from_preamble(plan: ParsedPlan) -> None:
    for para in plan.preamble:
        folded = fold(para.text)
        for match in _ISSUED_BY_RE.finditer(folded):
            clause_start = clause_start_of(folded, match.start())
            heads = list(_ORG_IN_TEXT_RE.finditer(folded, clause_start, match.start()))
            if not heads:
                continue
            issuer = squash(para.text[heads[0].start() : match.start()])
            if issuer:
                plan.issuer = issuer
                plan.issuer_short = short_issuer(issuer)
                plan.spans["issuer"] = (para.first_line, para.last_line)
                plan.warn(
                    "ISSUER_FROM_PREAMBLE",
                    f"Không có phần tiêu đề cơ quan; cơ quan ban hành lấy từ phần mở đầu: {issuer}.",
                    para.first_line,
                )
                return


_ANNIVERSARY_RE = re.compile(
    r"\b(?:ky\s+niem\s+)?(?P<n>\d{1,4})\s+nam\s+(?:ngay|thanh\s+lap|xay\s+dung|truyen\s+thong|"
    r"chien\s+thang|giai\s+phong|tai\s+lap|cach\s+mang|dai\s+thang|khoi\s+nghia|sinh|"
    r"thong\s+nhat|hanh\s+quan)|\bky\s+niem\s+(?P<k>\d{1,4})\s+nam\b"
)


def extract_occasion(plan: ParsedPlan) -> None:
    if not plan.title:
        return
    found = find_range(plan.title)
    if found and found[3] is not None:
        dates = [d for d in find_dates(plan.title) if d.end == found[1]]
        if dates and dates[0].precision == "day":
            plan.occasion_date = found[3]
    match = _ANNIVERSARY_RE.search(fold(plan.title))
    if match:
        plan.anniversary_years = int(match.group("n") or match.group("k"))


_DRIVE_RE = re.compile(r"\b(?:dot|phong\s+trao)\s+thi\s+dua\b|\bphat\s+dong\b")


def _period_candidates(plan: ParsedPlan) -> list[Paragraph]:
    """Paragraphs that may give the period, best first: a "Thời gian…" line, the TIME
    sections, then the sentence launching the drive."""
    paragraphs = all_paragraphs_of(plan)
    labelled = [p for p, _ in paragraphs if re.match(r"\s*thoi\s+gian", fold(p.text))]
    timed = [p for p, _ in key_paragraphs(plan, "TIME")]
    drives = [p for p, _ in paragraphs if _DRIVE_RE.search(fold(p.text))]
    out: list[Paragraph] = []
    for para in labelled + timed + drives:
        if para not in out:
            out.append(para)
    return out


def extract_period(plan: ParsedPlan) -> None:
    """The period: a range after "Thời gian" or under a TIME heading, else the range given
    for the emulation drive itself ("phát động đợt thi đua từ … đến …"). A closed range
    wins over an open one ("chụp từ năm 2024 đến nay"); "từ nay" starts on the day of issue."""
    default_year = plan.issued_year
    candidates = _period_candidates(plan)
    ranges = [(para, find_range(para.text, default_year)) for para in candidates]
    closed = [(p, r) for p, r in ranges if r and r[3] is not None]
    chosen = (closed or [(p, r) for p, r in ranges if r])[:1]
    for para, found in chosen:
        assert found is not None  # noqa: S101 - filtered above
        plan.period_start, plan.period_end = found[2] or plan.issued_date, found[3]
        plan.period_text = para.text[found[0] : found[1]]
        plan.spans["period"] = (para.first_line, para.last_line)
        return
    for para in candidates:
        years = [d for d in find_dates(para.text, default_year) if d.precision == "year"]
        if years:
            plan.period_start, plan.period_end = years[0].first, years[0].last
            plan.period_text = years[0].text
            plan.spans["period"] = (para.first_line, para.last_line)
            return
    plan.warn("PERIOD_MISSING", "Không xác định được thời gian thực hiện đợt thi đua.")
