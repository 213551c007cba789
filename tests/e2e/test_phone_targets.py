"""Tap targets on a phone: a list's filter button ("Lọc" on the task list) was 42 × 31 px at
390 px, under the 44 px a finger needs; desktops keep the compact form."""

import pytest

from tests.e2e.test_foundation import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("url", ["/nhiem-vu/", "/bao-cao/cua-don-vi/"])
def test_a_lists_filter_is_finger_sized_on_a_phone_and_compact_on_a_desktop(
    page, office_user, campaign, settings, url
):
    settings.THIDUA_TOTP_REQUIRED = False
    sign_in(page, office_user.username)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    button = page.get_by_role("button", name="Lọc", exact=True)
    assert button.bounding_box()["height"] >= 44
    assert button.bounding_box()["width"] >= 44
    for field in page.locator(
        "form[method=get] .form-control, form[method=get] .form-select"
    ).all():
        assert field.bounding_box()["height"] >= 44
    page.set_viewport_size({"width": 1366, "height": 900})
    assert button.bounding_box()["height"] < 40
