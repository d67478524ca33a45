from django.contrib import admin

from .models import Holiday, RequestTransition, ServiceRequest, ServiceType


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name")
    date_hierarchy = "date"


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "category", "sla_days", "fee", "unit", "active")
    list_filter = ("category", "active", "is_complaint")
    search_fields = ("name", "code")
    raw_id_fields = ("unit",)


class TransitionInline(admin.TabularInline):
    model = RequestTransition
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "at", "note")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    # Status changes go through the workflow (the audit trail), never through this form.
    list_display = ("number", "service", "status", "unit", "assignee", "due_date")
    list_filter = ("status", "service__category")
    search_fields = ("number",)
    readonly_fields = [f.name for f in ServiceRequest._meta.fields]
    inlines = [TransitionInline]

    def has_add_permission(self, request):
        return False
