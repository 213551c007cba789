"""Assignments (tổ chức thực hiện), deadlines and the standing agency."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from thidua.campaigns.parsing.agencies import extract_agencies, names_only, split_agencies
from thidua.campaigns.parsing.awards import sentence_bounds
from thidua.campaigns.parsing.body import all_paragraphs_of, collect
from thidua.campaigns.parsing.dates import FoundDate, find_dates
from thidua.campaigns.parsing.references import clause_start_of
from thidua.campaigns.parsing.result import AssignmentItem, Deadline, ParsedPlan, Section
from thidua.campaigns.parsing.text import fold, squash

# Assignments, deadlines, standing agency -----------------------------------------------

_REPORT_WORDS_RE = re.compile(r"\b(?:bao\s+cao|gui\s+ve|gui\s+bao|nop\s+ve)\b")
_REPORT_TO_RE = re.compile(r"\b(?:bao\s+cao|phan\s+anh|gui)\b[^.;]{0,300}?\bve\s+")
_REPORT_TO_STOP_RE = re.compile(
    r"\s*\(|\s+(?:truoc|cham\s+nhat|de|trong|vao|theo|dinh\s+ky|ket\s+qua)\b|[,.;:]|$"
)
_VIA_RE = re.compile(r"\(\s*qua\s+(?P<via>[^)]+)\)")
# "là cơ quan thường trực", "(cơ quan thường trực …)", "là bộ phận thường trực", "làm thường
# trực", "là đơn vị đầu mối"
_STANDING_RE = re.compile(
    r"(?:\(\s*(?:la\s+)?|\b(?:la|lam)\s+)(?:(?:co\s+quan|bo\s+phan|don\s+vi|to)\s+)?"
    r"(?:thuong\s+truc|dau\s+moi)\b"
)
_VIA_ANY_RE = re.compile(r"\bqua\s+(?=phong|van\s+phong|so|ban)")
_DEADLINE_QUALIFIERS = {"before", "by", "until"}
# A date a task is to be done by without "trước"/"chậm nhất": the value of a table's time
# column ("Thời gian: Quý II/2026", "Thời gian hoàn thành: Tháng 9/2025", "Thời hạn: …") or
# after "hoàn thành" ("hoàn thành trong Quý II/2026", "hoàn thành tháng 9 năm 2026").
_DUE_LABEL_RE = re.compile(
    r"(?:\bthoi\s+(?:gian|han)(?:\s+(?:hoan\s+thanh|thuc\s+hien))?\s*:"
    r"|\bhan\s+hoan\s+thanh\s*:?|\bhoan\s+thanh(?:\s+(?:vao|xong))?)\s*$"
)


def _deadline_dates(text: str, default_year: int | None) -> list[FoundDate]:
    dates = find_dates(text, default_year)
    folded = fold(text)
    out: list[FoundDate] = []
    for index, found in enumerate(dates):
        previous = dates[index - 1] if index else None
        in_range = previous is not None and previous.qualifier == "from"
        if found.qualifier in _DEADLINE_QUALIFIERS and not in_range:
            out.append(found)
        elif found.qualifier in {None, "during"} and _DUE_LABEL_RE.search(folded, 0, found.start):
            # done within the month, quarter or year named: by its last day
            out.append(replace(found, value=found.last, qualifier="by"))
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


def _names_agency(section: Section) -> bool:
    return bool(extract_agencies(section.heading.text))


def _item_sections(section: Section) -> list[Section]:
    """The items of an implementation section. A heading that names no agency but whose
    sub-items do ("1. Trách nhiệm của các cơ quan" / "a) Phòng Nội vụ" / tasks) opens a list:
    its sub-items are the assignments."""
    out: list[Section] = []
    for child in section.children:
        naming = sum(_names_agency(grandchild) for grandchild in child.children)
        if naming >= max(2, len(child.children) // 2 + 1) or (naming and not _names_agency(child)):
            out.extend(_item_sections(child))
        else:
            out.append(child)
    return out


def _agencies_of(text: str) -> list[str]:
    """The item's subject, and the subject of each later clause that opens with an agency
    ("Phòng Kinh tế chủ trì …; Phòng Văn hóa - Xã hội chủ trì …")."""
    first, _, rest = text.partition("\n")
    agencies = extract_agencies(first)
    if not agencies and rest and names_only(first):  # "d) Đội Kiểm tra …" / its tasks below
        agencies = split_agencies(first)
    if not agencies and rest:  # "2. Chế độ báo cáo" / "Các cơ quan, đơn vị báo cáo …"
        first = rest.partition("\n")[0]
        agencies = extract_agencies(first)
    clauses = first.split(";")
    for clause in clauses[1:]:
        if not clause.strip()[:1].isupper():  # "…; báo cáo kết quả …" goes on with a verb
            continue
        for name in extract_agencies(clause, skip_clauses=False, bare=False):
            if name not in agencies:
                agencies.append(name)
    return agencies


def extract_assignments(plan: ParsedPlan) -> None:
    implementations = collect(plan.sections, "IMPLEMENTATION")
    if not implementations:
        plan.warn(
            "IMPLEMENTATION_MISSING",
            "Không tìm thấy mục Tổ chức thực hiện; chưa tách được nhiệm vụ cho các cơ quan.",
        )
        return
    section = implementations[0]
    items: list[tuple[str, str, str, int]] = [
        (child.clause, child.label, child.full_text(), child.heading.first_line)
        for child in _item_sections(section)
    ]
    if not items:
        items = [
            (section.clause, str(index), para.text, para.first_line)
            for index, para in enumerate(section.paragraphs, start=1)
        ]
    for clause, label, text, line in items:
        agencies = _agencies_of(text)
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


def extract_deadlines(plan: ParsedPlan) -> None:
    time_sections = {
        id(s) for key_section in collect(plan.sections, "TIME") for s in key_section.walk()
    }
    default_year = plan.issued_year or (plan.period_end.year if plan.period_end else None)
    seen: set[tuple[str | None, date]] = set()
    for para, section in all_paragraphs_of(plan):
        if section is None or id(section) in time_sections:
            continue
        folded = fold(para.text)
        for found in _deadline_dates(para.text, default_year):
            key = (section.clause, found.value)
            if key in seen:
                continue
            seen.add(key)
            start, end = sentence_bounds(folded, found.start, found.end)
            sentence = folded[start:end]
            plan.deadlines.append(
                Deadline(
                    clause=section.clause,
                    date=found.value,
                    exclusive=found.qualifier == "before",
                    kind="report" if _REPORT_WORDS_RE.search(sentence) else "task",
                    text=squash(para.text[start:end]),
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


def _standing_in_assignments(plan: ParsedPlan) -> bool:
    """ "a) Phòng Văn hóa - Xã hội / - Là bộ phận thường trực …": the item's agency."""
    for item in plan.assignments:
        folded = fold(item.text)
        match = _STANDING_RE.search(folded)
        if match is None or not item.agencies:
            continue
        start = clause_start_of(folded, match.start())
        names = extract_agencies(item.text[start : match.start()])
        plan.standing_agency = names[0] if names else item.agencies[0]
        plan.spans["standing_agency"] = (item.line, item.line)
        return True
    return False


def extract_standing_agency(plan: ParsedPlan) -> None:
    if _standing_in_assignments(plan):
        return
    pairs = all_paragraphs_of(plan)
    for para, _ in pairs:
        folded = fold(para.text)
        match = _STANDING_RE.search(folded)
        if not match:
            continue
        start = clause_start_of(folded, match.start())
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
