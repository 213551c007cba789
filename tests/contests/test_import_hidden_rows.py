"""A question bank filtered in Excel: every row is imported and the page after the import, or
the job's page after a large one, names the hidden lines (core.excel.HiddenRows)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import verified_client
from tests.contests.conftest import HEADERS, question_rows
from tests.core.test_hidden_rows import workbook


@pytest.fixture
def filtered_bank() -> bytes:
    return workbook([HEADERS, *question_rows(5)], hidden=(3, 4), autofilter="A1:I6")


def test_the_import_page_warns_of_the_hidden_rows_it_imported(organiser, contest, filtered_bank):
    client = verified_client(organiser)
    url = reverse("contests:contest-detail", args=[contest.pk])
    response = client.post(url, {"file": SimpleUploadedFile("cau-hoi.xlsx", filtered_bank)})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert contest.questions.count() == 5
    assert "Đã nhập 5 câu hỏi" in page
    assert "2 dòng đang bị ẩn trong tệp" in page
    assert "dòng 3, 4." in page


def test_a_large_import_says_so_on_its_job_page(
    organiser, contest, filtered_bank, settings, django_capture_on_commit_callbacks
):
    client = verified_client(organiser)
    settings.THIDUA_IMPORT_INLINE_BYTES = 100
    url = reverse("contests:contest-detail", args=[contest.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile("cau-hoi.xlsx", filtered_bank)})
    page = client.get(response["Location"]).content.decode()
    assert "Đã nhập 5 dòng" in page
    assert "2 dòng đang bị ẩn trong tệp" in page
    assert "dòng 3, 4." in page


def test_the_column_step_warns_before_anything_is_imported(organiser, contest):
    """Headers the import does not know: the columns are chosen on a page that already says
    which rows are hidden, before any row is written."""
    rows = [["Hỏi gì", "X1", "X2", "X3", "X4", "Đ"]]
    rows += [[f"Câu {i}?", "1", "2", "3", "4", "A"] for i in range(5)]
    data = workbook(rows, hidden=(2, 5), autofilter="A1:F6")
    client = verified_client(organiser)
    url = reverse("contests:contest-detail", args=[contest.pk])
    page = client.post(url, {"file": SimpleUploadedFile("cau-hoi.xlsx", data)}).content.decode()
    assert "Chọn cột dữ liệu" in page
    assert "Trang tính có 2 dòng đang bị ẩn (bộ lọc) dưới dòng tiêu đề, ví dụ dòng 2, 5" in page
    assert not contest.questions.exists()
