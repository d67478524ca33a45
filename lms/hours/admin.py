from django.contrib import admin

from .models import CreditRule, Exemption, LedgerEntry, ReminderPoint, TargetRule, YearPolicy


@admin.register(YearPolicy)
class YearPolicyAdmin(admin.ModelAdmin):
    list_display = ("year", "minutes_per_jp", "attendance_threshold_pct", "prorate_mid_year_hires")


@admin.register(TargetRule)
class TargetRuleAdmin(admin.ModelAdmin):
    list_display = ("year", "employment_type", "target_jp", "max_jp")
    list_filter = ("year", "employment_type")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Read-only: the ledger is append-only, corrected by reversal entries."""

    list_display = ("user", "date", "jp", "category", "form", "source_kind", "status", "title")
    list_filter = ("source_kind", "status", "category")
    search_fields = ("user__full_name", "user__nip", "title", "source_key")
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CreditRule)
class CreditRuleAdmin(admin.ModelAdmin):
    list_display = ("year", "form", "unit", "jp_per_unit", "max_jp_per_year", "evidence_required", "approval_required")
    list_filter = ("year", "form")


@admin.register(Exemption)
class ExemptionAdmin(admin.ModelAdmin):
    list_display = ("user", "year", "reason")
    list_filter = ("year", "reason")
    search_fields = ("user__full_name", "user__nip")
    raw_id_fields = ("user",)


@admin.register(ReminderPoint)
class ReminderPointAdmin(admin.ModelAdmin):
    list_display = ("__str__", "year", "month", "day", "audience")
    list_filter = ("audience", "year")
