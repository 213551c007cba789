"""What every participation view needs: the campaign, the unit acted for, visibility."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from thidua.accounts.models import User
from thidua.campaigns.models import Campaign
from thidua.campaigns.views import issued_campaign_for
from thidua.organizations.models import Unit
from thidua.participation import selectors

_campaign = issued_campaign_for


def _acting_unit(request: HttpRequest, user: User, campaign: Campaign) -> Unit:
    units = selectors.acting_units(user, campaign)
    wanted = request.GET.get("don-vi") or request.POST.get("don-vi")
    unit = next((u for u in units if str(u.pk) == wanted), units[0] if units else None)
    if unit is None:
        raise PermissionDenied
    return unit


def _visible(user: User, unit_id: int) -> None:
    ids = selectors.visible_unit_ids(user)
    if ids is not None and unit_id not in ids:
        raise PermissionDenied
