"""Webhooks in the admin: subscriptions of the registered apps, and every delivery with its attempts;
an administrator replays a delivery from the list."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shell.apps.inbound import app_origins, app_url_allowed

from . import services
from .models import Attempt, Delivery, Subscription


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("alamat penerima"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("peristiwa"),
        choices=[(name, name) for name in services.WEBHOOK_EVENTS],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Subscription
        fields = ["app", "url", "events", "enabled", "secret"]

    def clean(self):
        data = super().clean()
        app, url = data.get("app"), data.get("url")
        if app and url and not app_url_allowed(app=app, url=url):
            origins = ", ".join(sorted(app_origins(app=app))) or "-"
            self.add_error("url", _("Alamat harus pada asal yang terdaftar untuk aplikasi ini: %(o)s") % {"o": origins})
        return data


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["app", "url", "enabled", "created_at"]
    list_filter = ["enabled", "app"]
    autocomplete_fields = ["app"]


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    fields = readonly_fields = ["attempted_at", "status_code", "error", "duration_ms", "replay"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "subscription", "status", "attempts", "last_status_code", "next_attempt_at"]
    list_filter = ["status", "event", "subscription__app"]
    search_fields = ["uuid", "event_id"]
    list_select_related = ["subscription__app"]
    date_hierarchy = "created_at"
    inlines = [AttemptInline]
    actions = ["replay"]
    fields = readonly_fields = [
        "uuid", "subscription", "event", "event_id", "status", "attempts", "next_attempt_at", "last_status_code",
        "last_error", "created_at", "delivered_at", "body",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_replay_permission(self, request) -> bool:
        return request.user.has_perm("webhooks.change_delivery")

    @admin.action(description=_("Kirim ulang sekarang"), permissions=["replay"])
    def replay(self, request, queryset):
        for delivery in queryset:
            services.delivery_replay(delivery=delivery)
        count = len(queryset)
        messages.success(
            request, ngettext("%(n)d kiriman dikirim ulang.", "%(n)d kiriman dikirim ulang.", count) % {"n": count}
        )
