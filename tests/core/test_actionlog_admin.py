"""The campaign's history in Vietnamese; the action log read-only in the admin. (Every code's
label: tests/core/test_action_labels.py.)"""

from tests.conftest import verified_client


def test_campaign_history_reads_in_vietnamese(campaign, office_client):
    html = office_client.get(f"/phong-trao/{campaign.pk}/").content.decode()
    assert "Ban hành kế hoạch" in html
    assert "Nhập kế hoạch từ văn bản" in html
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
