"""The aggregated report: shares counted over every unit asked, a title without "Báo cáo"
twice, headings kept with what follows them in the PDF and DOCX."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document
from pypdf import PdfReader

from tests.conftest import make_unit
from tests.reporting.test_services import submit
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


def test_one_yes_of_forty_two_units_is_not_a_hundred_percent(forty_two, officer, head, city):
    plan = str(forty_two.template.indicators.get(name="Đã ban hành kế hoạch").pk)
    submit(forty_two.assignments.get(unit=city.suoi_hoa), officer, head, {}, {plan: "true"})
    figures = selectors.aggregate_figures(request=forty_two)
    assert (figures["reported"], figures["total"]) == (1, 42)
    row = next(r for r in figures["indicators"] if r["name"] == "Đã ban hành kế hoạch")
    assert row["display"] == "1/42 đơn vị (2%)"
    assert "100%" not in row["display"]


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
