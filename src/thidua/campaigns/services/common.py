"""Shared by the campaign services: the editable fields and the derived search columns."""

from thidua.accounts.models import Role
from thidua.campaigns.models import (
    Campaign,
)
from thidua.campaigns.selectors import figures_version_name
from thidua.core import versions
from thidua.core.text import fold

# The plan's heading and general fields, in the order of the document's heading; the plan
# editor and the import review both show them.
PLAN_FIELDS = [
    "issuer_parent_name",
    "issuer_name",
    "doc_symbol",
    "place",
    "title",
    "method",
    "is_special",
    "occasion_date",
    "period_start",
    "period_end",
    "period_text",
    "report_deadline",
    "report_deadline_exclusive",
    "counts_for_annual_evaluation",
    "standing_agency",
    "signer_authority",
    "signer_title_line",
    "signer_title",
    "signer_name",
]
# What campaign_update writes: the general fields, the participants and the parent documents.
EDITABLE_FIELDS = (
    *PLAN_FIELDS,
    "participants_collective",
    "participants_individual",
    "parent_documents",
)
UNIT_ROLES: set[str] = {Role.UNIT_OFFICER, Role.UNIT_HEAD}


def campaign_figures_changed(campaign_id: int) -> None:
    """Something the campaign's dashboard or tabs count changed: counted again on next view."""
    versions.bump(figures_version_name(campaign_id))


def _set_derived(campaign: Campaign) -> None:
    campaign.search_text = fold(f"{campaign.title} {campaign.reference} {campaign.issuer_name}")[
        :600
    ]
