"""The plan as an official document (Decree 30/2020): data for documents.official."""

from thidua.campaigns.models import Campaign
from thidua.documents.official import Block, Bullet, Heading, OfficialDocument, Paragraph, Signature

BULLETS = ("- ", "+ ", "• ", "· ")


def _body_blocks(body: str) -> list[Block]:
    blocks: list[Block] = []
    for line in body.splitlines():
        text = line.strip()
        if not text:
            continue
        marker = next((b for b in BULLETS if text.startswith(b)), None)
        if marker:
            blocks.append(
                Bullet(
                    text[len(marker) :].strip(),
                    marker=marker.strip() if marker.strip() == "+" else "-",
                )
            )
        else:
            blocks.append(Paragraph(text))
    return blocks


def plan_document(campaign: Campaign) -> OfficialDocument:
    body: list[Block] = []
    for section in campaign.sections.all():
        if (section.title or section.label) and section.is_heading:
            body.append(Heading(section.heading, level=max(1, min(section.level, 3))))
        elif section.title:
            body.append(Paragraph(section.heading))
        body.extend(_body_blocks(section.body))
    recipients = [
        r.text for r in campaign.recipients.all()
    ]  # verbatim: "(để b/c)" is part of the line
    signature = None
    if campaign.signer_title or campaign.signer_name:
        signature = Signature(
            authority=campaign.signer_authority or None,
            title_line=campaign.signer_title_line or None,
            title=campaign.signer_title,
            name=campaign.signer_name,
        )
    return OfficialDocument(
        issuer_parent=campaign.issuer_parent_name or None,
        issuer=campaign.issuer_full_name,
        number=str(campaign.number) if campaign.number else None,
        symbol=campaign.doc_symbol,
        place=campaign.place,
        date=campaign.issued_on,
        doc_type="KẾ HOẠCH",
        summary=campaign.title,
        body=body,
        recipients=recipients,
        signature=signature,
    )
