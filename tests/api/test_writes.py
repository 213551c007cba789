"""Writes through the API go through the web UI's services: a read-only token and a token of
another ward change nothing; a write token's change shows in the web selectors and the log."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.api.models import TokenAccess
from thidua.awards.models import Nomination
from thidua.awards.selectors import nomination_list_for
from thidua.core.models import ActionLog
from thidua.organizations.models import Person
from thidua.participation.models import Registration
from thidua.participation.selectors import registration_list_for
from thidua.reporting import services as reporting
from thidua.reporting.models import ReportAssignment, ReportStatus

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _report(world, unit):
    return ReportAssignment.objects.get(request=world["report_request"], unit=unit)


def _writes(city, world, unit):
    """Every write endpoint, aimed at `unit`'s records: (method, url, body)."""
    c = world["campaign"].pk
    nomination = Nomination.objects.get(unit=unit)
    report = _report(world, unit)
    section = world["report_request"].template.sections.first()
    person = world["people"][unit.pk]
    return [
        ("put", f"/api/v1/campaigns/{c}/registrations/{unit.pk}",
         {"commitments": [{"text": "Tổ chức 3 buổi", "target_value": 3}]}),
        ("post", f"/api/v1/campaigns/{c}/registrations/{unit.pk}/send-for-approval", {}),
        ("put", f"/api/v1/reports/{report.pk}", {"narratives": {str(section.pk): "Đã làm"}}),
        ("post", f"/api/v1/reports/{report.pk}/send-for-approval", {}),
        ("post", f"/api/v1/campaigns/{c}/nominations",
         {"unit_id": unit.pk, "award_type_code": "GK"}),
        ("post", f"/api/v1/nominations/{nomination.pk}/nominees", {"achievements": "Xuất sắc"}),
        ("post", f"/api/v1/nominations/{nomination.pk}/send-for-approval", {}),
        ("post", "/api/v1/people",
         {"unit_id": unit.pk, "full_name": "Lê Văn Nam", "gender": "male", "category": "citizen"}),
        ("patch", f"/api/v1/people/{person.pk}", {"position": "Tổ trưởng"}),
        ("post", f"/api/v1/reports/{report.pk}/return-to-officer", {"note": "Sửa số liệu"}),
    ]  # fmt: skip


def _call(api, method, url, body):
    return getattr(api, method)(url, body, content_type=JSON)


def _state():
    return (
        ActionLog.objects.count(),
        list(Registration.objects.values_list("status", "note").order_by("pk")),
        list(ReportAssignment.objects.values_list("status", "draft_narratives").order_by("pk")),
        list(Nomination.objects.values_list("status").order_by("pk")),
        list(Person.objects.values_list("full_name", "position", "unit_id").order_by("pk")),
    )


@pytest.mark.parametrize("index", range(10))
def test_a_read_only_token_writes_nothing(index, city, world, issue):
    _, api = issue(city.suoi_hoa)
    before = _state()
    response = _call(api, *_writes(city, world, city.suoi_hoa)[index])
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "read_only_token"
    assert _state() == before


@pytest.mark.parametrize("index", range(10))
def test_a_write_token_of_another_ward_writes_nothing(index, city, world, issue):
    _, api = issue(city.vu_ninh, access=TokenAccess.WRITE)
    before = _state()
    response = _call(api, *_writes(city, world, city.suoi_hoa)[index])
    assert response.status_code in {403, 404}, response.content
    assert response.json()["code"] in {"forbidden", "not_found"}
    assert _state() == before


@pytest.mark.parametrize("index", [0, 2, 4])
def test_a_city_office_token_cannot_write_for_a_unit(index, city, world, issue):
    """The office reviews; registering, reporting and nominating are the unit's own acts."""
    _, api = issue(city.noivu, role=Role.EMULATION_OFFICE, access=TokenAccess.WRITE)
    before = _state()
    response = _call(api, *_writes(city, world, city.suoi_hoa)[index])
    assert response.status_code == 403, response.content
    assert _state() == before


def test_registration_saved_and_sent_as_the_web_ui_shows_it(city, world, issue, officer):
    token, api = issue(city.suoi_hoa, access=TokenAccess.WRITE)
    campaign = world["campaign"]
    criterion = campaign.criteria.first()
    url = f"/api/v1/campaigns/{campaign.pk}/registrations/{city.suoi_hoa.pk}"
    response = api.put(
        url,
        {
            "note": "Đăng ký qua hệ thống của tỉnh",
            "commitments": [
                {"criterion_id": criterion.pk, "target_value": "2"},
                {"text": "Tủ sách Nguyễn Văn Cừ", "target_kind": "yes_no"},
            ],
        },
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert [c["text"] for c in body["commitments"]] == [
        criterion.text[:500],
        "Tủ sách Nguyễn Văn Cừ",
    ]
    reg = registration_list_for(actor=officer, campaign=campaign).get(unit=city.suoi_hoa)
    assert reg.note == "Đăng ký qua hệ thống của tỉnh"
    assert reg.commitments.count() == 2
    log = ActionLog.objects.filter(action="participation.registration.updated").latest("pk")
    assert log.actor == token.user
    page = verified_client(officer).get(
        reverse("participation:registration", args=[campaign.pk, city.suoi_hoa.pk])
    )
    assert "Tủ sách Nguyễn Văn Cừ" in page.content.decode()

    sent = api.post(f"{url}/send-for-approval", content_type=JSON)
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "pending_approval"
    assert ActionLog.objects.filter(
        action="participation.registration.sent_for_approval", actor=token.user
    ).exists()


def test_registration_is_validated_with_vietnamese_messages(city, world, issue):
    _, api = issue(city.suoi_hoa, access=TokenAccess.WRITE)
    url = f"/api/v1/campaigns/{world['campaign'].pk}/registrations/{city.suoi_hoa.pk}"
    cases = [
        ({"commitments": [{"text": "Tổ chức hội thi"}]}, "commitments.0.target_value",
         "Nhập chỉ tiêu bằng số."),
        ({"commitments": [{"target_value": 1}]}, "commitments.0.text",
         "Hãy nhập nội dung cam kết."),
        ({"commitments": [{"criterion_id": 999999, "target_value": 1}]},
         "commitments.0.criterion_id", "Tiêu chí không thuộc kế hoạch này."),
    ]  # fmt: skip
    for body, field, message in cases:
        response = api.put(url, body, content_type=JSON)
        assert response.status_code == 422, response.content
        assert response.json() == {
            "code": "invalid",
            "message": message,
            "errors": [{"field": field, "message": message}],
        }
    empty = api.put(url, {"commitments": []}, content_type=JSON)
    assert empty.json()["code"] == "invalid_request"


def test_a_submitted_registration_is_not_rewritten(city, world, issue, head):
    from thidua.participation import services as participation

    reg = Registration.objects.get(campaign=world["campaign"], unit=city.suoi_hoa)
    participation.registration_approve(actor=head, registration=reg)
    _, api = issue(city.suoi_hoa, access=TokenAccess.WRITE)
    response = api.put(
        f"/api/v1/campaigns/{world['campaign'].pk}/registrations/{city.suoi_hoa.pk}",
        {"commitments": [{"text": "Mới", "target_value": 1}]},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert response.json()["message"] == "Đơn vị đã gửi đăng ký; không sửa được nữa."


@pytest.fixture
def indicator_request(city, world, office_user):
    template = reporting.template_create(
        actor=office_user,
        campaign=world["campaign"],
        name="Mẫu có chỉ tiêu",
        sections=[{"title": "Kết quả", "guidance": "Nêu kết quả"}],
        indicators=[
            {"name": "Số buổi tọa đàm", "unit_of_measure": "buổi"},
            {"name": "Có chuyên mục", "is_yes_no": True},
            {"name": "Số hoạt động", "source": "activities"},
        ],
    )
    return reporting.request_create(
        actor=office_user,
        campaign=world["campaign"],
        template=template,
        title="Báo cáo tổng kết",
        units=[city.suoi_hoa, city.vu_ninh],
        due_date=date(2022, 12, 15),
    )


def test_report_draft_saved_and_sent_as_the_web_ui_shows_it(
    city, world, issue, officer, indicator_request
):
    token, api = issue(city.suoi_hoa, access=TokenAccess.WRITE)
    detail = api.get(f"/api/v1/report-requests/{indicator_request.pk}").json()
    section = detail["sections"][0]["id"]
    sessions, column, auto = (i["id"] for i in detail["indicators"])
    assert [i["source"] for i in detail["indicators"]] == ["manual", "manual", "activities"]
    report = ReportAssignment.objects.get(request=indicator_request, unit=city.suoi_hoa)
    url = f"/api/v1/reports/{report.pk}"
    body = {
        "narratives": {str(section): "Tổ chức 2 buổi tọa đàm."},
        "values": {str(sessions): 2, str(column): True},
    }
    response = api.put(url, body, content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["values"] == {str(sessions): 2.0, str(column): True}
    report.refresh_from_db()
    assert report.draft_narratives == {str(section): "Tổ chức 2 buổi tọa đàm."}
    assert ActionLog.objects.get(action="reporting.report.draft_saved").actor == token.user
    page = verified_client(officer).get(reverse("reporting:report", args=[report.pk]))
    assert "Tổ chức 2 buổi tọa đàm." in page.content.decode()

    refused = [
        ({"values": {str(auto): 3}}, f"values.{auto}"),
        ({"values": {str(sessions): True}}, f"values.{sessions}"),
        ({"values": {str(column): 1}}, f"values.{column}"),
        ({"values": {"999999": 1}}, "values.999999"),
        ({"narratives": {"999999": "x"}}, "narratives.999999"),
    ]
    for bad, field in refused:
        response = api.put(url, bad, content_type=JSON)
        assert response.status_code == 422, (bad, response.content)
        assert response.json()["errors"][0]["field"] == field
    assert ActionLog.objects.filter(action="reporting.report.draft_saved").count() == 1

    sent = api.post(f"{url}/send-for-approval", content_type=JSON)
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == ReportStatus.PENDING_APPROVAL
    again = api.put(url, body, content_type=JSON)
    assert again.status_code == 422
    assert again.json()["message"] == "Báo cáo đang chờ duyệt hoặc đã nộp: không sửa được."


def test_an_empty_report_is_not_sent_through_the_api(city, world, issue, officer):
    """The API's send is the web button's service: a draft of spaces only is refused with the
    same Vietnamese message, nothing moves, is logged or reaches the head."""
    _, api = issue(city.suoi_hoa, access=TokenAccess.WRITE)
    report = ReportAssignment.objects.get(request=world["report_request"], unit=city.suoi_hoa)
    section = str(world["report_request"].template.sections.get().pk)
    url = f"/api/v1/reports/{report.pk}"
    saved = api.put(url, {"narratives": {section: "  \n  "}}, content_type=JSON)
    assert saved.status_code == 200, saved.content
    sent = api.post(f"{url}/send-for-approval", content_type=JSON)
    assert sent.status_code == 422, sent.content
    assert sent.json()["message"] == (
        "Báo cáo chưa có nội dung: cần viết ít nhất một phần nội dung hoặc đính kèm tệp báo cáo."
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING
    assert not ActionLog.objects.filter(action="reporting.report.sent_for_approval").exists()
    api.put(url, {"narratives": {section: "Tổ chức 2 buổi tọa đàm."}}, content_type=JSON)
    sent = api.post(f"{url}/send-for-approval", content_type=JSON)
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == ReportStatus.PENDING_APPROVAL


def test_nomination_created_filled_and_sent_as_the_web_ui_shows_it(city, world, issue, officer):
    token, api = issue(city.suoi_hoa, access=TokenAccess.WRITE)
    campaign = world["campaign"]
    response = api.post(
        f"/api/v1/campaigns/{campaign.pk}/nominations",
        {"unit_id": city.suoi_hoa.pk, "award_type_code": "GK", "route": "simplified"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["route"], body["nominees"]) == ("draft", "simplified", 0)
    n = nomination_list_for(actor=officer, campaign=campaign).get(pk=body["id"])
    assert ActionLog.objects.get(action="awards.nomination.created", actor=token.user)

    mine = Person.objects.create(
        full_name="Bùi Thị Hằng", gender="female", unit=city.suoi_hoa, category="civil_servant"
    )
    theirs = Person.objects.create(
        full_name="Đỗ Văn An", gender="male", unit=city.vu_ninh, category="civil_servant"
    )
    url = f"/api/v1/nominations/{n.pk}/nominees"
    refused = api.post(url, {"person_id": theirs.pk}, content_type=JSON)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "person_id", "message": "Người được đề nghị phải thuộc đơn vị lập hồ sơ."}
    ]
    added = api.post(url, {"person_id": mine.pk, "achievements": "Xuất sắc"}, content_type=JSON)
    assert added.status_code == 201, added.content
    collective = api.post(url, {}, content_type=JSON)
    assert [(x["subject"], x["person_id"], x["unit_id"]) for x in collective.json()["nominee_list"]] == [
        ("individual", mine.pk, None),
        ("collective", None, city.suoi_hoa.pk),
    ]  # fmt: skip
    page = verified_client(officer).get(reverse("awards:nomination-detail", args=[n.pk]))
    assert "Bùi Thị Hằng" in page.content.decode()

    sent = api.post(f"/api/v1/nominations/{n.pk}/send-for-approval", content_type=JSON)
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "pending_unit_approval"
    assert ActionLog.objects.filter(
        action="awards.nomination.sent_for_approval", actor=token.user
    ).exists()
    assert api.get(f"/api/v1/nominations/{n.pk}").json()["nominees"] == 2


def test_nomination_refuses_an_unknown_award_type_and_an_undelivered_unit(city, world, issue):
    from thidua.campaigns.models import Delivery

    _, api = issue(city.suoi_hoa, city.vu_ninh, access=TokenAccess.WRITE)
    url = f"/api/v1/campaigns/{world['campaign'].pk}/nominations"
    unknown = api.post(
        url, {"unit_id": city.suoi_hoa.pk, "award_type_code": "X"}, content_type=JSON
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "award_type_code"
    Delivery.objects.filter(campaign=world["campaign"], unit=city.vu_ninh).delete()
    undelivered = api.post(
        url, {"unit_id": city.vu_ninh.pk, "award_type_code": "GK"}, content_type=JSON
    )
    assert undelivered.status_code == 422
    assert undelivered.json()["message"] == "Kế hoạch không gửi tới đơn vị này."


def test_people_added_and_changed_as_the_web_ui_shows_them(city, world, issue, officer):
    _, api = issue(city.suoi_hoa, access=TokenAccess.WRITE)
    created = api.post(
        "/api/v1/people",
        {
            "unit_id": city.suoi_hoa.pk,
            "full_name": "Nguyễn Thị Hồng Nhung",
            "gender": "female",
            "birth_year": 1988,
            "category": "civil_servant",
            "position": "Công chức văn hóa – xã hội",
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.json()
    person = Person.objects.get(pk=created.json()["id"])
    assert (person.unit, person.is_party_member) == (city.suoi_hoa, False)
    page = verified_client(officer).get(reverse("organizations:person-list"), {"q": "hong nhung"})
    assert "Nguyễn Thị Hồng Nhung" in page.content.decode()

    changed = api.patch(
        f"/api/v1/people/{person.pk}", {"position": "Phó Chủ tịch UBND phường"}, content_type=JSON
    )
    assert changed.json()["position"] == "Phó Chủ tịch UBND phường"
    logged = ActionLog.objects.filter(target_id=str(person.pk), action__startswith="organizations")
    assert sorted(logged.values_list("action", flat=True)) == [
        "organizations.person.created",
        "organizations.person.updated",
    ]

    moved = api.patch(
        f"/api/v1/people/{person.pk}", {"unit_id": city.vu_ninh.pk}, content_type=JSON
    )
    assert moved.status_code == 403  # another ward is outside the token's scope
    bad = api.post(
        "/api/v1/people",
        {"unit_id": city.suoi_hoa.pk, "full_name": "", "gender": "x", "category": "citizen"},
        content_type=JSON,
    ).json()
    assert {e["field"]: e["message"] for e in bad["errors"]} == {
        "full_name": "Cần ít nhất 1 ký tự.",
        "gender": "Phải là một trong các giá trị: 'male' hoặc 'female'.",
    }
