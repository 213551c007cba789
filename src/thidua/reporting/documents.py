"""The aggregated report (BC) and the urging letter (công văn) as official documents."""

import re

from thidua.documents.official import Block, Bullet, Heading, OfficialDocument, Paragraph, Signature
from thidua.reporting.models import AggregatedReport, UrgingLetter


def _signature(campaign_signer_title: str, name: str) -> Signature:
    return Signature(
        authority="TM. ỦY BAN NHÂN DÂN",
        title_line="KT. CHỦ TỊCH",
        title=campaign_signer_title or "PHÓ CHỦ TỊCH",
        name=name,
    )


NUMBERED_HEADING = re.compile(r"^([IVXLC]+|\d+(\.\d+)*|[a-zđ])[.)] \S")
HEADING_MAX = 120


def _is_heading(text: str) -> bool:
    """A line in capitals, or a short numbered title ("I. Kết quả", "2. Kiến nghị") that an
    officer typed when editing the draft: kept with the lines that follow it."""
    if text.isupper():
        return True
    return (
        bool(NUMBERED_HEADING.match(text))
        and len(text) <= HEADING_MAX
        and not text.endswith((".", ";", ":"))
    )


def aggregate_document(report: AggregatedReport) -> OfficialDocument:
    campaign = report.request.campaign
    body: list[Block] = []
    for line in report.body.splitlines():
        text = line.strip()
        if not text:
            continue
        if text.startswith("- "):
            body.append(Bullet(text[2:]))
        elif _is_heading(text):
            body.append(Heading(text, level=1 if text.isupper() else 2))
        else:
            body.append(Paragraph(text))
    return OfficialDocument(
        issuer_parent=campaign.issuer_parent_name or None,
        issuer=campaign.issuer_full_name,
        number=str(report.number) if report.number else None,
        symbol=report.issued_number.symbol if report.issued_number else "BC-UBND",
        place=campaign.place,
        date=report.issued_on,
        doc_type="BÁO CÁO",
        summary=report.title,
        body=body,
        recipients=[
            "Ban TĐKT, Sở Nội vụ (để b/c)",
            "Chủ tịch, các PCT UBND thành phố",
            "Lưu: VT, NV",
        ],
        signature=_signature(campaign.signer_title, campaign.signer_name),
    )


def urging_document(letter: UrgingLetter) -> OfficialDocument:
    campaign = letter.request.campaign
    entry = letter.issued_number
    units = list(letter.units.order_by("name_sort"))
    body: list[Block] = [Paragraph("Kính gửi: Các cơ quan, đơn vị có tên dưới đây.")]
    body += [Paragraph(p) for p in letter.body.splitlines() if p.strip()]
    body += [Bullet(u.name) for u in units]
    body.append(
        Paragraph(f"{campaign.owner_unit.name} yêu cầu các cơ quan, đơn vị nghiêm túc thực hiện./.")
    )
    return OfficialDocument(
        issuer_parent=campaign.issuer_parent_name or None,
        issuer=campaign.issuer_full_name,
        number=str(entry.number),
        symbol=entry.symbol,
        place=campaign.place,
        date=entry.issued_on,
        doc_type="",
        summary=f"V/v đôn đốc {letter.request.title}",
        body=body,
        recipients=["Như trên", "Chủ tịch, các PCT UBND thành phố (để b/c)", "Lưu: VT, NV"],
        signature=_signature(campaign.signer_title, campaign.signer_name),
    )
