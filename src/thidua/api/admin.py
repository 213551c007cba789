from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from thidua.api import services
from thidua.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """See last use, revoke. Issuing happens on the staff page, which shows the secret once on
    a page that is never cached; an admin message would carry it in the session or a cookie."""

    list_display = ["name", "prefix", "access", "role", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["access", "role"]
    search_fields = ["name", "prefix"]
    actions = ["revoke"]
    readonly_fields = [
        "name", "units", "role", "access", "rate_per_minute", "prefix", "created_by",
        "created_at", "last_used_at", "revoked_at",
    ]  # fmt: skip
    exclude = ["user", "key_hash"]

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return HttpResponseRedirect(reverse("integrations:token-issue"))

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description="Thu hồi các khóa đã chọn")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            services.token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
        messages.success(request, f"Đã thu hồi {queryset.count()} khóa.")
