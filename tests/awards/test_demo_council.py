import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from thidua import demo
from thidua.awards.models import Council

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_all_eleven_demo_members_sign_in_and_find_their_sessions(settings):
    settings.THIDUA_TOTP_REQUIRED = False
    call_command("demo_load", stdout=io.StringIO())
    body = Council.objects.get()
    seats = {m.user.username for m in body.members.select_related("user")}
    assert seats == {username for username, *_ in demo.COUNCIL_SEATS}
    assert len(seats) == 11
    printed = "\n".join(demo.login_lines())
    for username in seats:
        assert f"  {username} " in printed
        client = Client()
        response = client.post(
            reverse("accounts:login"),
            {"username": username, "password": demo.DEMO_PASSWORD},
        )
        assert response.status_code == 302, username
        assert client.get(reverse("core:home"), follow=True).status_code == 200  # no 403
        page = client.get(reverse("awards:session-list")).content.decode()
        assert "Phiên họp xét khen thưởng phong trào 110 năm" in page, username
        assert "Phiên họp xét tặng Giấy khen phong trào 110 năm" in page, username
