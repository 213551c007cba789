"""Organiser downloads: question bank and templates, import errors, winners, certificates."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from thidua.contests import bank, selectors, services
from thidua.contests.certificates import winner_certificates_pdf
from thidua.contests.models import PrizeTier
from thidua.contests.views._common import managed, managed_round
from thidua.core.excel import Column, error_report, write_workbook
from thidua.core.http import xlsx_response
from thidua.documents.http import pdf_response


@login_required
def question_export(request: HttpRequest, pk: int) -> HttpResponse:
    contest = managed(request, pk)
    return xlsx_response(
        write_workbook(
            bank.QUESTION_COLUMNS, services.question_rows(contest), sheet_name="Câu hỏi"
        ),
        f"ngan-hang-cau-hoi-{contest.pk}.xlsx",
    )


@login_required
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    managed(request, pk)
    errors = request.session.get("contest_import_errors", [])
    # a Word file's errors are numbered by question ("Câu"), a spreadsheet's by line
    place = request.session.get("contest_import_place") or "Dòng"
    return xlsx_response(error_report(errors, place), "loi-nhap-cau-hoi.xlsx")


@login_required
def question_template(request: HttpRequest, pk: int) -> HttpResponse:
    managed(request, pk)
    sample = [
        [
            "Tiểu sử",
            "Dễ",
            "Tổng Bí thư Nguyễn Văn Cừ sinh năm nào?",
            "1910",
            "1912",
            "1914",
            "1916",
            "B",
            "",
        ],
        ["Tiểu sử", "Dễ", "Đồng chí Nguyễn Văn Cừ quê ở Bắc Ninh.", "Đúng", "Sai", "", "", "A", ""],
    ]  # fmt: skip; a true/false question: options A and B only
    return xlsx_response(
        write_workbook(bank.QUESTION_COLUMNS, sample, sheet_name="Câu hỏi"), "mau-cau-hoi.xlsx"
    )


COLLECTIVE_COLUMNS = (
    Column("Hạng", "rank", width=8),
    Column("Giải", "prize", width=20),
    Column("Đơn vị", "unit", width=40),
    Column("Mã đơn vị", "code", width=14),
    Column("Số người dự thi", "entrants", width=16),
    Column("Số người dự kiến", "expected", width=18),
    Column("Tỷ lệ tham gia (%)", "rate", width=18),
)


@login_required
def collective_export(request: HttpRequest, pk: int) -> HttpResponse:
    contest = managed(request, pk)
    labels = dict(PrizeTier.choices)
    rows = [
        [
            r.rank,
            labels.get(r.prize, ""),
            r.unit.short_name or r.unit.name,
            r.unit.code,
            r.entrants,
            r.expected,
            float(r.rate) if r.rate is not None else None,
        ]
        for r in selectors.collective_results(contest)
    ]
    content = write_workbook(COLLECTIVE_COLUMNS, rows, sheet_name="Giải tập thể")
    return xlsx_response(content, f"giai-tap-the-{contest.pk}.xlsx")


@login_required
def target_template(request: HttpRequest, pk: int) -> HttpResponse:
    contest = managed(request, pk)
    return xlsx_response(
        write_workbook(
            services.TARGET_COLUMNS, services.target_rows(contest), sheet_name="Số người dự kiến"
        ),
        f"so-nguoi-du-kien-{contest.pk}.xlsx",
    )


WINNER_COLUMNS = (
    Column("Hạng", "rank", width=8),
    Column("Giải", "prize", width=18),
    Column("Họ và tên", "name", width=28),
    Column("Năm sinh", "birth_year", width=10),
    Column("Đơn vị, phường", "unit", width=36),
    Column("Điện thoại", "phone", width=14),
    Column("Thư điện tử", "email", width=24),
    Column("Số câu đúng", "score", width=12),
    Column("Chênh lệch dự đoán", "gap", width=18),
    Column("Thời gian làm bài (giây)", "duration", width=22),
    Column("Nộp lúc", "submitted", width=20),
)


@login_required
def round_export(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = managed_round(request, pk)
    labels = dict(PrizeTier.choices)
    rows = (
        [
            e.rank,
            labels.get(e.prize, ""),
            e.contestant.full_name,
            e.contestant.birth_year,
            e.contestant.unit_label,
            e.contestant.phone,
            e.contestant.email,
            e.score,
            e.prediction_gap,
            round(e.duration_ms / 1000, 1),
            timezone.localtime(e.submitted_at).strftime("%d/%m/%Y %H:%M:%S"),
        ]
        for e in selectors.round_winners(round_).iterator(chunk_size=2000)
    )
    content = write_workbook(WINNER_COLUMNS, rows, sheet_name="Danh sách đạt giải")
    return xlsx_response(content, f"dat-giai-vong-{round_.number}.xlsx")


@login_required
def round_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = managed_round(request, pk)
    if not round_.ranked_at:
        raise Http404
    return pdf_response(winner_certificates_pdf(round_), f"chung-nhan-vong-{round_.number}")
