"""Accounts and roles: grants per unit, users, second-factor enrolment codes, unlocking."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thidua.accounts.lockout import account_unlock
from thidua.accounts.models import TOTPEnrolment, User
from thidua.accounts.services import totp_enrolment_create, totp_enrolment_mail
from thidua.core.services import action_log_record
from thidua.organizations import rules
from thidua.organizations.models import (
    Unit,
    UnitRole,
)


def unit_role_grant(*, actor: User | None, user: User, unit: Unit, role: str) -> UnitRole:
    """Grant a role; actor None is the installer (demo loader, first set-up)."""
    if actor is not None and not rules.can_manage_users(actor):
        raise PermissionDenied
    with transaction.atomic():
        grant, created = UnitRole.objects.get_or_create(user=user, unit=unit, role=role)
        if created:
            action_log_record(
                actor=actor,
                action="organizations.role.granted",
                target=grant,
                data={"user": user.username, "unit": unit.code, "role": role},
            )
    return grant


def unit_role_revoke(*, actor: User, grant: UnitRole) -> None:
    if not rules.can_manage_users(actor):
        raise PermissionDenied
    with transaction.atomic():
        action_log_record(
            actor=actor,
            action="organizations.role.revoked",
            target=grant.user,
            data={"unit": grant.unit.code, "role": grant.role},
        )
        grant.delete()


def user_create(
    *, actor: User, username: str, full_name: str, email: str, position: str, unit: Unit, role: str
) -> User:
    """A new account with its first role; the person sets a password through the reset mail."""
    if not rules.can_manage_users(actor):
        raise PermissionDenied
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": "Tên đăng nhập này đã có."})
        user = User(username=username, full_name=full_name, email=email, position=position)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        action_log_record(
            actor=actor, action="accounts.user.created", target=user, data={"username": username}
        )
        unit_role_grant(actor=actor, user=user, unit=unit, role=role)
    return user


def user_set_active(*, actor: User, user: User, active: bool) -> User:
    if not rules.can_manage_users(actor) or user.pk == actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        if user.is_active != active:
            user.is_active = active
            user.save(update_fields=["is_active"])
            action_log_record(
                actor=actor,
                action="accounts.user." + ("activated" if active else "deactivated"),
                target=user,
            )
    return user


def user_totp_enrolment_issue(
    *, actor: User, user: User, by_mail: bool = False
) -> tuple[TOTPEnrolment, str]:
    """A one-time code with which `user` enrols an authenticator app (first one, or a new phone):
    shown once to the administrator, or sent to the account's mailbox. Never for oneself: a
    session that could do that would replace its own second factor (issue 18, M1)."""
    if not rules.can_manage_users(actor) or user.pk == actor.pk:
        raise PermissionDenied
    if not user.is_active:
        raise ValidationError("Tài khoản đang bị khóa; hãy mở khóa trước khi cấp mã kích hoạt.")
    if by_mail and not user.email:
        raise ValidationError(
            "Tài khoản chưa có địa chỉ thư điện tử; hãy chọn “Cấp mã và hiển thị”."
        )
    enrolment, code = totp_enrolment_create(
        actor=actor, user=user, sent_to=user.email if by_mail else ""
    )
    if by_mail:
        totp_enrolment_mail(enrolment=enrolment, code=code)  # after the commit; revokes on failure
    return enrolment, code


def user_login_unlock(*, actor: User, user: User) -> None:
    """Lift the password lockouts of an account (issue 18, L12): a system administrator's call,
    after checking the failures; never one's own."""
    if not rules.can_manage_users(actor) or user.pk == actor.pk:
        raise PermissionDenied
    account_unlock(actor=actor, user=user)
