from django.db.models import QuerySet

from thidua.accounts.models import User
from thidua.notifications.models import Notice


def notice_list_for(*, actor: User) -> QuerySet[Notice]:
    return Notice.objects.filter(user=actor).order_by("-created_at", "-pk")


def unread_count(*, actor: User) -> int:
    return Notice.objects.filter(user=actor, read_at__isnull=True).count()
