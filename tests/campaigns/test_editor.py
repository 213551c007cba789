"""The plan editor saves the whole form at once and loses nothing on bad input; unit pickers
are grouped by level."""

import re

import pytest
from django.urls import reverse

from thidua.campaigns import services
from thidua.campaigns.models import ActivityForm, Campaign
from thidua.demo import SEED_PLAN

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(office_user, city):
    return services.campaign_import(
        actor=office_user, text=SEED_PLAN.read_text(encoding="utf-8"), owner_unit=city.city
    )


def form_data(html: str) -> dict[str, object]:
    """What the browser would send: every input, textarea and selected option of the page's
    editor form, as rendered."""
    start = html.index('id="plan-editor"')
    form = html[start : html.index("</form>", start)]
    form = re.sub(r"<template.*?</template>", "", form, flags=re.S)
    data: dict[str, object] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) == "checkbox":
            if "checked" in tag:
                data[name.group(1)] = "on"
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = (
            body.strip("\n").replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")
        )
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', options)
        data[name] = chosen if len(chosen) != 1 else chosen[0]
    return {k: v for k, v in data.items() if v != []}


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
