"""Organization views by concern; urls.py imports them from here."""

from thidua.organizations.views.access import (
    user_create,
    user_detail,
    user_list,
    user_login_unlock,
    user_role_revoke,
    user_toggle_active,
    user_totp_enrolment,
)
from thidua.organizations.views.common import (
    TEMPLATES,
)
from thidua.organizations.views.people import (
    block_edit,
    block_list,
    person_create,
    person_edit,
    person_list,
)
from thidua.organizations.views.sheets import (
    import_errors,
    person_export,
    person_import,
    person_template,
    unit_export,
    unit_import,
    unit_template,
)
from thidua.organizations.views.units import (
    unit_create,
    unit_detail,
    unit_edit,
    unit_list,
    unit_merge,
    unit_tree,
)

__all__ = [
    "TEMPLATES",
    "block_edit",
    "block_list",
    "import_errors",
    "person_create",
    "person_edit",
    "person_export",
    "person_import",
    "person_list",
    "person_template",
    "unit_create",
    "unit_detail",
    "unit_edit",
    "unit_export",
    "unit_import",
    "unit_list",
    "unit_merge",
    "unit_template",
    "unit_tree",
    "user_create",
    "user_detail",
    "user_list",
    "user_login_unlock",
    "user_role_revoke",
    "user_toggle_active",
    "user_totp_enrolment",
]
