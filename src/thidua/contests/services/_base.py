"""What every contest service checks first."""

from django.core.exceptions import PermissionDenied

from thidua.accounts.models import User
from thidua.contests import rules
from thidua.contests.models import Contest


def require_manager(actor: User, contest: Contest) -> None:
    if not rules.can_manage_contest(actor, contest):
        raise PermissionDenied
