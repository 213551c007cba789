"""Campaign services by concern: drafting (import, review, create), editing the plan, the
lifecycle (issue, sign, phases), receiving units."""

from thidua.campaigns.services.common import (
    EDITABLE_FIELDS,
    UNIT_ROLES,
    campaign_figures_changed,
)
from thidua.campaigns.services.deliveries import (
    assignment_target_set_status,
    delivery_acknowledge,
    delivery_open,
)
from thidua.campaigns.services.drafting import (
    activity_form_add,
    campaign_create_from_review,
    campaign_delete_draft,
    campaign_import,
    parent_documents_json,
)
from thidua.campaigns.services.editing import (
    assignment_save,
    campaign_copy,
    campaign_items_replace,
    campaign_plan_save,
    campaign_sections_replace,
    campaign_update,
)
from thidua.campaigns.services.lifecycle import (
    campaign_close,
    campaign_final_begin,
    campaign_interim_begin,
    campaign_interim_end,
    campaign_issue,
    campaign_sign_pdf,
    campaign_start,
    campaigns_start_due,
    issue_problems,
)

__all__ = [
    "EDITABLE_FIELDS",
    "UNIT_ROLES",
    "activity_form_add",
    "assignment_save",
    "assignment_target_set_status",
    "campaign_close",
    "campaign_copy",
    "campaign_create_from_review",
    "campaign_delete_draft",
    "campaign_figures_changed",
    "campaign_final_begin",
    "campaign_import",
    "campaign_interim_begin",
    "campaign_interim_end",
    "campaign_issue",
    "campaign_items_replace",
    "campaign_plan_save",
    "campaign_sections_replace",
    "campaign_sign_pdf",
    "campaign_start",
    "campaign_update",
    "campaigns_start_due",
    "delivery_acknowledge",
    "delivery_open",
    "issue_problems",
    "parent_documents_json",
]
