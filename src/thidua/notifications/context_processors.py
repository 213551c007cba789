from django.http import HttpRequest

from thidua.accounts.models import User
from thidua.notifications.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if isinstance(user, User):
        return {"unread_notices": unread_count(actor=user)}
    return {}
