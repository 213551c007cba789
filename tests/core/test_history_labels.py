import re
from pathlib import Path

import thidua
from tests.conftest import verified_client
from thidua.core.history_labels import LABELS, action_label

SRC = Path(thidua.__file__).parent
COVERED = ("campaigns.", "reporting.", "participation.")  # the apps this registry answers for


def test_every_literal_action_code_of_the_covered_apps_has_a_label():
    codes = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+[a-z_])"', text))
        # "campaigns.assignment." + ("created" if created else "updated")
        for prefix, a, b in re.findall(
            r'action="([a-z_.]+\.)"\s*\+\s*\(\s*"([a-z_]+)" if \w+ else "([a-z_]+)"\s*\)', text
        ):
            codes |= {prefix + a, prefix + b}
    covered = {c for c in codes if c.startswith(COVERED)}
    assert len(covered) > 30
    assert sorted(c for c in covered if c not in LABELS) == []


def test_computed_codes_have_labels():
    for kind in ("forms", "criteria", "award_forms", "recipients"):
        assert f"campaigns.{kind}.replaced" in LABELS
    for status in ("acknowledged", "done", "assigned"):
        assert f"campaigns.assignment.{status}" in LABELS
    for to in ("accepted", "returned"):
        assert f"reporting.report.{to}" in LABELS
    for to in ("answered", "forwarded", "closed"):
        assert f"participation.difficulty.{to}" in LABELS
    assert action_label("awards.nomination.submitted") == "Gửi"  # falls back to the verb


def test_campaign_history_reads_in_vietnamese(campaign, office_client):
    html = office_client.get(f"/phong-trao/{campaign.pk}/").content.decode()
    assert "Ban hành kế hoạch" in html
    assert "Tạo dự thảo từ văn bản" in html
    assert "<code>campaigns.campaign.issued</code>" not in html


def test_action_log_is_read_only_in_the_admin(campaign, make_user):
    admin = make_user()
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    client = verified_client(admin)
    listing = client.get("/quan-tri/core/actionlog/")
    assert listing.status_code == 200
    assert "/quan-tri/core/actionlog/add/" not in listing.content.decode()
    assert "Ban hành kế hoạch" in listing.content.decode()
    assert client.get("/quan-tri/core/actionlog/add/").status_code == 403
    from thidua.core.models import ActionLog

    entry = ActionLog.objects.first()
    page = client.get(f"/quan-tri/core/actionlog/{entry.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html
    assert (
        client.post(f"/quan-tri/core/actionlog/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert ActionLog.objects.filter(pk=entry.pk).exists()
