"""Campaign views by concern; urls.py and other apps import them from here."""

from thidua.campaigns.views.common import (
    issued_campaign_for,
)
from thidua.campaigns.views.imports import (
    campaign_import,
    campaign_import_review,
    campaign_review,
)
from thidua.campaigns.views.plans import (
    activity_form_add,
    assignment_edit,
    campaign_acknowledge,
    campaign_copy,
    campaign_delete,
    campaign_deliveries,
    campaign_detail,
    campaign_docx,
    campaign_edit,
    campaign_issue,
    campaign_list,
    campaign_pdf,
    campaign_preview,
    campaign_transition,
)
from thidua.campaigns.views.tasks import (
    task_list,
    task_update,
)

__all__ = [
    "activity_form_add",
    "assignment_edit",
    "campaign_acknowledge",
    "campaign_copy",
    "campaign_delete",
    "campaign_deliveries",
    "campaign_detail",
    "campaign_docx",
    "campaign_edit",
    "campaign_import",
    "campaign_import_review",
    "campaign_issue",
    "campaign_list",
    "campaign_pdf",
    "campaign_preview",
    "campaign_review",
    "campaign_transition",
    "issued_campaign_for",
    "task_list",
    "task_update",
]
