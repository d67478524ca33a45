"""Webhooks: a registered app subscribes to some of the shell's events; each event becomes one delivery
per subscription, POSTed signed to the app, retried with backoff, every attempt logged."""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shell.apps.models import ExternalApp


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Subscription(models.Model):
    app = models.ForeignKey(
        ExternalApp, verbose_name=_("aplikasi"), on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.URLField(
        _("alamat penerima"), max_length=500, help_text=_("Harus pada asal yang terdaftar untuk aplikasi ini.")
    )
    events = models.JSONField(_("peristiwa"), default=list)
    secret = models.CharField(
        _("rahasia webhook"),
        max_length=100,
        default=new_secret,
        help_text=_("Kunci HMAC-SHA256 tanda tangan kiriman; berikan kepada tim aplikasi."),
    )
    enabled = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("langganan webhook")
        verbose_name_plural = _("langganan webhook")

    def __str__(self) -> str:
        return f"{self.app} -> {self.url}"


class Delivery(models.Model):
    """One event for one subscription: the body is fixed when it is made, so every attempt (and an
    administrator's replay) sends the same bytes under the same id."""

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu")
        DELIVERED = "delivered", _("terkirim")
        FAILED = "failed", _("gagal (berhenti mencoba)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(
        Subscription, verbose_name=_("langganan"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.CharField(max_length=200)
    event = models.CharField(_("peristiwa"), max_length=100)
    body = models.TextField()
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikut"), default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(_("kode status terakhir"), null=True, blank=True)
    last_error = models.CharField(_("galat terakhir"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("kiriman webhook")
        verbose_name_plural = _("kiriman webhook")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event_id"], name="webhooks_one_delivery_per_event")
        ]
        indexes = [models.Index(fields=["next_attempt_at"], name="webhooks_due", condition=models.Q(status="pending"))]

    def __str__(self) -> str:
        return f"{self.event} -> {self.subscription_id} ({self.status})"


class Attempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField(_("waktu"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("kode status"), null=True, blank=True)
    error = models.CharField(_("galat"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("durasi (ms)"), default=0)
    replay = models.BooleanField(_("kirim ulang admin"), default=False)

    class Meta:
        verbose_name = _("percobaan kirim")
        verbose_name_plural = _("percobaan kirim")
        ordering = ["attempted_at"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"
