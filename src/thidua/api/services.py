"""Integration tokens: issue (the secret is returned once), authenticate, revoke."""

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thidua.accounts.models import Role, User
from thidua.api import rules
from thidua.api.models import TOKEN_ROLES, ApiToken, TokenAccess
from thidua.core.clock import now
from thidua.core.services import action_log_record
from thidua.organizations.models import Unit
from thidua.organizations.services import unit_role_grant

TOKEN_PREFIX = "td"  # noqa: S105 - the public start of every token, not a secret
TOUCH_EVERY = timedelta(minutes=1)  # last-used time is written at most once a minute


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_issue(
    *,
    actor: User | None,
    name: str,
    units: Iterable[Unit],
    access: str = TokenAccess.READ,
    role: str = Role.UNIT_OFFICER,
    rate_per_minute: int = 120,
) -> tuple[ApiToken, str]:
    """Create the token and its service user (roles = the token's units). Returns the token and
    the secret, which is never stored and cannot be shown again. actor None: the installer."""
    if actor is not None and not rules.can_manage_tokens(actor):
        raise PermissionDenied
    unit_list = list(units)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Hãy nhập tên tích hợp."})
    if not unit_list:
        raise ValidationError({"units": "Hãy chọn ít nhất một đơn vị trong phạm vi của khóa."})
    if role not in dict(TOKEN_ROLES):
        raise ValidationError({"role": "Vai trò không hợp lệ cho khóa API."})
    if access not in TokenAccess.values:
        raise ValidationError({"access": "Quyền không hợp lệ."})
    if rate_per_minute < 1:
        raise ValidationError({"rate_per_minute": "Giới hạn phải từ 1 yêu cầu mỗi phút."})
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        user = User(username=f"api-{prefix}", full_name=f"API: {name}"[:150])
        user.set_unusable_password()
        user.save()
        token = ApiToken.objects.create(
            name=name[:120],
            user=user,
            role=role,
            access=access,
            prefix=prefix,
            key_hash=_hash(secret),
            rate_per_minute=rate_per_minute,
            created_by=actor,
        )
        token.units.set(unit_list)
        for unit in unit_list:
            unit_role_grant(actor=actor, user=user, unit=unit, role=role)
        action_log_record(
            actor=actor,
            action="api.token.issued",
            target=token,
            data={
                "name": token.name,
                "prefix": prefix,
                "access": access,
                "role": role,
                "units": [u.code for u in unit_list],
            },
        )
    return token, secret


def token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke at once; the service user is deactivated too. Repeating it changes nothing."""
    if actor is not None and not rules.can_manage_tokens(actor):
        raise PermissionDenied
    with transaction.atomic():
        t = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if t.revoked_at is not None:
            return t
        t.revoked_at = now()
        t.save(update_fields=["revoked_at"])
        t.user.is_active = False
        t.user.save(update_fields=["is_active"])
        action_log_record(
            actor=actor, action="api.token.revoked", target=t, data={"prefix": t.prefix}
        )
    return t


def token_authenticate(secret: str) -> ApiToken | None:
    """The live token for a presented secret, or None. Stamps the last-used time."""
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:  # noqa: PLR2004 - td_<prefix>_<secret>
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=parts[1], revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, _hash(secret)):
        return None
    moment = now()
    if token.last_used_at is None or moment - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
        token.last_used_at = moment
    return token


def rate_limit_take(token: ApiToken) -> int | None:
    """Count one request in the token's current minute on the shared cache.

    None when allowed, else the seconds until the window ends (for Retry-After)."""
    moment = now()
    window = int(moment.timestamp() // 60)
    key = f"api:rate:{token.prefix}:{window}"
    cache.add(key, 0, timeout=70)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=70)
        used = 1
    if used > token.rate_per_minute:
        return 60 - int(moment.timestamp()) % 60
    return None
