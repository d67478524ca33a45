from django.contrib import admin

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["pk", "owner", "report", "format", "status", "progress", "created_at", "expires_at"]
    list_filter = ["status", "report", "format"]
    search_fields = ["owner__username", "owner__full_name"]
    readonly_fields = [f.name for f in ExportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
