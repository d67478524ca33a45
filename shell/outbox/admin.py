from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "created_at", "dispatched_at", "attempts")
    list_filter = ("name",)
    search_fields = ("id", "name")
    readonly_fields = ("id", "name", "payload", "created_at", "dispatched_at", "attempts", "last_error")
