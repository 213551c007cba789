"""The navigation bar and a campaign's tabs are cached fragments keyed by every value they
show: a change shows at once, and no user gets another's menu."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.notifications.services import notify
from thidua.participation.services import difficulty_raise

pytestmark = pytest.mark.django_db


def test_the_unread_badge_and_the_name_follow_the_user(office_user, office_client):
    url = reverse("campaigns:campaign-list")
    assert "text-bg-warning" not in office_client.get(url).content.decode()
    notify(users=[office_user], title="Một việc mới")
    page = office_client.get(url).content.decode()
    assert 'Thông báo <span class="badge text-bg-warning">1</span>' in page
    office_user.full_name = "Tên đã đổi"
    office_user.save()
    assert "Tên đã đổi" in office_client.get(url).content.decode()


def test_each_role_gets_its_own_menu(office_client, make_user):
    url = reverse("campaigns:campaign-list")
    users_link = reverse("organizations:user-list")
    admin_client = verified_client(make_user(Role.SYSTEM_ADMIN))
    officer_client = verified_client(make_user(Role.UNIT_OFFICER))
    assert users_link in admin_client.get(url).content.decode()
    assert users_link not in officer_client.get(url).content.decode()
    assert users_link not in office_client.get(url).content.decode()
    # the logout form's token is the requester's own, never a cached one
    one = office_client.get(url).content.decode().split('name="csrfmiddlewaretoken" value="')
    two = office_client.get(url).content.decode().split('name="csrfmiddlewaretoken" value="')
    assert one[1][:64] != two[1][:64]


def test_the_difficulty_badge_and_the_current_tab_follow_the_page(
    campaign, officer, office_client, city
):
    dashboard = reverse("reporting:dashboard", args=[campaign.pk])
    difficulties = reverse("participation:difficulty-list", args=[campaign.pk])
    page = office_client.get(dashboard).content.decode()
    assert f'aria-current="page" href="{dashboard}"' in page
    assert "Khó khăn <span" not in page
    difficulty_raise(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, title="Thiếu kinh phí", text="…"
    )
    page = office_client.get(difficulties).content.decode()
    assert f'aria-current="page" href="{difficulties}"' in page
    assert 'Khó khăn <span class="badge text-bg-warning">1</span>' in page
    page = office_client.get(dashboard).content.decode()  # its own count serves the tabs
    assert 'Khó khăn <span class="badge text-bg-warning">1</span>' in page
    assert "1 khó khăn chưa giải quyết" in page


def test_each_script_prefix_gets_its_own_links(office_client):
    """Two sites under different prefixes (SCRIPT_NAME, FORCE_SCRIPT_NAME) sharing one Redis:
    the menu cached for one never shows the other's links."""
    url = reverse("campaigns:campaign-list")
    pages = {}
    try:
        for prefix in ("/a/", "/b/"):
            set_script_prefix(prefix)  # as the WSGI handler does for each request
            pages[prefix] = office_client.get(url).content.decode()
    finally:
        clear_script_prefix()
    assert f'href="/a{url}">Phong trào</a>' in pages["/a/"]
    assert f'href="/b{url}">Phong trào</a>' in pages["/b/"]
    assert 'href="/a/' not in pages["/b/"]
