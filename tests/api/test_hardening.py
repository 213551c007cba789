"""Issue 18, L11: what schemathesis found in the API, each repeated by hand."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from thidua.api.api import api
from thidua.api.models import TokenAccess
from thidua.organizations.models import Person
from thidua.participation.models import Activity

pytestmark = pytest.mark.django_db

NOT_AN_OBJECT = ["[null,null]", "[]", "null", "1", '"x"', "true"]


@pytest.fixture
def writer(city, world, issue):
    _, client = issue(city.suoi_hoa, access=TokenAccess.WRITE)
    return client


@pytest.mark.parametrize("body", NOT_AN_OBJECT)
def test_a_patch_whose_body_is_not_an_object_is_refused(writer, city, body):
    person = Person.objects.filter(unit=city.suoi_hoa).first()
    activity = Activity.objects.filter(unit=city.suoi_hoa).first()
    for url in (f"/api/v1/people/{person.pk}", f"/api/v1/activities/{activity.pk}"):
        response = writer.patch(url, data=body, content_type="application/json")
        assert response.status_code == 422, (url, body, response.content)
        assert response.json() == {
            "code": "invalid_request",
            "message": "Dữ liệu gửi lên không hợp lệ.",
            "errors": [
                {"field": "", "code": "dict_type", "message": "Phải là một đối tượng JSON."}
            ],
        }


def test_an_empty_object_is_still_a_patch_that_changes_nothing(writer, city):
    person = Person.objects.filter(unit=city.suoi_hoa).first()
    response = writer.patch(
        f"/api/v1/people/{person.pk}", data="{}", content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["full_name"] == person.full_name


@pytest.mark.parametrize("value", ["0", "1", "99999999", "1656633600", "2022-7-1", "01/07/2022"])
def test_dates_are_only_iso_days(writer, campaign, value):
    """`held_to=0` was read as a Unix time (01/01/1970) and accepted."""
    for name in ("held_from", "held_to"):
        response = writer.get(f"/api/v1/campaigns/{campaign.pk}/activities", {name: value})
        assert response.status_code == 422, (name, value)
        assert response.json()["errors"] == [
            {
                "field": name,
                "code": "date_parsing",
                "message": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
            }
        ]
    response = writer.get(f"/api/v1/campaigns/{campaign.pk}/activities", {"held_to": "2022-07-01"})
    assert response.status_code == 200


def test_a_date_in_a_body_is_only_an_iso_day(writer, city):
    activity = Activity.objects.filter(unit=city.suoi_hoa).first()
    response = writer.patch(
        f"/api/v1/activities/{activity.pk}", data={"held_on": 0}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "Ngày không hợp lệ (định dạng YYYY-MM-DD)."
    activity.refresh_from_db()
    assert activity.held_on.year > 1970


def test_every_operation_documents_the_414_of_a_too_long_url():
    schema = api.get_openapi_schema()
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) > 20
    for operation in operations:
        answer = operation["responses"]["414"]
        assert "URL" in answer["description"]
        assert "text/html" in answer["content"]


def test_constraint_messages_are_vietnamese(city, world):
    """A model constraint without its own message used Django's English "Constraint … is
    violated." (and "Ensure this value has at most …"): the project's catalogue says them in
    Vietnamese, for the API and the web forms alike."""
    activity = Activity.objects.filter(unit=city.suoi_hoa).first()
    activity.ends_on = activity.held_on.replace(year=activity.held_on.year - 1)
    with translation.override("vi"), pytest.raises(ValidationError) as excinfo:
        activity.full_clean()
    text = " ".join(excinfo.value.messages)
    assert "Dữ liệu không thỏa quy tắc kiểm tra (activity_dates_ordered)" in text
    assert "violated" not in text
    person = Person(full_name="x" * 300)
    with translation.override("vi"), pytest.raises(ValidationError) as excinfo:
        person.clean_fields(exclude=["unit", "gender", "category"])
    assert "Tối đa 150 ký tự (hiện có 300)." in excinfo.value.message_dict["full_name"]


@pytest.mark.parametrize("value", [False, True, "12", 1.5])
def test_a_participant_count_is_a_whole_number_not_a_flag(writer, city, value):
    """Schemathesis: PATCH `participants=false` was read as 0 and accepted."""
    activity = Activity.objects.filter(unit=city.suoi_hoa).first()
    before = activity.participants
    response = writer.patch(
        f"/api/v1/activities/{activity.pk}",
        data={"participants": value},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    [error] = response.json()["errors"]
    assert error["field"] == "participants"
    assert (error["code"], error["message"]) == ("int_type", "Phải là số nguyên.")
    activity.refresh_from_db()
    assert activity.participants == before
