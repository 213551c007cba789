"""Participation services by concern: registrations and pledges, activities and their
evidence, the activities spreadsheet, good models, difficulties."""

from thidua.participation.services.activities import (
    activity_delete,
    activity_record,
    activity_stats_rebuild,
    activity_update,
    commitments_recount,
    evidence_delete,
)
from thidua.participation.services.activity_sheets import (
    ACTIVITY_COLUMNS,
    ACTIVITY_FIELDS,
    EXPORT_COLUMNS,
    activities_export,
    activities_import,
    activities_import_file,
    activity_columns,
    activity_export_rows,
)
from thidua.participation.services.common import (
    EVIDENCE_KINDS,
    MAX_EVIDENCE_FILES,
    UNIT_ROLES,
)
from thidua.participation.services.difficulties import (
    difficulty_answer,
    difficulty_close,
    difficulty_forward,
    difficulty_raise,
)
from thidua.participation.services.good_models import (
    REVIEW_DECISIONS,
    good_model_adopt,
    good_model_propose,
    good_model_resubmit,
    good_model_review,
)
from thidua.participation.services.registrations import (
    REGISTRATION_RELATED,
    STALE_REGISTRATION,
    pledge_sign,
    registration_approve,
    registration_remind_missing,
    registration_return,
    registration_save,
    registration_send_for_approval,
    registration_version,
)

__all__ = [
    "ACTIVITY_COLUMNS",
    "ACTIVITY_FIELDS",
    "EVIDENCE_KINDS",
    "EXPORT_COLUMNS",
    "MAX_EVIDENCE_FILES",
    "REGISTRATION_RELATED",
    "REVIEW_DECISIONS",
    "STALE_REGISTRATION",
    "UNIT_ROLES",
    "activities_export",
    "activities_import",
    "activities_import_file",
    "activity_columns",
    "activity_delete",
    "activity_export_rows",
    "activity_record",
    "activity_stats_rebuild",
    "activity_update",
    "commitments_recount",
    "difficulty_answer",
    "difficulty_close",
    "difficulty_forward",
    "difficulty_raise",
    "evidence_delete",
    "good_model_adopt",
    "good_model_propose",
    "good_model_resubmit",
    "good_model_review",
    "pledge_sign",
    "registration_approve",
    "registration_remind_missing",
    "registration_return",
    "registration_save",
    "registration_send_for_approval",
    "registration_version",
]
