"""An administrator issues a read-only token for one ward on the staff page, then an
integration uses it: it lists that ward's activities, is refused another ward's and any write;
the administrator revokes it and the next call fails."""

import json
import urllib.request
from datetime import date
from pathlib import Path
from urllib.error import HTTPError

import pytest
from playwright.sync_api import expect

from tests.e2e.test_foundation import pass_totp, sign_in
from thidua.accounts.models import Role
from thidua.participation import services as participation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "api"


def call(base: str, secret: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - the live test server (http)
        base + path,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310 - the live test server
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, json.loads(error.read())


def test_admin_issues_a_ward_token_that_reads_its_ward_only_then_revokes_it(
    page, live_server, make_user, city, campaign
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    officer = make_user(Role.UNIT_OFFICER, city.suoi_hoa)
    form = campaign.forms.first()
    participation.activity_record(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, form=form,
        title="Tọa đàm Suối Hoa", held_on=date(2022, 7, 5),
    )  # fmt: skip
    admin = make_user(Role.SYSTEM_ADMIN, city.city)
    sign_in(page, admin.username)
    pass_totp(page, admin)
    page.goto("/")
    page.get_by_role("button", name=admin.get_full_name()).or_(
        page.get_by_role("link", name=admin.get_full_name())
    ).first.click()
    page.get_by_role("link", name="Khóa API").click()
    expect(page.get_by_role("heading", name="Khóa API")).to_be_visible()
    expect(page.get_by_text("Chưa cấp khóa API nào.")).to_be_visible()
    page.get_by_role("link", name="Cấp khóa mới").click()
    page.get_by_label("Tên tích hợp").fill("Cổng dữ liệu của tỉnh")
    page.get_by_label("Đơn vị trong phạm vi").select_option(label=city.suoi_hoa.name)
    page.screenshot(path=str(SHOTS / "01-issue.png"), full_page=True)
    page.get_by_role("button", name="Cấp khóa").click()
    expect(
        page.get_by_role("heading", name="Đã cấp khóa API “Cổng dữ liệu của tỉnh”")
    ).to_be_visible()
    secret = page.get_by_label("Khóa API").input_value()
    page.screenshot(path=str(SHOTS / "02-issued.png"), full_page=True)

    base = live_server.url + f"/api/v1/campaigns/{campaign.pk}/activities"
    status, body = call(base, secret, "")
    assert status == 200
    assert [a["title"] for a in body["items"]] == ["Tọa đàm Suối Hoa"]
    status, body = call(base, secret, f"?unit_id={city.vu_ninh.pk}")
    assert (status, body["code"]) == (403, "forbidden")
    new = {"unit_id": city.suoi_hoa.pk, "form_id": form.pk, "title": "X", "held_on": "2022-08-01"}
    status, body = call(base, secret, "", new)
    assert (status, body["code"]) == (403, "read_only_token")

    page.get_by_role("link", name="Về danh sách khóa").click()
    expect(page.get_by_role("cell", name="Cổng dữ liệu của tỉnh")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Thu hồi").click()
    expect(page.get_by_text("Đã thu hồi khóa “Cổng dữ liệu của tỉnh”")).to_be_visible()
    page.screenshot(path=str(SHOTS / "03-list.png"), full_page=True)
    status, body = call(base, secret, "")
    assert (status, body["code"]) == (401, "unauthenticated")
