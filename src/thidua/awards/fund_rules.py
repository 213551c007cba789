"""Who may keep and read a reward fund: Nội vụ officers of its issuer write, they and the
issuer's leaders (signers) read (docs/domain.md §8.8)."""

from django.db.models import QuerySet

from thidua.accounts.models import Role
from thidua.organizations.models import Unit
from thidua.organizations.rules import AnyUser, issuers_acted_for, roles_of


def can_see_funds(actor: AnyUser) -> bool:
    return roles_of(actor).has(Role.EMULATION_OFFICE, Role.SIGNER)


def can_see_fund(actor: AnyUser, issuer_id: int) -> bool:
    """Nội vụ and the leaders (signers) of the issuer read its fund."""
    return issuer_id in issuers_acted_for(actor, Role.EMULATION_OFFICE, Role.SIGNER)


def can_keep_fund(actor: AnyUser, issuer_id: int) -> bool:
    """Nội vụ of the issuer records income, expenses and payments."""
    return issuer_id in issuers_acted_for(actor, Role.EMULATION_OFFICE)


def fund_issuers_for(*, actor: AnyUser) -> QuerySet[Unit]:
    ids = issuers_acted_for(actor, Role.EMULATION_OFFICE, Role.SIGNER)
    return Unit.objects.filter(pk__in=ids).order_by("depth", "name_sort", "pk")
