from django.contrib import admin

from thidua.awards.models import AwardRule, AwardType, Council, CouncilMember, Hold


class AwardRuleInline(admin.StackedInline[AwardRule, AwardType]):
    model = AwardRule
    extra = 0


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
    list_display = ["reason", "person", "unit", "active_from", "active_to"]
