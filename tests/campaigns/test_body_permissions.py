"""Who may run a campaign, its reports and its reviews: Nội vụ of the body that issues it (its
owner's issuer; an officer of Phòng Nội vụ works for the city), never a ward's own emulation
officer or leader, who run their ward's campaigns (docs/security.md R19). The city's Nội vụ, the
body above, may keep a ward's plan."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.campaigns import services
from thidua.campaigns.models import Campaign, CampaignStatus
from thidua.core.models import ActionLog
from thidua.participation import services as participation

pytestmark = pytest.mark.django_db


def _logged() -> int:
    return ActionLog.objects.count()


def test_a_wards_officer_cannot_draft_a_plan_in_the_citys_name(
    ward_office, office_user, make_user, city, seed_text
):
    """Importing, or copying, a plan owned by the city would let a ward issue it to every unit
    in the city's name; the ward drafts its own."""
    with pytest.raises(PermissionDenied):
        services.campaign_import(actor=ward_office, text=seed_text, owner_unit=city.city)
    assert not Campaign.objects.exists()
    own = services.campaign_import(actor=ward_office, text=seed_text, owner_unit=city.suoi_hoa)
    own = services.campaign_update(
        actor=ward_office, campaign=own, version=own.version, signer_name="Trần Văn Bình"
    )
    assert own.signer_name == "Trần Văn Bình"
    # Another ward's officer keeps out of it; the city's Nội vụ, the body above, may keep it.
    other_ward = make_user(Role.EMULATION_OFFICE, city.vu_ninh, username="noivu-vuninh")
    with pytest.raises(PermissionDenied):
        services.campaign_update(actor=other_ward, campaign=own, version=own.version, title="X")
    services.campaign_update(actor=office_user, campaign=own, version=own.version, title="Y")


def test_a_wards_officers_cannot_change_the_citys_draft(ward_office, ward_signer, draft, city):
    before = _logged()
    for change in (
        lambda a: services.campaign_update(
            actor=a, campaign=draft, version=draft.version, title="Kế hoạch khác"
        ),
        lambda a: services.campaign_sections_replace(actor=a, campaign=draft, sections=[]),
        lambda a: services.campaign_items_replace(
            actor=a, campaign=draft, kind="criteria", items=[]
        ),
        lambda a: services.activity_form_add(actor=a, campaign=draft, label="Thi ảnh", code="X"),
        lambda a: services.campaign_copy(actor=a, source=draft),
        lambda a: services.campaign_issue(actor=a, campaign=draft, issued_on=date(2022, 5, 25)),
        lambda a: services.campaign_delete_draft(actor=a, campaign=draft),
    ):
        for actor in (ward_office, ward_signer):
            with pytest.raises(PermissionDenied):
                change(actor)
    assert _logged() == before
    draft.refresh_from_db()
    assert (draft.status, Campaign.objects.count()) == (CampaignStatus.DRAFT, 1)
    assert draft.title != "Kế hoạch khác"


def test_a_wards_officer_cannot_move_the_citys_campaign(ward_office, office_user, campaign):
    before = _logged()
    for step in (services.campaign_interim_begin, services.campaign_final_begin):
        with pytest.raises(PermissionDenied):
            step(actor=ward_office, campaign=campaign)
    with pytest.raises(PermissionDenied):
        services.campaign_close(actor=ward_office, campaign=campaign)
    assert _logged() == before
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.RUNNING
    services.campaign_interim_begin(actor=office_user, campaign=campaign)


def test_a_wards_officer_cannot_review_the_citys_good_models_or_difficulties(
    ward_office, office_user, officer, campaign, city
):
    model = participation.good_model_propose(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        kind="model",
        title="Tủ sách",
        description="Mô tả",
    )
    difficulty = participation.difficulty_raise(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, title="Kinh phí", text="Thiếu"
    )
    before = _logged()
    for change in (
        lambda: participation.good_model_review(
            actor=ward_office, good_model=model, decision="accept", note=""
        ),
        lambda: participation.difficulty_answer(
            actor=ward_office, difficulty=difficulty, answer="Đã có"
        ),
        lambda: participation.difficulty_forward(actor=ward_office, difficulty=difficulty),
        lambda: participation.difficulty_close(actor=ward_office, difficulty=difficulty),
        lambda: participation.registration_remind_missing(actor=ward_office, campaign=campaign),
    ):
        with pytest.raises(PermissionDenied):
            change()
    assert _logged() == before
    participation.good_model_review(actor=office_user, good_model=model, decision="accept", note="")
    participation.difficulty_answer(actor=office_user, difficulty=difficulty, answer="Đã có")


def test_a_wards_officer_sees_no_button_to_change_the_citys_campaign(
    ward_office, office_user, campaign
):
    page = verified_client(ward_office).get(
        reverse("campaigns:campaign-detail", args=[campaign.pk])
    )
    assert page.status_code == 200
    for url in (
        reverse("campaigns:campaign-transition", args=[campaign.pk, "interim"]),
        reverse("campaigns:activity-form-add", args=[campaign.pk]),
        reverse("campaigns:campaign-copy", args=[campaign.pk]),
    ):
        assert url not in page.content.decode()
    office = verified_client(office_user).get(
        reverse("campaigns:campaign-detail", args=[campaign.pk])
    )
    assert reverse("campaigns:activity-form-add", args=[campaign.pk]) in office.content.decode()


def test_the_citys_difficulties_are_not_on_a_wards_officers_list(
    ward_office, ward_signer, office_user, officer, campaign, city
):
    from thidua.participation.selectors import difficulties_to_answer_for

    d = participation.difficulty_raise(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, title="Kinh phí", text="Thiếu"
    )
    assert list(difficulties_to_answer_for(actor=office_user)) == [d]
    assert list(difficulties_to_answer_for(actor=ward_office)) == []
    participation.difficulty_forward(actor=office_user, difficulty=d)
    assert list(difficulties_to_answer_for(actor=ward_signer)) == []


def test_a_wards_officer_cannot_publish_the_citys_campaign_pages(
    ward_office, office_user, campaign
):
    from thidua.portal import services as portal
    from thidua.portal.models import PortalSite

    with pytest.raises(PermissionDenied):
        portal.site_save(actor=ward_office, campaign=campaign, is_public=True, intro="")
    assert not PortalSite.objects.exists()
    portal.site_save(actor=office_user, campaign=campaign, is_public=True, intro="")
