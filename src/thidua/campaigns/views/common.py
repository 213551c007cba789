"""What every campaign view needs: the user and a campaign they may see."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from thidua.accounts.models import User
from thidua.accounts.requests import request_user
from thidua.campaigns import selectors
from thidua.campaigns.models import Campaign


def visible_campaign_for(request: HttpRequest, pk: int) -> tuple[User, Campaign]:
    user = request_user(request)
    return user, get_object_or_404(selectors.campaign_detail_for(actor=user), pk=pk)


def issued_campaign_for(request: HttpRequest, pk: int) -> tuple[User, Campaign]:
    """The signed-in user and an issued campaign they may see (404 otherwise); for the
    campaign's sections in higher apps (participation, reporting)."""
    user = request_user(request)
    return user, get_object_or_404(
        selectors.campaign_list_for(actor=user).exclude(status="draft"), pk=pk
    )
