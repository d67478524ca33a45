"""Domain events kept in the database: written in the transaction that made them true, so that a
broker outage or a dead worker delays their handlers but never loses them (a transactional outbox)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    id = models.CharField(
        primary_key=True, max_length=200, help_text=_("Nomor peristiwa (sama bila diterbitkan ulang).")
    )
    name = models.CharField(_("peristiwa"), max_length=100)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(_("diteruskan"), null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("peristiwa")
        verbose_name_plural = _("peristiwa")
        indexes = [
            models.Index(
                fields=["created_at"], name="outbox_undelivered", condition=models.Q(dispatched_at__isnull=True)
            ),
            models.Index(
                fields=["dispatched_at"], name="outbox_delivered", condition=models.Q(dispatched_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.id}"
