from django.contrib import admin

from .models import Statement


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ("id", "verb", "activity_id", "user", "timestamp", "stored", "voided", "projected_at")
    list_filter = ("verb", "voided")
    search_fields = ("id", "activity_id")
    date_hierarchy = "stored"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
