"""The plan editor saves the whole form at once and loses nothing on bad input; unit pickers
are grouped by level."""

import pytest
from django.urls import reverse

from tests.campaigns.editor_page import form_data
from thidua.campaigns import services
from thidua.campaigns.models import ActivityForm, Campaign
from thidua.demo import SEED_PLAN

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(office_user, city):
    return services.campaign_import(
        actor=office_user, text=SEED_PLAN.read_text(encoding="utf-8"), owner_unit=city.city
    )


def test_one_save_writes_general_fields_and_lists(draft, office_client):
    url = reverse("campaigns:campaign-edit", args=[draft.pk])
    data = form_data(office_client.get(url).content.decode())
    forms_before = ActivityForm.objects.filter(campaign=draft).count()
    total = int(data["forms-TOTAL_FORMS"])
    data["signer_name"] = "Nguyễn Văn Thành"
    # the blank last row, as the page's "Thêm dòng" leaves it, filled in
    data[f"forms-{total - 1}-code"] = "SEMINAR"
    data[f"forms-{total - 1}-label"] = "Tọa đàm cấp phường"
    response = office_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.signer_name == "Nguyễn Văn Thành"
    labels = list(ActivityForm.objects.filter(campaign=draft).values_list("label", flat=True))
    assert len(labels) == forms_before + 1
    assert labels[-1] == "Tọa đàm cấp phường"


def test_bad_row_saves_nothing_and_keeps_what_was_typed(draft, office_client):
    url = reverse("campaigns:campaign-edit", args=[draft.pk])
    data = form_data(office_client.get(url).content.decode())
    total = int(data["criteria-TOTAL_FORMS"])
    data["signer_name"] = "Người ký mới"
    data[f"criteria-{total - 1}-text"] = "Tiêu chí mới"
    data[f"criteria-{total - 1}-target_value"] = "mười"
    response = office_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chưa lưu" in html
    assert "Nhập một số." in html
    assert 'value="Người ký mới"' in html
    assert "Tiêu chí mới" in html
    assert Campaign.objects.get(pk=draft.pk).signer_name != "Người ký mới"


def test_editor_has_add_row_templates_and_pickers_grouped_by_level(draft, office_client):
    html = office_client.get(reverse("campaigns:campaign-edit", args=[draft.pk])).content.decode()
    for name in ("sections", "forms", "criteria", "award_forms", "recipients"):
        assert f'<template id="{name}-empty">' in html
        assert f'data-formset-add="{name}"' in html
    assert html.count('<form method="post" novalidate id="plan-editor"') == 1
    assert "data-unit-picker" in html
    assert '<optgroup label="Phường">' in html
    assert '<optgroup label="Phòng, ban chuyên môn">' in html
