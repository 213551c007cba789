from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from thidua.campaigns import services
from thidua.campaigns.models import Assignment
from thidua.demo import SEED_PLAN

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_task_deadline_in_the_past_needs_confirmation(office_user, office_client, city):
    with time_machine.travel(datetime(2022, 5, 20, 9, tzinfo=HCM), tick=False):
        draft = services.campaign_import(
            actor=office_user, text=SEED_PLAN.read_text(encoding="utf-8"), owner_unit=city.city
        )
        url = reverse("campaigns:assignment-create", args=[draft.pk])
        data = {"clause": "IV.9", "text": "Báo cáo nhanh", "units": [city.suoi_hoa.pk]}
        before = Assignment.objects.count()
        response = office_client.post(url, {**data, "due_date": "30/04/2022"})
        html = response.content.decode()
        assert "Hạn 30/04/2022 đã qua (hôm nay là 20/05/2022) và trước thời gian bắt đầu" in html
        assert Assignment.objects.count() == before
        ok = office_client.post(url, {**data, "due_date": "30/04/2022", "confirm_deadline": "on"})
        assert ok.status_code == 302
        assert Assignment.objects.count() == before + 1
        assert office_client.post(url, {**data, "due_date": "30/06/2022"}).status_code == 302
