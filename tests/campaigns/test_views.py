from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import verified_client
from thidua.campaigns import services
from thidua.campaigns.models import Campaign, Delivery

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_campaign_list_query_count_is_flat(draft, office_user, office_client):
    url = reverse("campaigns:campaign-list")
    one = queries(office_client, url)
    for _ in range(5):
        services.campaign_copy(actor=office_user, source=draft)
    assert queries(office_client, url) == one
    assert len(office_client.get(url).context["campaigns"]) == 6


def test_task_and_delivery_lists_query_count_is_flat(
    draft, office_user, office_client, ward_officer
):
    issued = services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    ward_client = verified_client(ward_officer)
    tasks, deliveries = (
        reverse("campaigns:task-list"),
        reverse("campaigns:campaign-deliveries", args=[issued.pk]),
    )
    few_tasks, few_deliveries = queries(ward_client, tasks), queries(office_client, deliveries)
    second = services.campaign_copy(actor=office_user, source=issued)
    services.campaign_update(
        actor=office_user, campaign=second, version=second.version, signer_name="Lê Văn A"
    )
    services.campaign_issue(
        actor=office_user, campaign=Campaign.objects.get(pk=second.pk), issued_on=date(2022, 6, 1)
    )
    assert queries(ward_client, tasks) == few_tasks
    assert queries(office_client, deliveries) == few_deliveries


def test_import_page_creates_a_draft_and_review_shows_source(city, office_client, seed_text):
    response = office_client.post(
        reverse("campaigns:campaign-import"), {"owner_unit": city.city.pk, "text": seed_text}
    )
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("campaigns:campaign-review", args=[campaign.pk])
    page = office_client.get(response["Location"]).content.decode()
    assert "272/KH-UBND" in page
    assert "13/05/2022" in page
    assert "Nơi nhận:" in page  # the source, side by side


def test_import_rejects_a_fake_docx(city, office_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("ke-hoach.docx", b"MZ this is not a word file")
    response = office_client.post(
        reverse("campaigns:campaign-import"), {"owner_unit": city.city.pk, "docx": fake}
    )
    assert "không phải là văn bản Word" in response.content.decode()
    assert not Campaign.objects.exists()


def test_unit_sees_only_campaigns_sent_to_it(draft, office_user, make_user, city):
    outsider = make_user("unit_officer", city.centre)
    services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    Delivery.objects.filter(unit=city.centre).delete()
    client = verified_client(outsider)
    assert client.get(reverse("campaigns:campaign-detail", args=[draft.pk])).status_code == 404
    assert len(client.get(reverse("campaigns:campaign-list")).context["campaigns"]) == 0


def test_opening_the_plan_is_recorded_for_the_unit(draft, office_user, ward_officer):
    issued = services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))
    verified_client(ward_officer).get(reverse("campaigns:campaign-detail", args=[issued.pk]))
    assert Delivery.objects.get(campaign=issued, unit__code="P-SUOIHOA").opened_at is not None


def test_live_preview_shows_unsaved_fields(draft, office_client):
    url = reverse("campaigns:campaign-preview", args=[draft.pk])
    form_data = {
        "version": draft.version,
        "issuer_name": draft.issuer_name,
        "doc_symbol": "KH-UBND",
        "place": "Bắc Ninh",
        "title": "Trích yếu đang sửa",
        "method": "thematic",
        "signer_name": "Trần Văn Bình",
        "signer_title": "CHỦ TỊCH",
    }
    page = office_client.post(url, form_data).content.decode()
    assert "Trích yếu đang sửa" in page
    assert "Trần Văn Bình" in page
    draft.refresh_from_db()
    assert draft.title != "Trích yếu đang sửa"
