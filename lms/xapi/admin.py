from django.contrib import admin, messages
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import LrsClient, Statement, TrustedActivity


class ProjectionFailedFilter(admin.SimpleListFilter):
    title = _("proyeksi")
    parameter_name = "projection"

    def lookups(self, request, model_admin):
        return [("failed", _("Gagal diproyeksikan (disisihkan)")), ("pending", _("Menunggu proyeksi"))]

    def queryset(self, request, queryset):
        if self.value() == "failed":
            return queryset.exclude(projection_error="")
        if self.value() == "pending":
            return queryset.filter(projected_at__isnull=True, voided=False)
        return queryset


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ("id", "verb", "activity_id", "user", "source", "timestamp", "stored", "voided", "projected_at")
    list_filter = (ProjectionFailedFilter, "source", "voided")
    search_fields = ("id", "activity_id")
    date_hierarchy = "stored"
    readonly_fields = ("projection_error",)
    actions = ["retry_projection"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Proyeksikan ulang pernyataan yang gagal"), permissions=["view"])
    def retry_projection(self, request, queryset):
        from .services import statements_retry_projection

        count = statements_retry_projection(statement_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(n)d pernyataan diproyeksikan ulang.", "%(n)d pernyataan diproyeksikan ulang.", count)
            % {"n": count},
            messages.SUCCESS,
        )


class TrustedActivityInline(admin.TabularInline):
    model = TrustedActivity
    extra = 0
    fields = ("activity_id", "course", "note")


@admin.register(LrsClient)
class LrsClientAdmin(admin.ModelAdmin):
    """Clients are created with `manage.py create_lrs_client` (the secret is shown once); here an admin
    switches them off, sets scopes, and names the activities a client is a trusted source for."""

    list_display = ("name", "key", "scopes", "is_active", "created_at")
    readonly_fields = ("key", "created_at")
    fields = ("name", "key", "scopes", "is_active", "created_at")
    inlines = [TrustedActivityInline]

    def has_add_permission(self, request):
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        from .auth import forget_client

        forget_client(form.instance)
        cache.delete(f"xapi-trusted:{form.instance.pk}")
