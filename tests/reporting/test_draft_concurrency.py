"""Issue 18, M7: two people autosaving one report draft never erase each other's text."""

import html
import re

import pytest
from django.urls import reverse

from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.reporting.models import ReportAssignment

pytestmark = pytest.mark.django_db


class Page:
    """One open browser tab of the report page: its fields and its hidden base, which htmx
    replaces from every autosave answer (hx-swap-oob)."""

    def __init__(self, client, a: ReportAssignment, page: str | None = None) -> None:
        """The tab as opened, or as the server sent it back (`page`: after a refused send)."""
        self.client, self.a = client, a
        if page is None:
            page = client.get(reverse("reporting:report", args=[a.pk])).content.decode()
        self.bases = html.unescape(
            re.search(r'name="_bases" id="draft-bases" value="([^"]*)"', page)[1]
        )
        self.fields = {
            name: html.unescape(text)
            for name, text in re.findall(
                r'<textarea[^>]*name="(section-\d+)"[^>]*>([^<]*)</textarea>', page
            )
        }
        self.fields |= {
            name: html.unescape(value)
            for name, value in re.findall(
                r'<input class="form-control[^"]*" id="[^"]+" name="(indicator-\d+)" value="([^"]*)"',
                page,
            )
        }

    def type(self, name: str, text: str) -> str:
        self.fields[name] = text
        answer = self.client.post(
            reverse("reporting:report-autosave", args=[self.a.pk]),
            {**self.fields, "_bases": self.bases},
            HTTP_HX_REQUEST="true",
        ).content.decode()
        swapped = re.search(r'name="_bases" id="draft-bases" value="([^"]*)" hx-swap-oob', answer)
        if swapped:
            self.bases = html.unescape(swapped[1])
        return answer


@pytest.fixture
def two_tabs(report_request, officer, make_user, city):
    a = report_request.assignments.get(unit=city.suoi_hoa)
    colleague = make_user(Role.UNIT_OFFICER, city.suoi_hoa)
    return a, Page(verified_client(officer), a), Page(verified_client(colleague), a)


def _names(report_request):
    first, second = report_request.template.sections.order_by("position", "pk")
    return f"section-{first.pk}", f"section-{second.pk}", first.title


def test_different_sections_from_two_sessions_are_both_kept(two_tabs, report_request):
    a, mine, theirs = two_tabs
    results, proposals, results_title = _names(report_request)
    answer = mine.type(results, "Đã tổ chức 4 buổi tọa đàm")
    assert "Đã tự động lưu" in answer
    answer = theirs.type(proposals, "Đề nghị tăng kinh phí")  # an older page: results still empty
    assert "Đã tự động lưu" in answer
    assert f"Người khác vừa sửa “{results_title}”" in answer
    a.refresh_from_db()
    assert a.draft_narratives[results.removeprefix("section-")] == "Đã tổ chức 4 buổi tọa đàm"
    assert a.draft_narratives[proposals.removeprefix("section-")] == "Đề nghị tăng kinh phí"
    # Both go on typing, each with the base its last answer gave it.
    mine.type(results, "Đã tổ chức 4 buổi tọa đàm, 2 hội thi")
    theirs.type(proposals, "Đề nghị tăng kinh phí năm 2023")
    a.refresh_from_db()
    assert (
        a.draft_narratives[results.removeprefix("section-")]
        == "Đã tổ chức 4 buổi tọa đàm, 2 hội thi"
    )
    assert (
        a.draft_narratives[proposals.removeprefix("section-")] == "Đề nghị tăng kinh phí năm 2023"
    )


def test_the_same_section_changed_by_both_is_refused_not_overwritten(two_tabs, report_request):
    a, mine, theirs = two_tabs
    results, _, results_title = _names(report_request)
    mine.type(results, "Bản của tôi")
    answer = theirs.type(results, "Bản của đồng nghiệp")
    assert "người khác đã lưu nội dung khác ở" in answer
    assert f"“{results_title}”" in answer
    assert "Đã tự động lưu" not in answer
    a.refresh_from_db()
    assert a.draft_narratives[results.removeprefix("section-")] == "Bản của tôi"


def test_figures_merge_like_text(two_tabs, report_request):
    a, mine, theirs = two_tabs
    results, _, _ = _names(report_request)
    articles = report_request.template.indicators.get(name="Số tin, bài")
    mine.type(f"indicator-{articles.pk}", "12")
    theirs.type(results, "Văn bản của đồng nghiệp")
    a.refresh_from_db()
    assert a.draft_values[str(articles.pk)] == 12.0
    assert a.draft_narratives[results.removeprefix("section-")] == "Văn bản của đồng nghiệp"


def test_a_save_without_a_base_replaces_the_draft_as_before(report_request, officer, city):
    """The API's PUT sends the whole draft on purpose (and old pages had no base)."""
    a = report_request.assignments.get(unit=city.suoi_hoa)
    results, proposals, _ = _names(report_request)
    client = verified_client(officer)
    url = reverse("reporting:report-autosave", args=[a.pk])
    client.post(url, {results: "Một", proposals: "Hai"})
    client.post(url, {results: "Ba", proposals: ""})
    a.refresh_from_db()
    assert a.draft_narratives[results.removeprefix("section-")] == "Ba"
    assert a.draft_narratives[proposals.removeprefix("section-")] == ""
