"""Exports write user text as text cells (issue 18 M3): a value typed as a formula must not run
when the office opens the file in Excel. Each export is downloaded through its page and opened
with openpyxl, which reports a formula cell as data_type "f"."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import verified_client
from thidua.core.excel import Column, write_workbook
from thidua.organizations import services as organizations
from thidua.participation import services as participation

PAYLOAD = '=HYPERLINK("http://ke-gian.example/x","Bấm vào đây")'
DANGEROUS = (PAYLOAD, "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "http://ke-gian.example")


def _cells(content: bytes) -> dict[str, object]:
    sheet = load_workbook(BytesIO(content)).active
    return {str(c.value): c for row in sheet.iter_rows() for c in row if c.value is not None}


def _download(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("value", DANGEROUS)
def test_every_text_is_a_text_cell(value):
    content = write_workbook([Column("Tên", "name"), Column("Số", "n")], [[value, 3]])
    sheet = load_workbook(BytesIO(content)).active
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == value.replace("\r", "_x000D_")  # openpyxl shows CR escaped
    assert sheet["A2"].hyperlink is None
    assert sheet["B2"].data_type == "n"  # numbers stay numbers


def test_a_persons_name_is_exported_as_text(city, office_user):
    organizations.person_create(
        actor=office_user,
        full_name=PAYLOAD,
        gender="male",
        unit=city.suoi_hoa,
        category="citizen",
    )
    content = _download(verified_client(office_user).get(reverse("organizations:person-export")))
    cell = _cells(content)[PAYLOAD]
    assert cell.data_type == "s"


def test_an_activity_is_exported_as_text(campaign, officer, city):
    participation.activity_record(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        form=campaign.forms.first(),
        title=PAYLOAD,
        held_on=date(2022, 7, 1),
        place="@SUM(1+1)",
        description="-1+1",
        participants=10,
    )
    url = reverse("participation:activity-export", kwargs={"pk": campaign.pk})
    cells = _cells(_download(verified_client(officer).get(url)))
    assert {cells[v].data_type for v in (PAYLOAD, "@SUM(1+1)", "-1+1")} == {"s"}


def test_a_contest_option_is_exported_as_text(make_user, campaign, city):
    from thidua.accounts.models import Role
    from thidua.contests import services as contests
    from thidua.contests.models import Question

    organiser = make_user(Role.CONTEST_ORGANISER, city.centre)
    contest = contests.contest_create(
        actor=organiser,
        campaign=campaign,
        organiser_unit=city.centre,
        title="Cuộc thi tìm hiểu",
        show_score_before_close=True,
    )
    Question.objects.create(
        contest=contest,
        topic="=1+1",
        stem="Câu hỏi?",
        stem_key="cau hoi?",
        option_a=PAYLOAD,
        option_b="+1",
        option_c="-1",
        option_d="@A1",
        correct="A",
    )
    url = reverse("contests:question-export", args=[contest.pk])
    cells = _cells(_download(verified_client(organiser).get(url)))
    assert {cells[v].data_type for v in (PAYLOAD, "+1", "-1", "@A1", "=1+1")} == {"s"}
