"""Indicator figures from a unit's own sheet: the indicator's name without its unit of measure
is enough; the same file again is questioned."""

from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.imports import imports_then_asks_before_repeating
from tests.factories.sheets import xlsx_bytes
from thidua.reporting.models import ReportAssignment


def test_figures_file_repeated_is_questioned(report_request, officer, city):
    indicators = list(report_request.template.indicators.all())
    rows = [
        ["Mã ĐV", "Đơn vị", indicators[1].name, indicators[2].name],
        ["P-SUOIHOA", "Phường Suối Hoa", "12", "Có"],
    ]
    assignment = ReportAssignment.objects.get(request=report_request, unit=city.suoi_hoa)

    def state():
        assignment.refresh_from_db()
        return assignment.draft_values

    imports_then_asks_before_repeating(
        verified_client(officer),
        reverse("reporting:indicator-import", kwargs={"pk": report_request.pk}),
        xlsx_bytes(rows),
        state,
    )
    assert assignment.draft_values[str(indicators[1].pk)] == 12
