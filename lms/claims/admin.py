from django.contrib import admin

from shell.people.selectors import employees_visible_to

from .models import Claim


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Read-only: decisions and reversals go through the pages (statements and ledger entries follow)."""

    list_display = ("user", "title", "form", "end_date", "jp_requested", "jp_credited", "status")
    list_filter = ("status", "form")
    search_fields = ("user__full_name", "user__nip", "title", "certificate_number")
    date_hierarchy = "end_date"

    def get_queryset(self, request):
        # HR read claims here within their scope, as on the pages (a unit's HR never sees another unit's).
        return super().get_queryset(request).filter(user__in=employees_visible_to(user=request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
