"""Reporting services by concern: requests, drafts and review, reminders, official outputs
(urging letters, the aggregated report), Excel exchange of figures."""

from thidua.reporting.services.drafts import (
    ATTACHMENT_KINDS,
    auto_values,
    clean_draft_values,
    draft_fields,
    report_accept,
    report_attach,
    report_draft_save,
    report_return,
    report_send_for_approval,
    report_submit,
)
from thidua.reporting.services.figures import (
    YES_NO,
    indicator_columns,
    indicator_export_rows,
    indicators_export,
    indicators_import,
    indicators_import_file,
)
from thidua.reporting.services.outputs import (
    AGGREGATE_JOB,
    AGGREGATE_STEPS,
    aggregate_build,
    aggregate_build_job,
    aggregate_build_start,
    aggregate_title,
    aggregate_update,
    late_units,
    urging_letter_create,
    urging_letter_sign,
)
from thidua.reporting.services.reminders import (
    reminder_body,
    reminders_claim_due,
    reminders_send_due,
)
from thidua.reporting.services.requests import (
    OWED,
    UNIT_ROLES,
    request_create,
    template_create,
)

__all__ = [
    "AGGREGATE_JOB",
    "AGGREGATE_STEPS",
    "ATTACHMENT_KINDS",
    "OWED",
    "UNIT_ROLES",
    "YES_NO",
    "aggregate_build",
    "aggregate_build_job",
    "aggregate_build_start",
    "aggregate_title",
    "aggregate_update",
    "auto_values",
    "clean_draft_values",
    "draft_fields",
    "indicator_columns",
    "indicator_export_rows",
    "indicators_export",
    "indicators_import",
    "indicators_import_file",
    "late_units",
    "reminder_body",
    "reminders_claim_due",
    "reminders_send_due",
    "report_accept",
    "report_attach",
    "report_draft_save",
    "report_return",
    "report_send_for_approval",
    "report_submit",
    "request_create",
    "template_create",
    "urging_letter_create",
    "urging_letter_sign",
]
