from django.db.models import Prefetch, QuerySet

from thidua.accounts.models import User
from thidua.api import rules
from thidua.api.models import ApiToken
from thidua.organizations.models import Unit


def token_list_for(*, actor: User) -> QuerySet[ApiToken]:
    """Every integration token, newest first, for those who manage them; nothing for others."""
    if not rules.can_manage_tokens(actor):
        return ApiToken.objects.none()
    return (
        ApiToken.objects.select_related("created_by")
        .prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("name_sort")))
        .order_by("-created_at", "-pk")
    )
