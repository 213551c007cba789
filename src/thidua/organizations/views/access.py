"""User accounts and their roles: list, create, a user's page, revoking a role, locking,
sign-in codes (TOTP enrolment), unlocking after failed sign-ins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from thidua.accounts.lockout import login_lock_status
from thidua.accounts.selectors import totp_status_for
from thidua.core.http import require
from thidua.core.pagination import paginate, querystring_without_page
from thidua.core.selectors import action_log_for
from thidua.organizations import rules, selectors, services
from thidua.organizations.forms import RoleGrantForm, UserCreateForm
from thidua.organizations.models import UnitRole
from thidua.organizations.views.common import _user


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(rules.can_manage_users(user))
    query = request.GET.get("q", "").strip()
    page = paginate(request, selectors.user_list_for(actor=user, query=query))
    return render(
        request,
        "organizations/user_list.html",
        {
            "page": page,
            "users": page.object_list,
            "q": query,
            "qs": querystring_without_page(request),
            "title": "Người dùng và phân quyền",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(rules.can_manage_users(user))
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.user_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"Đã tạo tài khoản “{created.username}”. Người dùng đặt mật khẩu qua chức năng Quên mật khẩu.",
            )
            return redirect("organizations:user-detail", pk=created.pk)
    return render(request, "organizations/form.html", {"form": form, "title": "Thêm người dùng"})


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    require(rules.can_manage_users(user))
    account = get_object_or_404(selectors.user_list_for(actor=user), pk=pk)
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.unit_role_grant(actor=user, user=account, **form.cleaned_data)
        messages.success(request, "Đã cấp quyền.")
        return redirect("organizations:user-detail", pk=pk)
    history = action_log_for(account, limit=30)
    return render(
        request,
        "organizations/user_detail.html",
        {
            "account": account,
            "totp": totp_status_for(account),
            "login_lock": login_lock_status(account),
            "form": form,
            "grants": account.unit_roles.select_related("unit"),
            "history": history,
            "title": account.get_full_name(),
        },
    )


@login_required
@require_POST
def user_role_revoke(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    user = _user(request)
    account = get_object_or_404(selectors.user_list_for(actor=user), pk=pk)
    services.unit_role_revoke(
        actor=user, grant=get_object_or_404(UnitRole, pk=grant_pk, user=account)
    )
    messages.success(request, "Đã thu hồi quyền.")
    return redirect("organizations:user-detail", pk=pk)


@login_required
@require_POST
def user_toggle_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    account = get_object_or_404(selectors.user_list_for(actor=user), pk=pk)
    services.user_set_active(actor=user, user=account, active=not account.is_active)
    messages.success(
        request, "Đã mở khóa tài khoản." if account.is_active else "Đã khóa tài khoản."
    )
    return redirect("organizations:user-detail", pk=pk)


@never_cache
@login_required
@require_POST
def user_totp_enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a one-time enrolment code: this never-cached page shows it once (it is neither
    stored nor put in a message), or it goes to the account's mailbox."""
    user = _user(request)
    require(rules.can_manage_users(user))
    account = get_object_or_404(selectors.user_list_for(actor=user), pk=pk)
    by_mail = request.POST.get("by_mail") == "1"
    try:
        enrolment, code = services.user_totp_enrolment_issue(
            actor=user, user=account, by_mail=by_mail
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("organizations:user-detail", pk=pk)
    if by_mail:
        messages.success(
            request,
            f"Đã gửi mã kích hoạt tới {enrolment.sent_to}; "
            f"mã hết hạn lúc {timezone.localtime(enrolment.expires_at):%H:%M ngày %d/%m/%Y}.",
        )
        return redirect("organizations:user-detail", pk=pk)
    return render(
        request,
        "organizations/user_totp_code.html",
        {"account": account, "enrolment": enrolment, "code": code, "title": "Mã kích hoạt"},
    )


@login_required
@require_POST
def user_login_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    account = get_object_or_404(selectors.user_list_for(actor=user), pk=pk)
    services.user_login_unlock(actor=user, user=account)
    messages.success(request, "Đã mở khóa đăng nhập cho tài khoản này.")
    return redirect("organizations:user-detail", pk=pk)
