"""Roles for the recipients and deliveries saved before roles existed (issue 20).

A line's role comes from its note ("để báo cáo", "để biết") or what it names ("Lưu: VT",
"TT Thành ủy", "Chủ tịch, các PCT"), as the parser now sets it; a delivery keeps the role of
the lines that reached its unit unless a task, an invitation or an acting line also did (a
body reported to stays a superior).
Frozen here rather than imported, so later parser changes do not rewrite history.
"""

import re
import unicodedata

from django.db import migrations


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _role(text: str, note: str) -> str:
    folded, note = _fold(text).strip(), _fold(note)
    if re.match(r"luu\b", folded):
        return "archive"
    if re.search(r"bao\s+cao|b/c", note) or re.match(r"(?:tt|thuong\s+truc)\b", folded):
        return "report"
    if re.search(r"biet|theo\s+doi|chi\s+dao", note) or re.match(
        r"(?:cac\s+)?(?:chu\s+tich|ct|pct|thanh\s+vien|lanh\s+dao)\b", folded
    ):
        return "info"
    return "implement"


def forwards(apps, schema_editor):
    Recipient = apps.get_model("campaigns", "Recipient")
    Delivery = apps.get_model("campaigns", "Delivery")
    Campaign = apps.get_model("campaigns", "Campaign")
    AssignmentTarget = apps.get_model("campaigns", "AssignmentTarget")
    for pk, text, note in Recipient.objects.values_list("pk", "text", "note").iterator():
        role = _role(text, note)
        if role != "implement":
            Recipient.objects.filter(pk=pk).update(role=role)
    lines = Recipient.units.through.objects
    invited = Campaign.invited_units.through.objects
    for campaign_id in Delivery.objects.values_list("campaign_id", flat=True).distinct():
        acting = set(
            AssignmentTarget.objects.filter(assignment__campaign_id=campaign_id).values_list(
                "unit_id", flat=True
            )
        )
        acting |= set(invited.filter(campaign_id=campaign_id).values_list("unit_id", flat=True))
        acting |= set(
            lines.filter(
                recipient__campaign_id=campaign_id, recipient__role="implement"
            ).values_list("unit_id", flat=True)
        )
        passive = lines.filter(
            recipient__campaign_id=campaign_id, recipient__role__in=["report", "info"]
        )
        for unit_id, role in passive.values_list("unit_id", "recipient__role"):
            if unit_id not in acting or role == "report":  # a superior stays one
                Delivery.objects.filter(campaign_id=campaign_id, unit_id=unit_id).update(role=role)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0003_review_roles_prizes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
