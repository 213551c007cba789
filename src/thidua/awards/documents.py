"""Tờ trình and award decisions in the Decree 30 layout (council minutes: awards.minutes)."""

from thidua.awards.models import Decision, Nomination, Target
from thidua.documents.official import (
    Block,
    Bullet,
    Centred,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
)


def submission_document(nomination: Nomination) -> OfficialDocument:
    """The unit's tờ trình with the nominee list, generated from the dossier's data."""
    unit = nomination.unit
    nominees = list(nomination.nominees.select_related("person", "unit"))
    collectives = [n for n in nominees if n.unit_id]
    individuals = [n for n in nominees if n.person_id]
    body: list[Block] = [
        Paragraph(
            f"Căn cứ kết quả thực hiện {nomination.campaign.title}, {unit.name} kính đề nghị "
            f"{nomination.award_type.signer_title} xét, tặng {nomination.award_type.name} cho "
            f"{len(collectives)} tập thể và {len(individuals)} cá nhân có thành tích xuất sắc, cụ thể:"
        )
    ]
    if collectives:
        body.append(Heading("I. TẬP THỂ", level=1))
        body += [
            Bullet(f"{n.unit}: {n.achievements}" if n.achievements else str(n.unit))
            for n in collectives
        ]
    if individuals:
        body.append(Heading("II. CÁ NHÂN", level=1))
        body += [
            Bullet(f"{p.salutation} {p.full_name}, {p.position or 'cán bộ'}: {n.achievements}")
            for n in individuals
            if (p := n.person) is not None
        ]
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
        place="Bắc Ninh",
        date=None,
        doc_type="TỜ TRÌNH",
        summary=f"Về việc đề nghị tặng {nomination.award_type.name}",
        body=body,
        recipients=["Như trên", "Lưu: VT"],
        signature=Signature(authority=None, title_line=None, title="THỦ TRƯỞNG ĐƠN VỊ", name=""),
    )


def _full(name: str) -> str:
    return name.replace("UBND", "Ủy ban nhân dân")


def enacting_authority(decision: Decision) -> str:
    """ "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH": the signing office and the full issuer."""
    role = decision.award_type.signer_title.split(" UBND")[0].split(" Ủy ban")[0]
    return f"{role} {_full(decision.issuer.name)}".upper()


def decision_document(decision: Decision) -> OfficialDocument:
    """Quyết định khen thưởng with its annex of collectives and individuals."""
    issuer = decision.issuer
    lines = list(decision.lines.all())
    reference = decision.reference or "…/" + f"QĐ-{issuer.symbol or 'UBND'}"
    on = f"ngày {decision.signed_on:%d/%m/%Y}" if decision.signed_on else "ngày … tháng … năm …"
    body: list[Block] = [Centred("QUYẾT ĐỊNH:")]
    body += [Paragraph(article) for article in decision.articles]
    annex: list[Block] = [
        Centred("DANH SÁCH"),
        Centred(
            f"{'Tập thể, cá nhân được tặng' if decision.kind == 'grant' else 'Tập thể, cá nhân'} "
            f"{decision.award_type.name}"
        ),
        Centred(
            f"(Kèm theo Quyết định số {reference} {on} của {decision.award_type.signer_title})",
            bold=False,
            italic=True,
        ),
    ]
    groups = [
        ("TẬP THỂ", [x for x in lines if x.subject == Target.COLLECTIVE]),
        ("CÁ NHÂN", [x for x in lines if x.subject == Target.INDIVIDUAL]),
    ]
    numeral = iter(["I", "II"])
    for title, group in groups:
        if not group:
            continue
        annex.append(Heading(f"{next(numeral)}. {title} ({len(group):02d})", level=1))
        annex += [
            Bullet(
                ", ".join(x for x in (line.recipient_name, line.recipient_detail) if x)
                + ("" if i < len(group) else "."),
                marker=f"{i}.",
            )
            for i, line in enumerate(group, start=1)
        ]
    return OfficialDocument(
        issuer_parent=issuer.parent.name if issuer.parent and issuer.kind == "office" else None,
        issuer=_full(issuer.name),
        number=str(decision.number.number) if decision.number else None,
        symbol=f"QĐ-{issuer.symbol or 'UBND'}",
        place=decision.campaign.place or "Bắc Ninh",
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
