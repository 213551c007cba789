"""The body running a deployment is a setting: another city's pages never say Bắc Ninh."""

from django.urls import reverse

from thidua.portal.models import PortalSite


def test_footers_and_portal_titles_name_the_configured_body(client, db, settings):
    settings.THIDUA_ORGANISATION = "UBND thị xã Quế Võ"
    settings.THIDUA_PORTAL_EDITORS = "Phòng Văn hóa và Thông tin thị xã"
    assert not PortalSite.objects.exists()
    login = client.get(reverse("accounts:login")).content.decode()
    portal = client.get(reverse("portal:index")).content.decode()
    for html in (login, portal):
        assert "Quế Võ" in html
        assert "Bắc Ninh" not in html
    assert "UBND thị xã Quế Võ · Phòng Nội vụ" in login
    assert "Phòng Văn hóa và Thông tin thị xã" in portal
    assert "Chưa có phong trào nào được công khai." in portal


def test_login_page_points_citizens_to_the_public_portal(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "dành cho cán bộ, công chức" in html
    assert f'href="{reverse("portal:index")}"' in html
