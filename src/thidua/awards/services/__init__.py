"""Award dossier services by stage: building the dossier (nominees, files), eligibility
checks, sending, appraisal and holds."""

from thidua.awards.services.appraisal import (
    hold_add,
    hold_end,
    holds_pass_on_merge,
    nomination_appraise,
    nomination_receive,
    nomination_return,
    nomination_return_to_drafter,
    nomination_send_for_approval,
    nomination_submit,
    nominations_overdue,
)
from thidua.awards.services.common import (
    ACTIVE,
    DOSSIER_KINDS,
    EDITABLE,
    NOMINATION_RELATED,
    rule_in_force,
)
from thidua.awards.services.dossier_files import (
    document_attach,
    document_remove,
    document_replace,
)
from thidua.awards.services.eligibility import (
    duplicate_warnings,
    eligibility_problems,
)
from thidua.awards.services.nominations import (
    household_nominee_add,
    nomination_create,
    nomination_delete,
    nominee_add,
    nominee_move,
    nominee_remove,
)

__all__ = [
    "ACTIVE",
    "DOSSIER_KINDS",
    "EDITABLE",
    "NOMINATION_RELATED",
    "document_attach",
    "document_remove",
    "document_replace",
    "duplicate_warnings",
    "eligibility_problems",
    "hold_add",
    "hold_end",
    "holds_pass_on_merge",
    "household_nominee_add",
    "nomination_appraise",
    "nomination_create",
    "nomination_delete",
    "nomination_receive",
    "nomination_return",
    "nomination_return_to_drafter",
    "nomination_send_for_approval",
    "nomination_submit",
    "nominations_overdue",
    "nominee_add",
    "nominee_move",
    "nominee_remove",
    "rule_in_force",
]
