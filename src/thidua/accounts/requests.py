from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from thidua.accounts.models import User


def request_user(request: HttpRequest) -> User:
    """The signed-in user of a view behind @login_required."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
