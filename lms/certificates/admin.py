from django.contrib import admin

from shell.people.selectors import employees_visible_to

from .models import Certificate, Signatory


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ("year", "name", "position")


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-only: revoke and reissue from the certificate's page (HR in scope)."""

    list_display = ("number", "holder_name", "title", "jp", "end_date", "revoked_at")
    list_filter = ("kind",)
    search_fields = ("number", "code", "holder_name", "holder_nip", "title")

    def get_queryset(self, request):
        # HR read certificates here within their scope, as on the pages.
        return super().get_queryset(request).filter(user__in=employees_visible_to(user=request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
