# The reporting and awards fixtures, for a start page with something on it.
from tests.awards.conftest import board, eligible, giay_khen, recommended, signer  # noqa: F401
from tests.reporting.conftest import report_request, template  # noqa: F401
