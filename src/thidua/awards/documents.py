"""Tờ trình and award decisions in the Decree 30 layout (council minutes: awards.minutes)."""

import re
from collections.abc import Sequence

from thidua.awards.models import (
    AwardType,
    Decision,
    DecisionLine,
    Nomination,
    Nominee,
    Subject,
)
from thidua.core.text import fold_chars, vn_thousands
from thidua.documents.official import (
    Block,
    Bullet,
    Centred,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
)
from thidua.organizations.models import Unit
from thidua.organizations.selectors import place_of


def household_line(n: Nominee) -> str:
    """ "Hộ ông Nguyễn Văn Hùng, Tổ dân phố 3, phường Suối Hoa: đất đai – hiến 120 m² đất làm
    đường (trị giá 360.000.000 đồng)" """
    household = n.household
    assert household is not None  # noqa: S101 - called for household lines only
    given = " – ".join(x for x in (n.get_contribution_kind_display().lower(), n.contribution) if x)
    value = (
        f" (trị giá {vn_thousands(int(n.contribution_value))} đồng)"
        if n.contribution_value is not None
        else ""
    )
    line = f"{household}, {household.full_address}: {given}{value}"
    return f"{line}. {n.achievements}" if n.achievements else line


def _joined(parts: Sequence[str]) -> str:
    """ "1 tập thể, 2 cá nhân và 1 hộ gia đình"."""
    return " và ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else "".join(parts)


def _submission_line(n: Nominee) -> str:
    """A nominee's line in the tờ trình (empty for an individual line without its person)."""
    if n.subject == Subject.COLLECTIVE:
        return f"{n.unit}: {n.achievements}" if n.achievements else str(n.unit)
    if n.subject == Subject.HOUSEHOLD:
        return household_line(n)
    p = n.person
    return f"{p.salutation} {p.full_name}, {p.position or 'cán bộ'}: {n.achievements}" if p else ""


# "Phát động" opening a campaign's title, however it is typed (capitals, accents or none)
_LAUNCH = re.compile(r"\s*phat\s+dong\b[\s:,.–-]*")
# The common nouns a launched campaign's title goes on with ("Phát động Phong trào …"), whose
# capital goes with the verb; any other word keeps it: a name ("Hà Nội xanh", "Tết trồng cây").
_COMMON_HEAD = re.compile(
    r"(phong trao|cuoc thi|cuoc van dong|dot thi dua|dot cao diem|thi dua|hoi thi|hoi dien"
    r"|thang|tuan|chuong trinh|chien dich|ke hoach)\b"
)


def campaign_carried_out(title: str) -> str:
    """The campaign as the object of "thực hiện": a title that launches it ("Phát động phong
    trào thi đua …") loses its verb, or the tờ trình would read "thực hiện Phát động phong
    trào …"; the capital of a common noun left at its head goes with it ("Phong trào" →
    "phong trào"), a name's stays ("Tết trồng cây", "Hà Nội xanh"), and so do capitals
    throughout ("PHONG TRÀO")."""
    launch = _LAUNCH.match(fold_chars(title))  # fold_chars keeps places: cut the title there
    rest = title[launch.end() :] if launch else ""
    if not rest:
        return title
    if rest[0].isupper() and rest[1:2].islower() and _COMMON_HEAD.match(fold_chars(rest)):
        rest = rest[0].lower() + rest[1:]
    return rest


def submission_document(nomination: Nomination) -> OfficialDocument:
    """The unit's tờ trình with the nominee list, generated from the dossier's data, in the
    dossier's order; each subject once (the database refuses a second line)."""
    unit = nomination.unit
    nominees = list(nomination.nominees.select_related("person", "unit", "household__unit"))
    groups = [
        (heading, noun, [n for n in nominees if n.subject == subject])
        for subject, heading, noun in ANNEX_GROUPS
    ]
    counted = _joined([f"{len(group)} {noun}" for _, noun, group in groups if group])
    body: list[Block] = [
        Paragraph(
            f"Căn cứ kết quả thực hiện {campaign_carried_out(nomination.campaign.title)}, "
            f"{unit.name} kính đề nghị "
            f"{nomination.award_type.signer_title} xét, tặng {nomination.award_type.name} cho "
            f"{counted or '0 tập thể và 0 cá nhân'} có thành tích xuất sắc, cụ thể:"
        )
    ]
    numerals = iter(ROMAN)
    for heading, _, group in groups:
        if group:
            body.append(Heading(f"{next(numerals)}. {heading}", level=1))
            body += [Bullet(line) for n in group if (line := _submission_line(n))]
    body.append(
        Paragraph(f"Kính trình {nomination.award_type.signer_title} xem xét, quyết định./.")
    )
    return OfficialDocument(
        issuer_parent=unit.parent.name
        if unit.parent and unit.kind not in {"ward", "district"}
        else None,
        issuer=unit.name,
        number=None,
        symbol=f"TTr-{unit.symbol or 'UBND'}",
        place=place_of(unit),
        date=None,
        doc_type="TỜ TRÌNH",
        summary=f"Về việc đề nghị tặng {nomination.award_type.name}",
        body=body,
        recipients=["Như trên", "Lưu: VT"],
        signature=Signature(authority=None, title_line=None, title="THỦ TRƯỞNG ĐƠN VỊ", name=""),
    )


def _full(name: str) -> str:
    return name.replace("UBND", "Ủy ban nhân dân")


def authority_phrase(award_type: AwardType, issuer: Unit) -> str:
    """ "Chủ tịch Ủy ban nhân dân thành phố Bắc Ninh": the signing office and the full issuer."""
    role = award_type.signer_title.split(" UBND")[0].split(" Ủy ban")[0].strip() or "Chủ tịch"
    return f"{role} {_full(issuer.name)}"


def enacting_authority(decision: Decision) -> str:
    """ "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH": the signing office and the full issuer."""
    return authority_phrase(decision.award_type, decision.issuer).upper()


ARTICLE = re.compile(r"^(Điều\s+\d+[a-zđ]?\.)\s*(.*)$", re.DOTALL)
# Annex groups in the order of Decree 30 practice; other engineers add households here.
ANNEX_GROUPS = [
    (Subject.COLLECTIVE, "TẬP THỂ", "tập thể"),
    (Subject.INDIVIDUAL, "CÁ NHÂN", "cá nhân"),
    (Subject.HOUSEHOLD, "HỘ GIA ĐÌNH", "hộ gia đình"),
]
ROMAN = ["I", "II", "III", "IV"]


def article_block(text: str) -> Paragraph:
    """ "Điều 1. Tặng …" with "Điều 1." in bold, as Decree 30 sets an article's number."""
    found = ARTICLE.match(text.strip())
    if found is None:
        return Paragraph(text)
    return Paragraph(found.group(2), lead=found.group(1))


def annex_title(decision: Decision) -> str:
    """The annex title as a sentence: "Danh sách tập thể, cá nhân được tặng Giấy khen …"."""
    award = _full(decision.award_type.name)
    original = decision.corrects
    who = (  # households are named when the list has any
        "tập thể, cá nhân, hộ gia đình"
        if any(line.subject == Subject.HOUSEHOLD for line in decision.lines.all())
        else "tập thể, cá nhân"
    )
    if decision.kind == Decision.Kind.GRANT or original is None:
        return f"Danh sách {who} được tặng {award}"
    source = f"tại {original.citation}"
    if decision.kind == Decision.Kind.REVOKE:
        return f"Danh sách {who} bị thu hồi {award} đã tặng {source}"
    return f"Danh sách {who} được sửa đổi thông tin khen thưởng {source}"


def _annex_line(line: DecisionLine) -> str:
    text = ", ".join(x for x in (line.recipient_name, line.recipient_detail) if x)
    if line.record is not None:
        text += f" (số vào sổ {line.record.registry_reference})"
    return text


def decision_document(decision: Decision) -> OfficialDocument:
    """Quyết định khen thưởng with its annex of collectives and individuals."""
    issuer = decision.issuer
    lines = list(decision.lines.select_related("record"))
    reference = decision.reference or "…/" + f"QĐ-{issuer.symbol or 'UBND'}"
    on = f"ngày {decision.signed_on:%d/%m/%Y}" if decision.signed_on else "ngày … tháng … năm …"
    body: list[Block] = [Centred("QUYẾT ĐỊNH:")]
    body += [article_block(article) for article in decision.articles]
    annex: list[Block] = [
        Centred(annex_title(decision)),
        Centred(
            f"(Kèm theo Quyết định số {reference} {on} của "
            f"{authority_phrase(decision.award_type, issuer)})",
            bold=False,
            italic=True,
        ),
    ]
    numeral = iter(ROMAN)
    for subject, title, word in ANNEX_GROUPS:
        group = [x for x in lines if x.subject == subject]
        if not group:
            continue
        annex.append(Heading(f"{next(numeral)}. {title} ({len(group):02d} {word})", level=1))
        annex += [
            Bullet(_annex_line(line) + (";" if i < len(group) else "."), marker=f"{i}.")
            for i, line in enumerate(group, start=1)
        ]
    return OfficialDocument(
        issuer_parent=issuer.parent.name if issuer.parent and issuer.kind == "office" else None,
        issuer=_full(issuer.name),
        number=str(decision.number.number) if decision.number else None,
        symbol=f"QĐ-{issuer.symbol or 'UBND'}",
        place=decision.campaign.place or place_of(decision.issuer),
        date=decision.signed_on,
        doc_type="QUYẾT ĐỊNH",
        summary=decision.summary,
        enacting_authority=enacting_authority(decision),
        legal_bases=list(decision.legal_bases),
        body=body,
        recipients=list(decision.recipients),
        signature=Signature(
            authority=decision.signer_authority or None,
            title_line=decision.signer_title_line or None,
            title=decision.signer_title,
            name=decision.signer_name,
        ),
        annex=annex,
    )
