"""Units and people in spreadsheets by concern: columns, imports (all rows or none), exports
(and logged reads)."""

from thidua.organizations.services.sheets.columns import (
    CATEGORY_BY_LABEL,
    GENDER_BY_LABEL,
    KIND_BY_LABEL,
    PERSON_COLUMNS,
    PERSON_IMPORT_COLUMNS,
    UNIT_COLUMNS,
    YES_NO,
)
from thidua.organizations.services.sheets.exports import (
    PARTY_PARAM,
    people_export,
    person_export_rows,
    person_record_viewed,
    unit_export_rows,
    units_export,
)
from thidua.organizations.services.sheets.imports import (
    people_import,
    people_import_file,
    units_import,
    units_import_file,
)

__all__ = [
    "CATEGORY_BY_LABEL",
    "GENDER_BY_LABEL",
    "KIND_BY_LABEL",
    "PARTY_PARAM",
    "PERSON_COLUMNS",
    "PERSON_IMPORT_COLUMNS",
    "UNIT_COLUMNS",
    "YES_NO",
    "people_export",
    "people_import",
    "people_import_file",
    "person_export_rows",
    "person_record_viewed",
    "unit_export_rows",
    "units_export",
    "units_import",
    "units_import_file",
]
