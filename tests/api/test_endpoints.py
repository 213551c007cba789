from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.api.models import TokenAccess
from thidua.core.models import ActionLog
from thidua.participation.models import Activity
from thidua.participation.selectors import activity_list_for

pytestmark = pytest.mark.django_db


def _ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_read_token_lists_its_ward_and_nothing_of_another(city, world, issue):
    _, api = issue(city.suoi_hoa)
    url = f"/api/v1/campaigns/{world['campaign'].pk}/activities"
    assert _ids(api.get(url)) == [world["mine"].pk]
    other = api.get(url, {"unit_id": city.vu_ninh.pk})
    assert other.status_code == 403
    assert other.json()["code"] == "forbidden"
    assert "phạm vi" in other.json()["message"]
    assert api.get(f"/api/v1/activities/{world['theirs'].pk}").status_code == 404
    assert api.get(f"/api/v1/activities/{world['mine'].pk}").json()["title"] == "Tọa đàm Suối Hoa"


def test_read_token_cannot_write(city, world, issue):
    _, api = issue(city.suoi_hoa)
    response = api.post(
        f"/api/v1/campaigns/{world['campaign'].pk}/activities",
        {
            "unit_id": city.suoi_hoa.pk,
            "form_id": world["form"].pk,
            "title": "Mới",
            "held_on": "2022-08-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json() == {
        "code": "read_only_token",
        "message": "Khóa API này chỉ có quyền đọc.",
        "errors": [],
    }
    patch = api.patch(
        f"/api/v1/activities/{world['mine'].pk}", {"title": "X"}, content_type="application/json"
    )
    assert patch.status_code == 403
    assert Activity.objects.count() == 2


def test_write_token_records_an_activity_seen_in_the_web_ui_and_action_log(
    city, world, issue, officer
):
    token, api = issue(city.suoi_hoa, access=TokenAccess.WRITE)
    response = api.post(
        f"/api/v1/campaigns/{world['campaign'].pk}/activities",
        {
            "unit_id": city.suoi_hoa.pk,
            "form_id": world["form"].pk,
            "title": "Ngày hội đọc sách",
            "held_on": "2022-08-01",
            "participants": 120,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Ngày hội đọc sách"
    assert body["held_on"] == "2022-08-01"
    activity = Activity.objects.get(pk=body["id"])
    assert activity.created_by == token.user
    log = ActionLog.objects.get(action="participation.activity.recorded", target_id=str(body["id"]))
    assert log.actor == token.user
    assert activity in activity_list_for(actor=officer, campaign=world["campaign"])
    page = verified_client(officer).get(
        reverse("participation:activity-list", kwargs={"pk": world["campaign"].pk})
    )
    assert "Ngày hội đọc sách" in page.content.decode()

    patch = api.patch(
        f"/api/v1/activities/{body['id']}",
        {"title": "Ngày hội đọc sách 2022", "participants": 150},
        content_type="application/json",
    )
    assert patch.status_code == 200, patch.content
    activity.refresh_from_db()
    assert (activity.title, activity.participants) == ("Ngày hội đọc sách 2022", 150)
    assert ActionLog.objects.filter(action="participation.activity.updated").count() == 1

    # the service's date rule: not after today, inside the campaign's period
    future = api.post(
        f"/api/v1/campaigns/{world['campaign'].pk}/activities",
        {
            "unit_id": city.suoi_hoa.pk,
            "form_id": world["form"].pk,
            "title": "Chưa diễn ra",
            "held_on": "2027-03-15",
        },
        content_type="application/json",
    )
    assert future.status_code == 422
    assert future.json()["errors"][0]["field"] == "held_on"
    assert future.json()["message"].startswith("Hoạt động chưa diễn ra: ngày tổ chức 15/03/2027")
    outside = api.patch(
        f"/api/v1/activities/{body['id']}",
        {"held_on": "2022-04-30"},
        content_type="application/json",
    )
    assert outside.status_code == 422
    assert "(01/05/2022 – 31/12/2022)" in outside.json()["message"]
    assert Activity.objects.filter(title="Chưa diễn ra").count() == 0


def test_write_token_cannot_write_for_another_ward(city, world, issue):
    _, api = issue(city.suoi_hoa, access=TokenAccess.WRITE)
    response = api.post(
        f"/api/v1/campaigns/{world['campaign'].pk}/activities",
        {
            "unit_id": city.vu_ninh.pk,
            "form_id": world["form"].pk,
            "title": "X",
            "held_on": "2022-08-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    patch = api.patch(
        f"/api/v1/activities/{world['theirs'].pk}", {"title": "X"}, content_type="application/json"
    )
    assert patch.status_code == 404
    assert Activity.objects.count() == 2


def test_errors_are_one_json_shape_with_vietnamese_messages(city, world, issue):
    _, api = issue(city.suoi_hoa, access=TokenAccess.WRITE)
    url = f"/api/v1/campaigns/{world['campaign'].pk}/activities"
    missing = api.post(url, {"unit_id": city.suoi_hoa.pk}, content_type="application/json")
    assert missing.status_code == 422
    body = missing.json()
    assert body["code"] == "invalid_request"
    assert body["message"] == "Dữ liệu gửi lên không hợp lệ."
    assert {e["field"] for e in body["errors"]} >= {"form_id", "title", "held_on"}
    assert {(e["code"], e["message"]) for e in body["errors"]} == {
        ("missing", "Thiếu trường bắt buộc.")
    }
    wrong = api.post(
        url,
        {"unit_id": "x", "form_id": 1, "title": "A", "held_on": "31/12/2022"},
        content_type="application/json",
    ).json()["errors"]
    messages = {e["field"]: e["message"] for e in wrong}
    assert messages["unit_id"] == "Phải là số nguyên."
    assert messages["held_on"] == "Ngày không hợp lệ (định dạng YYYY-MM-DD)."
    nul = api.post(
        url,
        {
            "unit_id": city.suoi_hoa.pk,
            "form_id": world["form"].pk,
            "title": "a\x00b",
            "held_on": "2022-08-01",
        },
        content_type="application/json",
    )
    assert nul.status_code == 422
    late = api.post(
        url,
        {
            "unit_id": city.suoi_hoa.pk,
            "form_id": world["form"].pk,
            "title": "X",
            "held_on": "2022-08-01",
            "ends_on": "2022-07-01",
        },
        content_type="application/json",
    )
    assert late.status_code == 422
    assert late.json()["code"] == "invalid"
    assert late.json()["message"]
    assert Client().get("/api/v1/units").json()["code"] == "unauthenticated"
    assert api.get("/api/v1/campaigns/999999").json()["code"] == "not_found"
    assert api.get("/api/v1/units", {"limit": 0}).status_code == 422


def test_units_people_and_campaigns_are_scoped(city, world, issue):
    _, ward = issue(city.suoi_hoa)
    _, office = issue(city.noivu, role=Role.EMULATION_OFFICE)
    assert _ids(ward.get("/api/v1/units")) == [city.suoi_hoa.pk]
    assert ward.get(f"/api/v1/units/{city.vu_ninh.pk}").status_code == 404
    assert len(_ids(office.get("/api/v1/units"))) == 6
    assert _ids(office.get("/api/v1/units", {"q": "vu ninh"})) == [city.vu_ninh.pk]
    wards = _ids(office.get("/api/v1/units", {"kind": "ward"}))
    assert city.vu_ninh.pk in wards
    assert city.noivu.pk not in wards
    # A kind is one of the listed codes: anything else is refused, not an empty page.
    unknown = office.get("/api/v1/units", {"kind": "phuong"})
    assert unknown.status_code == 422
    assert "Phải là một trong các giá trị" in unknown.json()["errors"][0]["message"]
    assert _ids(ward.get("/api/v1/campaigns")) == [world["campaign"].pk]
    assert ward.get(f"/api/v1/campaigns/{world['campaign'].pk}").json()["status"] == "running"


def test_people_never_show_party_membership(city, issue):
    from thidua.organizations.models import Person

    mine = Person.objects.create(
        full_name="Bùi Thị Hằng",
        gender="female",
        unit=city.suoi_hoa,
        category="civil_servant",
        is_party_member=True,
    )
    Person.objects.create(
        full_name="Lê Văn Nam", gender="male", unit=city.vu_ninh, category="civil_servant"
    )
    _, api = issue(city.suoi_hoa)
    body = api.get("/api/v1/people").json()
    assert [p["id"] for p in body["items"]] == [mine.pk]
    assert "is_party_member" not in body["items"][0]
    assert api.get("/api/v1/people", {"unit_id": city.vu_ninh.pk}).status_code == 403


def test_registrations_reports_and_nominations_are_scoped(city, world, issue):
    _, api = issue(city.suoi_hoa)
    campaign = world["campaign"].pk
    registrations = api.get(f"/api/v1/campaigns/{campaign}/registrations").json()
    assert [r["unit_id"] for r in registrations["items"]] == [city.suoi_hoa.pk]
    assert (
        registrations["items"][0]["commitments"][0]["target_value"] == "5.00"
        or float(registrations["items"][0]["commitments"][0]["target_value"]) == 5
    )
    requests = api.get(f"/api/v1/campaigns/{campaign}/report-requests").json()
    assert [r["id"] for r in requests["items"]] == [world["report_request"].pk]
    reports = api.get(f"/api/v1/report-requests/{world['report_request'].pk}/reports").json()
    assert [r["unit_id"] for r in reports["items"]] == [city.suoi_hoa.pk]
    assert reports["items"][0]["status"] == "pending"
    nominations = api.get(f"/api/v1/campaigns/{campaign}/nominations").json()
    assert [n["unit_id"] for n in nominations["items"]] == [city.suoi_hoa.pk]
    assert nominations["items"][0]["status"] == "draft"
    assert nominations["items"][0]["award_type_code"] == "GK"
    tasks = api.get(f"/api/v1/campaigns/{campaign}/assignments").json()
    assert {t["unit_id"] for t in tasks["items"]} <= {city.suoi_hoa.pk}


def test_pagination_is_stable_and_bounded(city, world, issue):
    _, office = issue(city.noivu, role=Role.EMULATION_OFFICE)
    first = office.get("/api/v1/units", {"limit": 2}).json()
    second = office.get("/api/v1/units", {"limit": 2, "offset": 2}).json()
    everything = office.get("/api/v1/units").json()
    assert first["count"] == everything["count"] == 6
    assert [u["id"] for u in first["items"] + second["items"]] == [
        u["id"] for u in everything["items"][:4]
    ]
    assert office.get("/api/v1/units", {"limit": 501}).status_code == 422


LISTS = [
    "/api/v1/units",
    "/api/v1/people",
    "/api/v1/campaigns",
    "/api/v1/campaigns/{c}/assignments",
    "/api/v1/campaigns/{c}/registrations",
    "/api/v1/campaigns/{c}/activities",
    "/api/v1/campaigns/{c}/report-requests",
    "/api/v1/report-requests/{r}/reports",
    "/api/v1/campaigns/{c}/nominations",
    "/api/v1/campaigns/{c}/contests",
]


@pytest.mark.parametrize("path", LISTS)
def test_list_query_count_is_flat(path, city, world, issue, officer, django_assert_max_num_queries):
    from thidua.organizations.models import Person
    from thidua.participation import services as participation

    _, office = issue(city.noivu, role=Role.EMULATION_OFFICE)
    url = path.format(c=world["campaign"].pk, r=world["report_request"].pk)
    for n in range(20):
        participation.activity_record(
            actor=officer,
            campaign=world["campaign"],
            unit=city.suoi_hoa,
            form=world["form"],
            title=f"Hoạt động {n}",
            held_on=date(2022, 8, 1),
        )
        Person.objects.create(
            full_name=f"Người {n}", gender="male", unit=city.suoi_hoa, category="worker"
        )
    with django_assert_max_num_queries(10):
        assert office.get(url).status_code == 200


def test_docs_and_schema_are_served_without_any_cdn():
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/campaigns/{campaign_id}/activities" in schema.json()["paths"]
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "'unsafe-inline'" not in docs["Content-Security-Policy"]
    assert Client().get("/api/openapi.json").status_code == 302


def test_docs_and_schema_can_be_switched_off(settings):
    """Issue 18, L10: THIDUA_API_DOCS=0 hides the docs page and the schema."""
    settings.THIDUA_API_DOCS = False
    assert Client().get("/api/v1/openapi.json").status_code == 404
    assert Client().get("/api/v1/docs").status_code == 404


@pytest.mark.parametrize("path", LISTS)
def test_a_ward_token_reads_nothing_of_another_ward_on_any_list(path, city, world, issue):
    """Data exists in both wards; a Vũ Ninh token must never see a Suối Hoa row."""
    from thidua.organizations.models import Person

    Person.objects.create(
        full_name="Bùi Thị Hằng", gender="female", unit=city.suoi_hoa, category="civil_servant"
    )
    _, api = issue(city.vu_ninh)
    url = path.format(c=world["campaign"].pk, r=world["report_request"].pk)
    response = api.get(url)
    assert response.status_code == 200
    for item in response.json()["items"]:
        unit = item["id"] if path.endswith("/units") else item.get("unit_id")
        assert unit != city.suoi_hoa.pk
    unfiltered = {
        "/api/v1/units",
        "/api/v1/campaigns",
        "/api/v1/campaigns/{c}/report-requests",
        "/api/v1/campaigns/{c}/contests",
    }
    if path not in unfiltered:
        refused = api.get(url, {"unit_id": city.suoi_hoa.pk})
        assert refused.status_code == 403
        assert refused.json()["code"] == "forbidden"


DETAILS = [
    ("/api/v1/units/{}", lambda city, world: city.suoi_hoa.pk),
    ("/api/v1/activities/{}", lambda city, world: world["mine"].pk),
]


@pytest.mark.parametrize(("path", "target"), DETAILS)
def test_a_ward_token_gets_404_for_another_wards_records(path, target, city, world, issue):
    _, api = issue(city.vu_ninh)
    response = api.get(path.format(target(city, world)))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_patch_clears_optional_fields_and_refuses_an_empty_title(city, world, issue):
    _, api = issue(city.suoi_hoa, access=TokenAccess.WRITE)
    url = f"/api/v1/activities/{world['mine'].pk}"
    cleared = api.patch(url, {"place": None, "participants": None}, content_type="application/json")
    assert cleared.status_code == 200, cleared.content
    assert (cleared.json()["place"], cleared.json()["participants"]) == ("", 0)
    refused = api.patch(url, {"title": None}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid"


def test_tasks_come_by_deadline_with_those_without_one_last(city, world, issue):
    """The API lists a campaign's tasks in the task page's order (campaigns.selectors
    .task_list_for): by deadline, a task without one last, on SQLite as on PostgreSQL."""
    from thidua.campaigns.models import AssignmentTarget

    mine = AssignmentTarget.objects.filter(
        assignment__campaign=world["campaign"], unit=city.suoi_hoa
    ).order_by("pk")
    assert mine.count() >= 2, "the seed plan gives Suối Hoa several tasks"
    undated = mine.first()
    AssignmentTarget.objects.filter(pk=undated.pk).update(due_date=None)
    _, api = issue(city.suoi_hoa)
    tasks = api.get(f"/api/v1/campaigns/{world['campaign'].pk}/assignments").json()["items"]
    dates = [t["due_date"] for t in tasks]
    dated = [d for d in dates if d]
    assert dated, "the seed plan dates some of Suối Hoa's tasks"
    assert dates == sorted(dated) + [None] * (len(dates) - len(dated))
    assert undated.pk in [t["id"] for t in tasks[len(dated) :]]
