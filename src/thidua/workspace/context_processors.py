from django.http import HttpRequest

from thidua.accounts.models import Role
from thidua.awards.registry import can_search_registry
from thidua.organizations.rules import can_add_people, can_manage_users, roles_of
from thidua.reporting.rules import can_see_reports


def menu(request: HttpRequest) -> dict[str, dict[str, bool]]:
    """Which items of the top navigation the user may use: the rest are not shown (the views
    still check; this only keeps menus free of pages that would answer "no access")."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": {}}
    roles = roles_of(user)  # one query per request, cached on the user
    any_role = bool(roles.grants)
    unit_staff = roles.has(Role.UNIT_OFFICER, Role.UNIT_HEAD)
    return {
        "menu": {
            "campaigns": any_role,
            "tasks": any_role,
            "reports": unit_staff or roles.has(Role.EMULATION_OFFICE, Role.SIGNER),
            "registry": can_search_registry(user),
            "units": any_role,
            "people": can_add_people(user) or roles.has(Role.SIGNER, Role.SYSTEM_ADMIN),
            "blocks": unit_staff or roles.city_wide,
            # Media staff's campaign pages (portal:campaign-pages): portal.rules.can_edit_portal.
            "portal": roles.has(Role.MEDIA_STAFF),
            "users": can_manage_users(user),
            # A campaign's "Theo dõi" tab (reporting:dashboard), in campaign_tabs.html.
            "dashboard": can_see_reports(user),
        }
    }
