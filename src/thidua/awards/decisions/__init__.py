"""Award decisions (quyết định khen thưởng) and the registry entries they create.

A decision is drafted by Nội vụ from the recommended list, sent to the signer, and becomes
final when the signer approves it in the system or Nội vụ records the signed scan. Only then
does it take its number, enter the award registry and close the nominations. A final decision
is never edited: an amending or revoking decision corrects it.
"""

from thidua.awards.decisions.corrections import (
    NAMED_IN_ARTICLE,
    decision_correct,
    decision_line_edit,
)
from thidua.awards.decisions.drafting import (
    DECISION_RELATED,
    decision_bases_refresh,
    decision_discard,
    decision_draft,
    decision_line_remove,
    decision_return,
    decision_send_for_signature,
    decision_update,
)
from thidua.awards.decisions.signing import (
    decision_approve,
    decision_record_signed_scan,
    decision_sign_pdf,
    rule_id_of,
)
from thidua.awards.decisions.texts import (
    EDITABLE,
    REGISTRY_SERIES,
    campaign_phrase,
    computed_legal_bases,
    correction_legal_bases,
    grant_legal_bases,
    recommended_at,
    rule_label,
)

__all__ = [
    "DECISION_RELATED",
    "EDITABLE",
    "NAMED_IN_ARTICLE",
    "REGISTRY_SERIES",
    "campaign_phrase",
    "computed_legal_bases",
    "correction_legal_bases",
    "decision_approve",
    "decision_bases_refresh",
    "decision_correct",
    "decision_discard",
    "decision_draft",
    "decision_line_edit",
    "decision_line_remove",
    "decision_record_signed_scan",
    "decision_return",
    "decision_send_for_signature",
    "decision_sign_pdf",
    "decision_update",
    "grant_legal_bases",
    "recommended_at",
    "rule_id_of",
    "rule_label",
]
