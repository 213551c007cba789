from datetime import date

import pytest
from django.test import Client

from tests.factories.images import photo
from thidua.accounts.models import Role
from thidua.api.models import TokenAccess
from thidua.api.services import token_issue
from thidua.awards import services as awards
from thidua.awards.models import AwardType
from thidua.organizations.models import Person
from thidua.participation import services as participation
from thidua.reporting import services as reporting


class ApiClient(Client):
    """A test client that sends a bearer token with every request."""

    def __init__(self, secret: str) -> None:
        super().__init__(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def issue(city):
    def _issue(*units, access=TokenAccess.READ, role=Role.UNIT_OFFICER, rate=1000):
        token, secret = token_issue(
            actor=None,
            name="Hệ thống của tỉnh",
            units=units or [city.suoi_hoa],
            access=access,
            role=role,
            rate_per_minute=rate,
        )
        return token, ApiClient(secret)

    return _issue


@pytest.fixture
def world(city, campaign, office_user, officer, make_user):
    """Data in two wards, so a token of one ward has something to leak from the other."""
    other = make_user(Role.UNIT_OFFICER, city.vu_ninh)
    form = campaign.forms.first()
    mine = participation.activity_record(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        form=form,
        title="Tọa đàm Suối Hoa",
        held_on=date(2022, 7, 1),
        participants=40,
    )
    theirs = participation.activity_record(
        actor=other,
        campaign=campaign,
        unit=city.vu_ninh,
        form=form,
        title="Hội thi Vũ Ninh",
        held_on=date(2022, 7, 2),
        files=[photo()],
    )
    for user, unit in ((officer, city.suoi_hoa), (other, city.vu_ninh)):
        participation.registration_save(
            actor=user,
            campaign=campaign,
            unit=unit,
            note="",
            commitments=[{"text": "Tổ chức 5 buổi", "target_kind": "number", "target_value": 5}],
        )
    template = reporting.template_create(
        actor=office_user,
        campaign=campaign,
        name="Mẫu",
        sections=[{"title": "Kết quả", "guidance": ""}],
        indicators=[],
    )
    report_request = reporting.request_create(
        actor=office_user,
        campaign=campaign,
        template=template,
        title="Báo cáo 6 tháng",
        units=[city.suoi_hoa, city.vu_ninh],
        due_date=date(2022, 12, 15),
    )
    award = AwardType.objects.create(
        code="GK", name="Giấy khen", level="district", signer_title="Chủ tịch"
    )
    nominations = [
        awards.nomination_create(actor=user, campaign=campaign, unit=unit, award_type=award)
        for user, unit in ((officer, city.suoi_hoa), (other, city.vu_ninh))
    ]
    people = {
        unit.pk: Person.objects.create(
            full_name=name, gender="male", unit=unit, category="civil_servant"
        )
        for unit, name in ((city.suoi_hoa, "Trần Văn Bình"), (city.vu_ninh, "Phạm Văn Hùng"))
    }
    return {
        "campaign": campaign,
        "form": form,
        "people": people,
        "mine": mine,
        "theirs": theirs,
        "report_request": report_request,
        "nominations": nominations,
    }
