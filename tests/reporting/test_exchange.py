"""Excel exchange of a request's indicator figures per unit."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import verified_client
from thidua.core.models import ActionLog
from thidua.reporting import services
from thidua.reporting.models import ReportAssignment


def _export(client, report_request):
    response = client.get(reverse("reporting:indicator-export", kwargs={"pk": report_request.pk}))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _upload(workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("chi-tieu.xlsx", buffer.getvalue())


def test_office_sees_every_unit_and_the_unit_only_its_own(
    report_request, office_user, officer, city
):
    sheet = load_workbook(BytesIO(_export(verified_client(office_user), report_request))).active
    assert [c.value for c in sheet[1]] == [
        "Mã đơn vị *",
        "Tên đơn vị",
        "Trạng thái",
        "Số hoạt động (hoạt động)",
        "Số tin, bài (tin, bài)",
        "Đã ban hành kế hoạch",
    ]
    assert sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True)) == [
        "P-SUOIHOA",
        "P-VUNINH",
    ]
    sources = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert sources == ['"Có,Không"']
    own = load_workbook(BytesIO(_export(verified_client(officer), report_request))).active
    assert [r[0] for r in own.iter_rows(min_row=2, values_only=True)] == ["P-SUOIHOA"]


def test_unit_fills_figures_then_round_trip_changes_nothing(report_request, officer, city):
    client = verified_client(officer)
    workbook = load_workbook(BytesIO(_export(client, report_request)))
    sheet = workbook.active
    sheet["E2"], sheet["F2"] = 12, "Có"
    count, errors = services.indicators_import(
        actor=officer, request=report_request, upload=_upload(workbook)
    )
    assert (count, errors) == (1, [])
    assignment = ReportAssignment.objects.get(request=report_request, unit=city.suoi_hoa)
    indicators = list(report_request.template.indicators.all())
    assert assignment.draft_values[str(indicators[1].pk)] == 12
    assert assignment.draft_values[str(indicators[2].pk)] is True
    saved_at = assignment.draft_saved_at

    again = _export(client, report_request)
    logs = ActionLog.objects.count()
    count, errors = services.indicators_import(
        actor=officer, request=report_request, upload=SimpleUploadedFile("x.xlsx", again)
    )
    assert (count, errors) == (0, [])
    assignment.refresh_from_db()
    assert assignment.draft_saved_at == saved_at
    assert ActionLog.objects.count() == logs


def test_import_is_all_or_nothing_and_refuses_other_units(report_request, officer, city):
    workbook = load_workbook(BytesIO(_export(verified_client(officer), report_request)))
    sheet = workbook.active
    sheet["E2"] = "nhiều"
    sheet.append(["P-VUNINH", None, None, None, 3])
    count, errors = services.indicators_import(
        actor=officer, request=report_request, upload=_upload(workbook)
    )
    assert count == 0
    assert {e.row for e in errors} == {2, 3}
    assert any("không phải là số" in e.message for e in errors)
    assert not ReportAssignment.objects.exclude(draft_values={}).exists()


def test_a_unit_given_twice_is_refused_not_overwritten(report_request, officer, city):
    workbook = load_workbook(BytesIO(_export(verified_client(officer), report_request)))
    sheet = workbook.active
    sheet["E2"] = 12
    sheet.append(["P-SUOIHOA", None, None, None, "12.500"])  # the same unit, other figures
    count, errors = services.indicators_import(
        actor=officer, request=report_request, upload=_upload(workbook)
    )
    assert count == 0
    assert [(e.row, e.column, e.message) for e in errors] == [
        (3, "Mã đơn vị", "Trùng đơn vị ở dòng 2.")
    ]
    assert not ReportAssignment.objects.exclude(draft_values={}).exists()


def test_a_unit_code_in_other_capitals_is_the_units_code(report_request, officer, city):
    """A unit's own sheet types its code in lower case: it was refused as "not in this
    request"; the same unit twice is still a repeat."""
    workbook = load_workbook(BytesIO(_export(verified_client(officer), report_request)))
    sheet = workbook.active
    sheet["A2"], sheet["E2"] = "p-suoihoa", 12
    count, errors = services.indicators_import(
        actor=officer, request=report_request, upload=_upload(workbook)
    )
    assert (count, errors) == (1, [])
    assignment = ReportAssignment.objects.get(request=report_request, unit=city.suoi_hoa)
    indicators = list(report_request.template.indicators.all())
    assert assignment.draft_values[str(indicators[1].pk)] == 12
    sheet.append(["P-SuoiHoa", None, None, None, 5])
    count, errors = services.indicators_import(
        actor=officer, request=report_request, upload=_upload(workbook)
    )
    assert [(e.row, e.message) for e in errors] == [(3, "Trùng đơn vị ở dòng 2.")]
