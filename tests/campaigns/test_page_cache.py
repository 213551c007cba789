"""The issued plan's page keeps its text in the fragment cache (core.versions): every change
it shows must reach the page, and nothing one user may see reaches another."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import verified_client
from thidua.campaigns import services
from thidua.campaigns.models import AssignmentTarget
from thidua.organizations.services import unit_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(draft, office_user):
    return services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))


def page(client, campaign) -> str:
    response = client.get(reverse("campaigns:campaign-detail", args=[campaign.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_added_activity_type_shows_at_once(issued, office_user, office_client):
    assert "Tọa đàm giữ lửa truyền thống" not in page(office_client, issued)
    services.activity_form_add(
        actor=office_user, campaign=issued, label="Tọa đàm giữ lửa truyền thống", code="OTHER"
    )
    assert "Tọa đàm giữ lửa truyền thống" in page(office_client, issued)


def test_a_new_short_unit_name_shows_at_once(issued, office_user, office_client, make_user):
    target = AssignmentTarget.objects.filter(assignment__campaign=issued).first()
    assert target is not None
    page(office_client, issued)
    unit_update(actor=office_user, unit=target.unit, short_name="Tên ngắn mới của đơn vị")
    assert "Tên ngắn mới của đơn vị" in page(office_client, issued)


def test_the_cached_text_carries_no_ones_buttons(issued, office_client, ward_officer):
    ward_client = verified_client(ward_officer)
    office_page = page(office_client, issued)
    ward_page = page(ward_client, issued)
    add_form = reverse("campaigns:activity-form-add", args=[issued.pk])
    assert add_form in office_page  # Nội vụ may add an activity type, a unit may not
    assert add_form not in ward_page
    assert "Toàn văn" in ward_page
    # the same text either way round
    assert page(office_client, issued).split("Toàn văn")[1] == ward_page.split("Toàn văn")[1]


def test_a_draft_is_drawn_afresh(draft, office_user, office_client):
    assert "Trích yếu mới của dự thảo" not in page(office_client, draft)
    draft = services.campaign_update(
        actor=office_user, campaign=draft, version=draft.version, title="Trích yếu mới của dự thảo"
    )
    assert "Trích yếu mới của dự thảo" in page(office_client, draft)
    services.campaign_sections_replace(
        actor=office_user, campaign=draft, sections=[{"level": 1, "body": "Đoạn văn mới thay thế"}]
    )
    assert "Đoạn văn mới thay thế" in page(office_client, draft)


def test_the_delivery_summary_follows_the_units(issued, office_client, ward_officer):
    before = page(office_client, issued).split("Tình hình tiếp nhận: ")[1].split("</a>")[0]
    acknowledged, rest = before.split("/", 1)
    total = int(rest.split(" ")[0])
    opened = int(before.split(", ")[1].split(" ")[0])
    ward_client = verified_client(ward_officer)
    page(ward_client, issued)  # the unit opens the plan
    after = page(office_client, issued)
    assert f"Tình hình tiếp nhận: {acknowledged}/{total} đã xác nhận, {opened + 1} đã mở" in after
    ward_client.post(reverse("campaigns:campaign-acknowledge", args=[issued.pk]))
    after = page(office_client, issued)
    assert f"{int(acknowledged) + 1}/{total} đã xác nhận, {opened + 1} đã mở" in after
