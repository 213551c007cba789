"""The aggregated report: yes/no shares counted over the units that answered, "chưa có số
liệu" for what no unit filled, a title without "Báo cáo" twice, headings kept with what follows
them in the PDF and DOCX."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document
from pypdf import PdfReader

from tests.conftest import make_unit
from tests.factories.reports import narrative
from tests.reporting.test_services import submit, unit_users
from thidua.documents.official import render_docx, render_pdf
from thidua.reporting import selectors, services
from thidua.reporting.documents import aggregate_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def forty_two(campaign, template, office_user, city):
    wards = [
        make_unit(f"PX{i}", f"Ủy ban nhân dân phường Số {i}", "ward", city.city) for i in range(40)
    ]
    return services.request_create(
        actor=office_user,
        campaign=campaign,
        template=template,
        title="Báo cáo kết quả thực hiện phong trào",
        units=[city.suoi_hoa, city.vu_ninh, *wards],
        due_date=date(2022, 12, 15),
    )


def test_a_yes_no_share_is_of_the_units_that_answered_and_says_so(
    forty_two, officer, head, office_user, make_user, city
):
    """Of 42 units asked, three reported: "Có", "Không" and a blank. The share is of the two
    that answered, and says so; the units not reported and the blank are no "Không" (before,
    "1/42 đơn vị (2%)" counted them as one)."""
    plan = str(forty_two.template.indicators.get(name="Đã ban hành kế hoạch").pk)
    submit(forty_two.assignments.get(unit=city.suoi_hoa), officer, head, {}, {plan: "true"})
    vu_ninh = forty_two.assignments.get(unit=city.vu_ninh)
    submit(vu_ninh, *unit_users(make_user, city.vu_ninh), {}, {plan: "false"})
    ward = forty_two.assignments.get(unit__code="PX0")
    submit(ward, *unit_users(make_user, ward.unit), narrative(ward), {plan: ""})
    figures = selectors.aggregate_figures(request=forty_two)
    assert (figures["reported"], figures["total"]) == (3, 42)
    rows = {r["name"]: r for r in figures["indicators"]}
    assert rows["Đã ban hành kế hoạch"]["display"] == "1/2 đơn vị trả lời (50%)"
    assert rows["Đã ban hành kế hoạch"]["total"] == 50.0
    assert rows["Số tin, bài"]["display"] == "chưa có số liệu"  # nobody filled it: not "0"
    assert rows["Số tin, bài"]["total"] is None
    body = services.aggregate_build(actor=office_user, request=forty_two).body.splitlines()
    assert ", 3/42 đơn vị đã báo cáo" in body[0]
    assert "- Đã ban hành kế hoạch: 1/2 đơn vị trả lời (50%)" in body
    assert "- Số tin, bài: chưa có số liệu" in body


def test_title_and_summary_line_say_bao_cao_once(forty_two, office_user):
    report = services.aggregate_build(actor=office_user, request=forty_two)
    assert report.title == "Báo cáo kết quả thực hiện phong trào"
    first = report.body.splitlines()[0]
    assert "Báo cáo" not in first
    assert first.endswith("0/42 đơn vị đã báo cáo.")
    assert (
        services.aggregate_title("Thực hiện phong trào X")
        == "Báo cáo kết quả thực hiện phong trào X"
    )
    assert services.aggregate_title("UBND phường báo") == "Báo cáo kết quả UBND phường báo"
    assert services.aggregate_title("báo cáo sơ kết") == "Báo cáo sơ kết"


def test_headings_are_kept_with_the_text_after_them(forty_two, office_user):
    report = services.aggregate_build(actor=office_user, request=forty_two)
    headings = ["KẾT QUẢ THỰC HIỆN", "II. Kiến nghị, đề xuất"]
    # Filler of every length moves the first heading down the page line by line: in some
    # of these documents it would fall on a page's last line if it were not kept with the next.
    for filler in range(20, 44):
        body = [f"Dòng nội dung thứ {n} của báo cáo tổng hợp." for n in range(filler)]
        body += [headings[0], *[f"- Đơn vị {n}: đã thực hiện." for n in range(30)]]
        body += [headings[1], "Đề nghị Sở Nội vụ hướng dẫn thêm."]
        services.aggregate_update(
            actor=office_user, report=report, title=report.title, body="\n".join(body)
        )
        report.refresh_from_db()
        document = aggregate_document(report)
        for page in PdfReader(BytesIO(render_pdf(document))).pages:
            lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
            assert lines[-1] not in headings, (filler, lines[-1])
    paragraphs = {p.text: p for p in Document(BytesIO(render_docx(document))).paragraphs}
    for heading in headings:
        assert paragraphs[heading].paragraph_format.keep_with_next


def test_blanks_of_the_only_unit_that_reported_read_no_figures_everywhere(
    report_request, officer, head, office_user, office_client, city
):
    """The review's case: the one unit that reported left its figures blank and answered
    "Không": the page, the body (PDF, DOCX) and the totals workbook say "chưa có số liệu",
    never "0 tin, bài", and the share is "0/1 đơn vị trả lời (0%)", not "0/2 đơn vị"."""
    from django.urls import reverse
    from openpyxl import load_workbook

    plan = str(report_request.template.indicators.get(name="Đã ban hành kế hoạch").pk)
    news = str(report_request.template.indicators.get(name="Số tin, bài").pk)
    a = report_request.assignments.get(unit=city.suoi_hoa)
    submit(a, officer, head, {}, {news: "", plan: "false"})
    body = services.aggregate_build(actor=office_user, request=report_request).body.splitlines()
    assert "- Số tin, bài: chưa có số liệu" in body
    assert "- Đã ban hành kế hoạch: 0/1 đơn vị trả lời (0%)" in body
    assert not [line for line in body if "0 tin, bài" in line]
    page = office_client.get(reverse("reporting:aggregate", args=[report_request.pk]))
    cells = {row["name"]: row["display"] for row in page.context["figures"]["indicators"]}
    assert cells["Số tin, bài"] == "chưa có số liệu"
    html = page.content.decode()
    assert '<td class="text-secondary">chưa có số liệu</td>' in html
    assert "<td>0/1 đơn vị trả lời (0%)</td>" in html
    response = office_client.get(
        reverse("reporting:aggregate-download", args=[report_request.pk, "xlsx"])
    )
    rows = list(
        load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    totals = next(r for r in rows if r[0] == "Tổng hợp")
    assert totals[3:] == ("Chưa có số liệu", 0)  # "Số tin, bài", "Đã ban hành kế hoạch" (0 %)
