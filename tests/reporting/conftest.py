from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from thidua.reporting import services

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def template(campaign, office_user):
    return services.template_create(
        actor=office_user,
        campaign=campaign,
        name="Báo cáo kết quả",
        sections=[
            {"title": "Kết quả thực hiện", "guidance": ""},
            {"title": "Kiến nghị", "guidance": ""},
        ],
        indicators=[
            {
                "name": "Số hoạt động",
                "unit_of_measure": "hoạt động",
                "aggregation": "sum",
                "source": "activities",
            },
            {
                "name": "Số tin, bài",
                "unit_of_measure": "tin, bài",
                "aggregation": "sum",
                "source": "manual",
            },
            {
                "name": "Đã ban hành kế hoạch",
                "aggregation": "yes_share",
                "source": "manual",
                "is_yes_no": True,
            },
        ],
    )


@pytest.fixture
def report_request(campaign, template, office_user, city):
    with time_machine.travel(datetime(2022, 11, 20, 9, tzinfo=HCM)):
        return services.request_create(
            actor=office_user,
            campaign=campaign,
            template=template,
            title="Báo cáo thực hiện phong trào",
            units=[city.suoi_hoa, city.vu_ninh],
            due_date=date(2022, 12, 15),
        )
