"""Issue 18, L8: party membership leaves the system only on request, to roles that may see it,
and every read of one person's record is logged."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.api.conftest import ApiClient
from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.api.models import TokenAccess
from thidua.api.services import token_issue
from thidua.core.models import ActionLog
from thidua.organizations import rules, services
from thidua.organizations.models import ImportBatch, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(city, office_user):
    return [
        services.person_create(
            actor=office_user,
            full_name=name,
            gender="male",
            unit=city.suoi_hoa,
            category="civil_servant",
            birth_year=1980,
            is_party_member=party,
        )
        for name, party in (("Nguyễn Văn Đảng", True), ("Trần Thị Quần", False))
    ]


def _sheet(client, query=""):
    response = client.get(reverse("organizations:person-export") + query)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    return response, content, rows


def test_the_people_export_has_no_party_column_unless_asked(people, office_user):
    client = verified_client(office_user)
    response, _, rows = _sheet(client)
    assert response["Content-Disposition"] == 'attachment; filename="ca-nhan.xlsx"'
    assert "Đảng viên" not in rows[0]
    assert not {"Có", "Không"} & {cell for row in rows for cell in row}
    assert len(rows[0]) == 7
    assert rows[0][:6] == (
        "Họ và tên *",
        "Giới tính *",
        "Năm sinh",
        "Mã đơn vị *",
        "Chức vụ",
        "Đối tượng *",
    )
    page = client.get(reverse("organizations:person-list")).content.decode()
    assert "Xuất Excel kèm cột Đảng viên" in page


def test_an_office_that_asks_gets_the_column_and_the_export_is_logged(people, office_user):
    response, _, rows = _sheet(verified_client(office_user), "?dang-vien=1")
    assert response["Content-Disposition"] == 'attachment; filename="ca-nhan-dang-vien.xlsx"'
    header = list(rows[0])
    party = header.index("Đảng viên")
    assert {row[0]: row[party] for row in rows[1:]} == {
        "Nguyễn Văn Đảng": "Có",
        "Trần Thị Quần": "Không",
    }
    log = ActionLog.objects.get(action="core.exported")
    assert log.data["params"] == {"dang-vien": "1"}


def test_roles_that_may_not_see_membership_never_get_it(people, city, make_user):
    """A council member sees people city-wide but not their party membership: no link, and the
    export refuses. An officer of another ward gets blank cells for people not of their unit."""
    council = make_user(Role.COUNCIL_MEMBER)
    assert not rules.can_see_party_membership(council)
    client = verified_client(council)
    page = client.get(reverse("organizations:person-list")).content.decode()
    assert "Nguyễn Văn Đảng" in page
    assert "Đảng viên" not in page.replace("Nguyễn Văn Đảng", "")
    assert client.get(reverse("organizations:person-export") + "?dang-vien=1").status_code == 403
    officer = make_user(Role.UNIT_OFFICER, city.vu_ninh)
    assert rules.can_see_party_membership(officer)
    people_rows = Person.objects.select_related("unit").order_by("pk")
    rows = list(services.person_export_rows(people_rows, party_for=officer))
    assert [row[6] for row in rows] == [None, None]
    rows = list(services.person_export_rows(people_rows, party_for=make_user(Role.UNIT_HEAD)))
    assert [row[6] for row in rows] == ["Có", "Không"]  # the head of their own ward


def test_a_file_without_the_column_imports_back_without_touching_membership(people, office_user):
    _, content, _ = _sheet(verified_client(office_user))
    batch = services.people_import(
        actor=office_user, upload=SimpleUploadedFile("p.xlsx", content), filename="p.xlsx"
    )
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert dict(Person.objects.values_list("full_name", "is_party_member")) == {
        "Nguyễn Văn Đảng": True,
        "Trần Thị Quần": False,
    }
    assert not ActionLog.objects.filter(action="organizations.person.updated").exists()


def test_opening_a_person_record_is_logged(people, office_user):
    client = verified_client(office_user)
    person = people[0]
    response = client.get(reverse("organizations:person-edit", args=[person.pk]))
    assert response.status_code == 200
    log = ActionLog.objects.get(action="organizations.person.viewed")
    assert (log.actor_id, log.target_id, log.data) == (
        office_user.pk,
        str(person.pk),
        {"via": "web"},
    )
    client.post(
        reverse("organizations:person-edit", args=[person.pk]),
        {
            "full_name": "Nguyễn Văn Đảng",
            "gender": "male",
            "unit": person.unit_id,
            "category": "civil_servant",
            "birth_year": 1981,
        },
    )
    assert ActionLog.objects.filter(action="organizations.person.viewed").count() == 1


def test_reading_a_person_through_the_api_is_logged(people, city):
    token, secret = token_issue(
        actor=None,
        name="Hệ thống của tỉnh",
        units=[city.suoi_hoa],
        access=TokenAccess.READ,
        role=Role.UNIT_OFFICER,
        rate_per_minute=1000,
    )
    client = ApiClient(secret)
    person = people[1]
    response = client.get(f"/api/v1/people/{person.pk}")
    assert response.status_code == 200
    assert "is_party_member" not in response.json()
    log = ActionLog.objects.get(action="organizations.person.viewed")
    assert (log.actor_id, log.target_id, log.data) == (
        token.user_id,
        str(person.pk),
        {"via": "api"},
    )
    client.get("/api/v1/people")  # lists are not single records
    assert ActionLog.objects.filter(action="organizations.person.viewed").count() == 1
