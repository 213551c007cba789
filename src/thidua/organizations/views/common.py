"""What several organization views need: the signed-in user who may see units, the list
templates (a whole page, or its rows for htmx)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from thidua.accounts.models import User
from thidua.organizations import rules

TEMPLATES = {
    "unit_list": "organizations/unit_list.html",
    "unit_rows": "organizations/_partials/unit_rows.html",
    "person_list": "organizations/person_list.html",
    "person_rows": "organizations/_partials/person_rows.html",
}


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not rules.can_view_units(user):
        raise PermissionDenied
    return user
