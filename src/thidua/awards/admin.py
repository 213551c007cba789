from django.contrib import admin
from django.http import HttpRequest

from thidua.awards.fund_models import BaseSalary
from thidua.awards.models import AwardRule, AwardType, Council, CouncilMember, Hold


class AwardRuleInline(admin.TabularInline[AwardRule, AwardType]):
    """Read only: rules are edited with forms on the staff page /quy-dinh-khen-thuong/."""

    model = AwardRule
    extra = 0
    fields = ("rule_set", "effective_from", "effective_to", "threshold_percent", "council_vote")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: AwardType | None = None) -> bool:
        return False


@admin.register(AwardType)
class AwardTypeAdmin(admin.ModelAdmin[AwardType]):
    list_display = ["name", "level", "signer_title", "target"]
    inlines = [AwardRuleInline]


class CouncilMemberInline(admin.TabularInline[CouncilMember, Council]):
    model = CouncilMember
    extra = 0


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin[Council]):
    list_display = ["name", "owner_unit", "term_start", "term_end"]
    inlines = [CouncilMemberInline]


@admin.register(Hold)
class HoldAdmin(admin.ModelAdmin[Hold]):
    list_display = ["reason", "person", "unit", "placed_by", "active_from", "active_to"]


@admin.register(BaseSalary)
class BaseSalaryAdmin(admin.ModelAdmin[BaseSalary]):
    """Mức lương cơ sở: a new decree is a new row from its effective date (awards/fund.py)."""

    list_display = ["effective_from", "amount", "legal_basis"]
