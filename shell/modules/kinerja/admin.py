from django.contrib import admin

from .models import Activity, ActivityPush, Evidence, Skp, SkpIndicator, SkpResult


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("date", "user", "title", "kind", "status")
    list_filter = ("kind", "status")
    search_fields = ("title", "user__username", "user__nip")
    raw_id_fields = ("user", "reviewer", "result")
    inlines = [EvidenceInline]


class IndicatorInline(admin.TabularInline):
    model = SkpIndicator
    extra = 0


@admin.register(SkpResult)
class SkpResultAdmin(admin.ModelAdmin):
    list_display = ("text", "skp")
    raw_id_fields = ("skp", "parent")
    inlines = [IndicatorInline]


@admin.register(Skp)
class SkpAdmin(admin.ModelAdmin):
    list_display = ("user", "year", "status")
    list_filter = ("year", "status")
    raw_id_fields = ("user", "approved_by")


@admin.register(ActivityPush)
class ActivityPushAdmin(admin.ModelAdmin):
    list_display = ("activity", "status", "attempts", "sent_at")
    list_filter = ("status",)
    readonly_fields = ("activity", "status", "attempts", "last_error", "external_id", "sent_at")
