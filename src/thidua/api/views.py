"""Staff pages for integration tokens: list, issue (the secret shown once), revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from thidua.accounts.models import Role
from thidua.accounts.requests import request_user
from thidua.api import rules, selectors, services
from thidua.api.forms import TokenIssueForm
from thidua.api.models import TokenAccess
from thidua.core.http import require
from thidua.core.pagination import paginate


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(rules.can_manage_tokens(user))
    page = paginate(request, selectors.token_list_for(actor=user))
    return render(
        request,
        "api/token_list.html",
        {"page": page, "tokens": page.object_list, "qs": "", "title": "Khóa API"},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_issue(request: HttpRequest) -> HttpResponse:
    """On success the page shows the secret once; it is neither stored nor put in a message."""
    user = request_user(request)
    require(rules.can_manage_tokens(user))
    form = TokenIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, secret = services.token_issue(
                actor=user,
                name=data["name"],
                units=data["units"],
                role=data.get("role") or Role.UNIT_OFFICER,
                access=data.get("access") or TokenAccess.READ,
                rate_per_minute=data.get("rate_per_minute") or 120,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(
                request,
                "api/token_issued.html",
                {"token": token, "secret": secret, "title": "Đã cấp khóa API"},
            )
    return render(request, "api/token_issue.html", {"form": form, "title": "Cấp khóa API"})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    require(rules.can_manage_tokens(user))
    token = get_object_or_404(selectors.token_list_for(actor=user), pk=pk)
    was_live = token.revoked_at is None
    services.token_revoke(actor=user, token=token)
    if was_live:
        messages.success(request, f"Đã thu hồi khóa “{token.name}”. Khóa không dùng được nữa.")
    return redirect("integrations:token-list")
