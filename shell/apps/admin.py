"""The registry in the Django admin: administrators add, change and switch off the city's apps, no code
and no deploy. The OpenID Connect client is made with the app (its secret shown once)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shell.people.models import User

from . import services
from .models import ExternalApp, InboundCall, SigningKey


def _scope_choices():
    return [(name, f"{name}: {label}") for name, label in settings.OAUTH2_PROVIDER["SCOPES"].items()]


class ExternalAppForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("cakupan"), choices=_scope_choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    employment_types = forms.MultipleChoiceField(
        label=_("status kepegawaian"),
        choices=User.EmploymentType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Kosongkan untuk semua."),
    )
    redirect_uris = forms.CharField(
        label=_("alamat pengalihan (redirect URI)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Satu per baris."),
    )
    post_logout_redirect_uris = forms.CharField(
        label=_("alamat setelah keluar"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    launch_url = forms.URLField(label=_("alamat pembuka"), assume_scheme="https")
    public_client = forms.BooleanField(
        label=_("klien publik (aplikasi seluler/peramban, tanpa rahasia)"), required=False
    )

    class Meta:
        model = ExternalApp
        fields = [
            "name", "slug", "icon", "description", "launch_url", "owner_unit", "roles", "units",
            "employment_types", "scopes", "first_party", "enabled", "api_rate", "order",
        ]  # fmt: skip

    def clean_redirect_uris(self):
        try:
            uris = services.redirect_uris_check(self.cleaned_data["redirect_uris"].split())
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        if not uris:
            raise forms.ValidationError(_("Minimal satu alamat pengalihan."))
        return uris

    def clean_post_logout_redirect_uris(self):
        try:
            return services.redirect_uris_check(self.cleaned_data["post_logout_redirect_uris"].split())
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            client = self.instance.client
            self.fields["redirect_uris"].initial = "\n".join(client.redirect_uris.split())
            self.fields["post_logout_redirect_uris"].initial = "\n".join(client.post_logout_redirect_uris.split())
            self.fields["public_client"].initial = client.client_type == client.CLIENT_PUBLIC
            self.fields["public_client"].disabled = True


@admin.register(ExternalApp)
class ExternalAppAdmin(admin.ModelAdmin):
    form = ExternalAppForm
    list_display = ["name", "slug", "owner_unit", "first_party", "enabled", "client_id"]
    list_filter = ["enabled", "first_party"]
    search_fields = ["name", "slug", "client__client_id"]
    filter_horizontal = ["roles", "units"]
    autocomplete_fields = ["owner_unit"]
    readonly_fields = ["client_id"]
    actions = ["switch_off", "switch_on"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        uris = data["redirect_uris"].split()
        logout_uris = data["post_logout_redirect_uris"].split()
        if not change:
            registered = services.app_register(
                name=obj.name,
                slug=obj.slug,
                redirect_uris=uris,
                post_logout_redirect_uris=logout_uris,
                launch_url=obj.launch_url,
                scopes=data["scopes"],
                first_party=obj.first_party,
                public=data["public_client"],
                description=obj.description,
                icon=obj.icon,
                owner_unit=obj.owner_unit,
            )
            obj.pk, obj.client = registered.app.pk, registered.app.client
            ExternalApp.objects.filter(pk=obj.pk).update(
                employment_types=data["employment_types"], enabled=obj.enabled, order=obj.order
            )
            messages.warning(
                request,
                _("Simpan sekarang, ditampilkan sekali saja: client_id=%(id)s client_secret=%(secret)s")
                % {"id": registered.client_id, "secret": registered.client_secret or "-"},
            )
            return
        was_enabled = ExternalApp.objects.values_list("enabled", flat=True).get(pk=obj.pk)
        super().save_model(request, obj, form, change)
        services.app_client_uris(app=obj, redirect_uris=uris, post_logout_redirect_uris=logout_uris)
        services.app_saved(app=obj, was_enabled=was_enabled)

    @admin.action(description=_("Nonaktifkan (token dicabut seketika)"))
    def switch_off(self, request, queryset):
        for app in queryset:
            services.app_set_enabled(app=app, enabled=False)

    @admin.action(description=_("Aktifkan"))
    def switch_on(self, request, queryset):
        for app in queryset:
            services.app_set_enabled(app=app, enabled=True)


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = ["kid", "current", "created_at", "retired_at"]
    fields = ["kid", "current", "created_at", "retired_at"]
    readonly_fields = fields

    def has_add_permission(self, request):  # manage.py oidc_rotate_key
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(InboundCall)
class InboundCallAdmin(admin.ModelAdmin):
    """Every call of the inbound API, whatever its outcome: read only."""

    list_display = ["created_at", "app", "endpoint", "key", "nip", "status_code", "outcome", "detail"]
    list_filter = ["outcome", "endpoint", "app"]
    search_fields = ["key", "nip", "app__name", "app__slug"]
    date_hierarchy = "created_at"
    list_select_related = ["app"]
    readonly_fields = [f.name for f in InboundCall._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
