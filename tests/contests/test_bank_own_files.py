"""The question bank read on an organiser's own file: a title block, "Phương án trả lời" merged
over A B C D, STT and Ghi chú columns, options and questions numbered by hand, blank lines and
a signature block; CSV from a Vietnamese Windows; files that are no bank refused in Vietnamese."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.pdfs import pdf
from tests.factories.sheets import csv_bytes, nfd, office_list_bytes
from thidua.contests import services
from thidua.contests.models import Question

TITLE = ("BAN TỔ CHỨC CUỘC THI", "NGÂN HÀNG CÂU HỎI TRẮC NGHIỆM")
# Line 4 and 5: the options grouped under one merged cell, the answer before them.
HEADER = (
    ("STT", "Nội dung câu hỏi", "Đáp án đúng", "Phương án trả lời", None, None, None, "Mức độ",
     "Chuyên đề", "Ghi chú"),
    (None, None, None, "A", "B", "C", "D", None, None, None),
)  # fmt: skip
HEADER_MERGES = ("A1:A2", "B1:B2", "C1:C2", "D1:G1", "H1:H2", "I1:I2", "J1:J2")


def _import(organiser, contest, data: bytes, name: str = "ngan-hang.xlsx"):
    return services.question_import(
        actor=organiser, contest=contest, upload=BytesIO(data), filename=name
    )


def _bank(contest) -> list[tuple[str, ...]]:
    return list(
        contest.questions.order_by("pk").values_list(
            "stem", "option_a", "option_b", "option_c", "option_d", "correct", "difficulty", "topic"
        )
    )


def test_an_organisers_own_bank_imports_every_question(organiser, contest):
    data = office_list_bytes(
        HEADER,
        [
            (1, nfd("Đồng chí Nguyễn Văn Cừ sinh năm nào?"), "b", "1910", "1912", "1914", "1916",
             "Nhận biết", "Tiểu sử", None),
            (2, "Quê quán của đồng chí ở đâu?\u00a0", "Bắc Ninh", "Hà Nội", "Bắc Ninh", "Huế",
             "Nam Định", "Thông hiểu", "Tiểu sử", "Đã sửa"),
            (None, None, None, None, None, None, None, None, None, None),
            (3, "Đồng chí làm Tổng Bí thư\nnăm nào?", "Đáp án C", 1936, 1937, 1938, 1939,
             "Vận dụng", "Hoạt động cách mạng", None),
        ],
        header_merges=HEADER_MERGES,
        title=TITLE,
    )  # fmt: skip
    created, errors = _import(organiser, contest, data)
    assert errors == []
    assert created == 3
    assert _bank(contest) == [
        ("Đồng chí Nguyễn Văn Cừ sinh năm nào?", "1910", "1912", "1914", "1916", "B", "easy",
         "Tiểu sử"),
        ("Quê quán của đồng chí ở đâu?", "Hà Nội", "Bắc Ninh", "Huế", "Nam Định", "B", "medium",
         "Tiểu sử"),
        ("Đồng chí làm Tổng Bí thư\nnăm nào?", "1936", "1937", "1938", "1939", "C", "hard",
         "Hoạt động cách mạng"),
    ]  # fmt: skip


def test_options_and_questions_numbered_by_hand_are_stored_without_their_numbers(
    organiser, contest
):
    """Banks typed from a printed quiz keep "Câu 1:" before the question and "A." before each
    option. Options are shown in a new order to each contestant ("C. A. 1910"), and the right
    option's text given as the answer matched none."""
    data = office_list_bytes(
        [("Câu hỏi", "Phương án A", "Phương án B", "Phương án C", "Phương án D", "Đáp án")],
        [
            ("Câu 1: Đồng chí sinh năm nào?", "A. 1910", "B. 1912", "C. 1914", "D. 1916", "1912"),
            ("Câu 2. Quê ở đâu?", "a) Hà Nội", "b) Bắc Ninh", "c) Huế", "d) Nam Định", "B"),
            ("CÂU 3 - Năm nào?", "A/ 1936", "B/ 1937", "C/ 1938", "D/ 1939", "D. 1939"),
            ("Câu 12 năm 1938 có gì?", "A", "B", "C", "D", "A"),
        ],
        title=TITLE,
    )
    created, errors = _import(organiser, contest, data)
    assert (created, errors) == (4, [])
    assert [q[:6] for q in _bank(contest)] == [
        ("Đồng chí sinh năm nào?", "1910", "1912", "1914", "1916", "B"),
        ("Quê ở đâu?", "Hà Nội", "Bắc Ninh", "Huế", "Nam Định", "B"),
        ("Năm nào?", "1936", "1937", "1938", "1939", "D"),
        ("Câu 12 năm 1938 có gì?", "A", "B", "C", "D", "A"),
    ]


def test_a_csv_from_a_vietnamese_windows_with_semicolons_and_a_title(organiser, contest):
    rows = [
        ["NGÂN HÀNG CÂU HỎI"],
        ["STT", "Câu hỏi", "A", "B", "C", "D", "Đáp án", "Độ khó", "Ghi chú"],
        [1, "Đồng chí sinh năm nào?", "1910", "1912", "1914", "1916", "B", "Dễ", ""],
        [2, "Quê ở đâu?", "Hà Nội", "Bắc Ninh", "Huế", "Nam Định", "B", "khó", "xem lại"],
    ]
    page = verified_client(organiser).post(
        reverse("contests:contest-detail", args=[contest.pk]),
        {"file": SimpleUploadedFile("ngan-hang.csv", csv_bytes(rows, encoding="cp1258", sep=";"))},
    )
    assert page.status_code == 302, page.content.decode()[-2000:]
    assert [q[0] for q in _bank(contest)] == ["Đồng chí sinh năm nào?", "Quê ở đâu?"]


def test_bad_questions_are_named_by_line_and_column_and_none_is_written(organiser, contest):
    data = office_list_bytes(
        HEADER,
        [
            (1, "Câu đúng?", "B", "1910", "1912", "1914", "1916", "Dễ", None, None),
            (2, "Không có đáp án?", None, "1910", "1912", "1914", "1916", "Dễ", None, None),
            (3, "Đáp án E?", "E", "1910", "1912", "1914", "1916", "Rất khó", None, None),
            (4, "Câu đúng?", "A", "1910", None, "1914", "1916", "Dễ", None, None),
        ],
        header_merges=HEADER_MERGES,
        title=TITLE,
    )
    created, errors = _import(organiser, contest, data)
    assert created == 0
    assert [(e.row, e.column) for e in errors] == [
        (7, "Đáp án"),
        (8, "Đáp án"),
        (8, "Độ khó"),
        (9, "Câu hỏi"),
        (9, "Phương án B"),
    ]
    assert errors[0].message == "Thiếu đáp án."
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("ngan-hang.xlsx", b"", "Tập tin được gửi là rỗng."),
        ("ngan-hang.xlsx", pdf().read(), "không phải"),
        ("ngan-hang.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xlsx"),
        ("ngan-hang.csv", csv_bytes([["Câu hỏi", "A", "B", "C", "D", "Đáp án"]]), "dòng dữ liệu"),
    ],
)
def test_a_file_that_is_no_bank_is_refused_in_vietnamese(organiser, contest, name, data, message):
    page = verified_client(organiser).post(
        reverse("contests:contest-detail", args=[contest.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not Question.objects.exists()
