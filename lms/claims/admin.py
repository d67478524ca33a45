from django.contrib import admin

from .models import Claim


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Read-only: decisions and reversals go through the pages (statements and ledger entries follow)."""

    list_display = ("user", "title", "form", "end_date", "jp_requested", "jp_credited", "status")
    list_filter = ("status", "form")
    search_fields = ("user__full_name", "user__nip", "title", "certificate_number")
    date_hierarchy = "end_date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
