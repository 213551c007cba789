"""Shared by the dossier services: dossier file kinds, statuses, the rule in force, the row lock."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from thidua.accounts.models import User
from thidua.awards import award_rules, rules
from thidua.awards.models import (
    AwardRule,
    AwardType,
    Nomination,
)
from thidua.core.uploads import UploadKind

DOSSIER_KINDS = (UploadKind.PDF, UploadKind.DOCX, UploadKind.IMAGE)
# States in which a nominee is "in play" and counts toward the quotas.
ACTIVE = [
    s
    for s in Nomination.Status.values
    if s not in {"draft", "withdrawn", "not_eligible", "not_recommended"}
]
# The unit may change its nominees and files only while the dossier is with it.
EDITABLE = Nomination.EDITABLE
NOMINATION_RELATED = ("award_type", "campaign", "unit")


def rule_in_force(award_type: AwardType, day: date) -> AwardRule:
    return award_rules.rule_in_force(award_type, day)


def _locked(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update()
        .select_related(*NOMINATION_RELATED)
        .get(pk=nomination.pk)
    )


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _editable(actor: User, nomination: Nomination, refused: str) -> Nomination:
    """Lock the dossier; only its unit edits it, and only while it is a draft or returned."""
    n = _locked(nomination)
    if not rules.can_draft_nomination(actor, n.unit_id):
        raise PermissionDenied
    if n.status not in EDITABLE:
        raise ValidationError(refused)
    return n
