"""The parser's result types; ``ParsedPlan.to_json`` is the JSON the command prints."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def last_day(deadline: date, *, exclusive: bool) -> date:
    """The last day of a deadline: the day before one written "trước …" (docs/domain.md:
    "trước 15/12/2022" means the last day is 14/12/2022), else the day written."""
    return deadline - timedelta(days=1) if exclusive else deadline


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
    """An activity the plan names: ``text`` in the plan's own words ("Hội thi “Nhà nông
    giỏi” cấp huyện"), ``code`` the nearest standard form (OTHER when none fits) and
    ``label`` that form's name."""

    code: str
    label: str
    text: str
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "text": self.text, "line": self.line}


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
    """A prize of a contest: ``count`` prizes of ``tier`` ("Nhất", "Khuyến khích", "A",
    "tập thể"), awarded per round ("mỗi tuần", ``scope="round"``) or for the whole contest
    ("giải chung cuộc", ``"contest"``), to individuals or collectives; ``amount`` in đồng
    per prize when the plan says."""

    tier: str
    count: int
    clause: str | None
    scope: str | None = None
    target: str = "individual"
    amount: int | None = None
    text: str = ""
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "count": self.count,
            "scope": self.scope,
            "target": self.target,
            "amount": self.amount,
            "clause": self.clause,
            "text": self.text,
            "line": self.line,
        }


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
    """A "Nơi nhận" line. ``role``: implement (acts and reports), report (a superior body,
    "để b/c"), info ("để biết", the issuer's leaders), archive ("Lưu: VT")."""

    text: str
    note: str | None
    archive: bool
    line: int
    role: str = "implement"

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "note": self.note,
            "role": self.role,
            "archive": self.archive,
            "line": self.line,
        }


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
        return last_day(self.report_deadline, exclusive=bool(self.report_deadline_exclusive))

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
