# The reporting fixtures, for digests of late reports.
from tests.reporting.conftest import report_request, template  # noqa: F401
