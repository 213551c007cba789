from django.contrib import admin

from thidua.core.action_labels import action_label
from thidua.core.models import ActionLog, CalendarDay, IssuedDocument


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin[CalendarDay]):
    list_display = ["day", "kind", "note"]
    list_filter = ["kind"]


@admin.register(ActionLog)
class ActionLogAdmin(admin.ModelAdmin[ActionLog]):
    """Read-only: the log is append-only (a PostgreSQL trigger refuses UPDATE and DELETE);
    the admin offers no Add form, no Save and no Delete."""

    list_display = ["at", "actor", "label", "action", "target_type", "target_id"]
    list_filter = ["action"]

    @admin.display(description="thao tác")
    def label(self, obj: ActionLog) -> str:
        return action_label(obj.action)

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin[IssuedDocument]):
    list_display = ["reference", "issued_on", "summary"]
