"""Issue 20, item 2: report requests, reminders and urging letters go only to units that must
act on the plan. The seed plan sends itself "(để b/c)" to Sở Nội vụ tỉnh and Thành ủy, and its
standing agency Phòng Nội vụ collects the reports: none of them owes one."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from tests.conftest import make_unit
from thidua.campaigns import services as campaigns
from thidua.campaigns.models import Delivery
from thidua.demo import SEED_PLAN
from thidua.organizations.models import UnitKind
from thidua.reporting import services
from thidua.reporting.models import Reminder, ReportAssignment

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def superiors(city):
    """Units the seed sends itself to "(để b/c)"; they exist before the plan is issued."""
    return {
        "department": make_unit("SNV", "Sở Nội vụ tỉnh Bắc Ninh", UnitKind.OFFICE, city.province),
        "party": make_unit("TU", "Thành ủy Bắc Ninh", UnitKind.PARTY, city.city),
    }


@pytest.fixture
def plan(city, office_user, superiors):
    draft = campaigns.campaign_import(
        actor=office_user, text=SEED_PLAN.read_text(encoding="utf-8"), owner_unit=city.city
    )
    draft = campaigns.campaign_update(
        actor=office_user, campaign=draft, version=draft.version, signer_name="A"
    )
    return campaigns.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))


@pytest.fixture
def template(plan, office_user):
    return services.template_create(
        actor=office_user,
        campaign=plan,
        name="Báo cáo kết quả",
        sections=[{"title": "Kết quả thực hiện", "guidance": ""}],
        indicators=[],
    )


def test_the_superiors_and_the_standing_agency_receive_the_plan(plan, superiors, city):
    received = set(Delivery.objects.filter(campaign=plan).values_list("unit__code", "role"))
    assert ("SNV", "report") in received
    assert ("TU", "report") in received
    assert ("NV", "implement") in received  # it has tasks; it collects, it does not report
    assert plan.standing_agency == city.noivu


def test_the_request_form_offers_only_units_that_act(plan, template, office_client, city):
    response = office_client.get(reverse("reporting:request-create", args=[plan.pk]))
    offered = set(response.context["form"].fields["units"].queryset)
    assert {city.suoi_hoa, city.vu_ninh, city.centre} <= offered
    assert not {city.noivu, city.city} & offered
    assert {u.code for u in offered}.isdisjoint({"SNV", "TU"})
    response = office_client.post(
        reverse("reporting:request-create", args=[plan.pk]),
        {
            "template": template.pk,
            "kind": "regular",
            "title": "Báo cáo kết quả",
            "due_date": "15/12/2022",
            "audience": "invited",
            "reminder_offsets": "-5, -2",
            "repeat_every": 2,
            "escalate_after": 3,
            "confirm_deadline": "on",  # a 2022 deadline entered after the fact
        },
        follow=True,
    )
    owed = set(ReportAssignment.objects.values_list("unit__code", flat=True))
    assert owed >= {"P-SUOIHOA", "P-VUNINH", "TTVHTTTT"}
    assert owed.isdisjoint({"SNV", "TU", "NV", "TPBN"})
    assert f"Đã gửi yêu cầu báo cáo tới {len(owed)} đơn vị." in response.content.decode()


def test_a_request_drops_units_that_only_receive_the_plan(
    plan, template, office_user, superiors, city
):
    request = services.request_create(
        actor=office_user,
        campaign=plan,
        template=template,
        title="Báo cáo kết quả",
        units=[superiors["department"], superiors["party"], city.noivu, city.suoi_hoa],
        due_date=date(2022, 12, 15),
    )
    assert [a.unit for a in request.assignments.all()] == [city.suoi_hoa]
    with pytest.raises(ValidationError, match="không phải nộp báo cáo"):
        services.request_create(
            actor=office_user,
            campaign=plan,
            template=template,
            title="Chỉ gửi cấp trên",
            units=[superiors["department"]],
            due_date=date(2022, 12, 15),
        )


@pytest.fixture
def old_request(plan, template, office_user, superiors, city):
    """A request sent before roles existed: it owes reports from everyone who got the plan."""
    with time_machine.travel(datetime(2022, 11, 20, 9, tzinfo=HCM)):
        request = services.request_create(
            actor=office_user,
            campaign=plan,
            template=template,
            title="Báo cáo thực hiện phong trào",
            units=[city.suoi_hoa],
            due_date=date(2022, 12, 15),
        )
    first = request.assignments.get().next_reminder_at
    ReportAssignment.objects.bulk_create(
        ReportAssignment(request=request, unit=unit, next_reminder_at=first)
        for unit in (superiors["department"], superiors["party"], city.noivu)
    )
    return request


def test_the_urging_letter_names_only_late_units_that_act(old_request, office_user, office_client):
    letter = services.urging_letter_create(
        actor=office_user, request=old_request, issued_on=date(2022, 12, 16)
    )
    assert [u.code for u in letter.units.all()] == ["P-SUOIHOA"]
    pdf = office_client.get(reverse("reporting:urging-download", args=[letter.pk, "pdf"])).content
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Ủy ban nhân dân phường Suối Hoa" in " ".join(text.split())
    assert "Sở Nội vụ tỉnh" not in text
    assert "Thành ủy Bắc Ninh" not in text
    assert "còn 1 cơ quan, đơn vị chưa gửi báo cáo" in " ".join(text.split())


def test_reminders_reach_only_units_that_act(old_request, city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.reminders_send_due(datetime(2022, 12, 8, 9, tzinfo=HCM))
    assert sent == 1
    assert list(Reminder.objects.values_list("assignment__unit__code", flat=True)) == ["P-SUOIHOA"]
