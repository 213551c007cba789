"""The portal's own scope (docs/security.md R25): the city's media staff reach the portal pages of
its wards' campaigns, which are not sent to them, through `selectors.campaigns_for_portal_editor`;
the campaign's other tabs keep `campaign_list_for`, and other bodies' media staff stay out."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.campaigns import services as campaigns
from thidua.campaigns.models import Delivery
from thidua.demo import CRITERIA, SEED_PLAN
from thidua.portal import selectors, services
from thidua.portal.models import Article, ContentStatus

pytestmark = pytest.mark.django_db


def _issue(actor, owner, issued_on=date(2022, 6, 1)):
    """The seed plan issued by `owner`'s Nội vụ (`actor`)."""
    draft = campaigns.campaign_import(
        actor=actor, text=SEED_PLAN.read_text(encoding="utf-8"), owner_unit=owner
    )
    draft = campaigns.campaign_update(
        actor=actor, campaign=draft, version=draft.version, signer_name="Trần Văn Bình"
    )
    campaigns.campaign_items_replace(actor=actor, campaign=draft, kind="criteria", items=CRITERIA)
    return campaigns.campaign_issue(actor=actor, campaign=draft, issued_on=issued_on)


@pytest.fixture
def vu_ninh_campaign(make_user, city):
    """A campaign of the ward of Vũ Ninh, sent to none of the city's units (the seed plan's
    text names the city's Nội vụ and media centre as recipients: a ward's plan would not)."""
    office = make_user(Role.EMULATION_OFFICE, city.vu_ninh, username="noivu-vuninh")
    issued = _issue(office, city.vu_ninh)
    Delivery.objects.filter(campaign=issued, unit__in=[city.noivu, city.centre]).delete()
    assert not issued.deliveries.exists()
    return issued


@pytest.fixture
def vu_ninh_site(vu_ninh_campaign, make_user, city):
    """Its portal, set up by Vũ Ninh's own media staff, with one news section."""
    staff = make_user(Role.MEDIA_STAFF, city.vu_ninh, username="truyenthong-vuninh")
    site = services.site_save(actor=staff, campaign=vu_ninh_campaign, is_public=True, intro="")
    services.section_create(actor=staff, site=site, name="Tin phường")
    return site


@pytest.fixture(params=["centre", "city"])
def city_media(request, make_user, city):
    """The city's media staff: granted at its media centre, or at the city itself."""
    return make_user(Role.MEDIA_STAFF, getattr(city, request.param), username="tt-thanhpho")


@pytest.fixture
def suoi_hoa_media(make_user, city):
    return make_user(Role.MEDIA_STAFF, city.suoi_hoa, username="truyenthong-suoihoa")


def test_the_citys_media_staff_open_a_wards_campaign_portal_and_write_on_it(
    city_media, vu_ninh_site
):
    campaign = vu_ninh_site.campaign
    client = verified_client(city_media)
    hub = client.get(reverse("portal:manage", args=[campaign.pk]))
    assert hub.status_code == 200
    html = hub.content.decode()
    assert "Viết tin bài" in html
    assert "Lưu cài đặt" in html
    # Its other tabs would be a 404: none shown, a way back to the editor's list instead.
    assert "Các mục của phong trào" not in html
    assert f'href="{reverse("portal:campaign-pages")}"' in html
    assert f'href="{reverse("campaigns:campaign-detail", args=[campaign.pk])}"' not in html
    create = reverse("portal:article-create", args=[campaign.pk])
    page = client.get(create)
    assert page.status_code == 200
    assert "Các mục của phong trào" not in page.content.decode()
    section = vu_ninh_site.sections.get()
    response = client.post(create, {"section": section.pk, "title": "Tin từ thành phố"})
    assert response.status_code == 302
    article = Article.objects.get(title="Tin từ thành phố")
    assert (article.site, article.status) == (vu_ninh_site, ContentStatus.DRAFT)
    assert response["Location"] == reverse("portal:article-edit", args=[article.pk])
    response = client.post(reverse("portal:album-create", args=[campaign.pk]), {"title": "Ảnh"})
    album = vu_ninh_site.albums.get()
    assert response["Location"] == reverse("portal:album-edit", args=[album.pk])
    for page in (response["Location"], reverse("portal:article-edit", args=[article.pk])):
        html = client.get(page).content.decode()
        assert "Các mục của phong trào" not in html, page
        assert f'href="{reverse("portal:campaign-pages")}"' in html, page


def test_the_citys_media_staff_still_get_404_on_the_wards_campaigns_other_tabs(
    city_media, vu_ninh_campaign
):
    """`campaign_list_for` is unchanged: no registrations, activities or dossiers of the ward."""
    client = verified_client(city_media)
    for name in (
        "campaigns:campaign-detail",
        "participation:registration-list",
        "participation:activity-list",
        "awards:nomination-list",
    ):
        assert client.get(reverse(name, args=[vu_ninh_campaign.pk])).status_code == 404, name


def test_another_wards_media_staff_stay_out_of_the_wards_and_the_citys_portal(
    suoi_hoa_media, vu_ninh_site, campaign
):
    client = verified_client(suoi_hoa_media)
    vu_ninh = vu_ninh_site.campaign.pk
    for name in ("portal:manage", "portal:article-create", "portal:album-create"):
        assert client.get(reverse(name, args=[vu_ninh])).status_code == 404, name
    # The city's campaign is sent to Suối Hoa: its hub is readable, its editing pages are not.
    hub = client.get(reverse("portal:manage", args=[campaign.pk]))
    assert hub.status_code == 200
    assert "Viết tin bài" not in hub.content.decode()
    assert "Các mục của phong trào" in hub.content.decode()  # tabs as before
    for name in ("portal:article-create", "portal:album-create"):
        assert client.get(reverse(name, args=[campaign.pk])).status_code == 403, name


def test_someone_neither_editing_nor_sent_the_campaign_gets_404(make_user, city, vu_ninh_site):
    """No portal role, no delivery: the widened scope is media staff's only."""
    officer = make_user(Role.UNIT_OFFICER, city.centre, username="canbo-trungtam")
    client = verified_client(officer)
    vu_ninh = vu_ninh_site.campaign.pk
    assert client.get(reverse("portal:manage", args=[vu_ninh])).status_code == 404
    assert client.get(reverse("portal:submit-article", args=[vu_ninh])).status_code == 404
    assert client.get(reverse("portal:article-create", args=[vu_ninh])).status_code == 403


def test_the_campaign_pages_list_exactly_what_the_user_edits(
    city_media, suoi_hoa_media, vu_ninh_campaign, campaign, city, make_user
):
    url = reverse("portal:campaign-pages")
    listed = verified_client(city_media).get(url)
    assert listed.status_code == 200
    assert [c.pk for c in listed.context["campaigns"]] == [vu_ninh_campaign.pk, campaign.pk]
    html = listed.content.decode()
    assert reverse("portal:manage", args=[vu_ninh_campaign.pk]) in html
    assert "Chưa lập trang" in html
    # Suối Hoa's media staff: the city's campaign is sent to them, but they do not edit it.
    own = verified_client(suoi_hoa_media).get(url)
    assert list(own.context["campaigns"]) == []
    assert "Chưa có phong trào nào" in own.content.decode()
    # The selector says the same as the rule, campaign by campaign.
    for user in (city_media, suoi_hoa_media):
        edited = set(selectors.campaigns_portal_edited_by(actor=user).values_list("pk", flat=True))
        reached = selectors.campaigns_for_portal_editor(actor=user)
        assert edited == {
            c.pk for c in reached if selectors.rules.can_edit_campaign_portal(user, c)
        }


def test_the_campaign_pages_list_query_count_is_flat(make_user, city, vu_ninh_site):
    media = make_user(Role.MEDIA_STAFF, city.centre, username="tt-dem")
    client = verified_client(media)
    url = reverse("portal:campaign-pages")

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    office = make_user(Role.EMULATION_OFFICE, city.suoi_hoa, username="noivu-sh")
    for day in range(1, 5):
        _issue(office, city.suoi_hoa, issued_on=date(2022, 7, day))
    assert queries() == one
    assert len(client.get(url).context["campaigns"]) == 5


def _lit(client, url) -> list[str]:
    """The top navigation's highlighted items on the page."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    nav = html.split('id="mainnav"', 1)[1].split("</ul>", 1)[0]
    return [
        part.split(">", 1)[1].split("<", 1)[0] for part in nav.split('class="nav-link active"')[1:]
    ]


def test_the_menu_lights_the_campaign_or_the_media_staffs_list_not_both(
    campaign, vu_ninh_site, make_user, city
):
    """ "Trang phong trào" was lit on every portal editor page, with "Phong trào" in the
    breadcrumb above the campaign's tabs: a campaign the user reaches with its tabs lights
    "Phong trào"; one reached only as its portal's editor, and the list itself, "Trang phong
    trào"."""
    city_media = make_user(Role.MEDIA_STAFF, city.centre, username="tt-trungtam")
    client = verified_client(city_media)
    site = services.site_save(actor=city_media, campaign=campaign, is_public=True, intro="")
    services.section_create(actor=city_media, site=site, name="Tin hoạt động")
    assert (
        selectors.campaigns_for_portal_editor(actor=city_media).get(pk=campaign.pk).in_campaign_list
    )
    assert _lit(client, reverse("portal:manage", args=[campaign.pk])) == ["Phong trào"]
    assert _lit(client, reverse("portal:article-create", args=[campaign.pk])) == ["Phong trào"]
    assert _lit(client, reverse("portal:manage", args=[vu_ninh_site.campaign_id])) == [
        "Trang phong trào"
    ]
    assert _lit(client, reverse("portal:campaign-pages")) == ["Trang phong trào"]
