from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from thidua.accounts.models import Role
from thidua.api import services
from thidua.api.forms import TokenIssueForm
from thidua.api.models import ApiToken, TokenAccess


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Issue (the secret is shown once), see last use, revoke. Tokens are never edited."""

    list_display = ["name", "prefix", "access", "role", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["access", "role"]
    search_fields = ["name", "prefix"]
    actions = ["revoke"]
    form = TokenIssueForm
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        token, secret = services.token_issue(
            actor=request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
            units=form.cleaned_data["units"],
            role=form.cleaned_data.get("role") or Role.UNIT_OFFICER,
            access=form.cleaned_data.get("access") or TokenAccess.READ,
            rate_per_minute=form.cleaned_data.get("rate_per_minute") or 120,
        )
        obj.pk, obj.prefix = token.pk, token.prefix
        messages.warning(
            request,
            f"Khóa API “{token.name}”: {secret} — hãy sao chép ngay, khóa chỉ hiển thị một lần.",
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The service already set the units and roles."""

    @admin.action(description="Thu hồi các khóa đã chọn")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            services.token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
        messages.success(request, f"Đã thu hồi {queryset.count()} khóa.")
