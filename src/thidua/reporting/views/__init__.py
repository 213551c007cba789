"""Reporting views by concern; urls.py imports them from here."""

from thidua.reporting.views.aggregates import (
    aggregate,
    aggregate_annex,
    aggregate_download,
    aggregate_issue,
)
from thidua.reporting.views.figures import (
    dashboard,
    indicator_export,
    indicator_import,
)
from thidua.reporting.views.reports import (
    attachment_file,
    attachment_remove,
    my_reports,
    report,
    report_accept,
    report_attach,
    report_autosave,
    report_compare,
    report_return,
    report_return_to_officer,
    report_send,
    report_submit,
)
from thidua.reporting.views.requests import (
    request_aggregate,
    request_create,
    request_detail,
    request_list,
    request_urge,
    template_create,
    urging_download,
)

__all__ = [
    "aggregate",
    "aggregate_annex",
    "aggregate_download",
    "aggregate_issue",
    "attachment_file",
    "attachment_remove",
    "dashboard",
    "indicator_export",
    "indicator_import",
    "my_reports",
    "report",
    "report_accept",
    "report_attach",
    "report_autosave",
    "report_compare",
    "report_return",
    "report_return_to_officer",
    "report_send",
    "report_submit",
    "request_aggregate",
    "request_create",
    "request_detail",
    "request_list",
    "request_urge",
    "template_create",
    "urging_download",
]
