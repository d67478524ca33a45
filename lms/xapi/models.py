"""The statement store. The full statement is kept as JSON (JSONB on PostgreSQL); what queries filter
on is copied into indexed columns when the statement is stored, and never changes afterwards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Statement(models.Model):
    id = models.UUIDField(primary_key=True, editable=False)
    actor_ifi = models.CharField(max_length=512, help_text="Canonical inverse functional identifier of the actor.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    verb = models.CharField(max_length=512)
    activity_id = models.CharField(max_length=2048, blank=True, help_text="Object id when it is an Activity.")
    registration = models.UUIDField(null=True, blank=True)
    timestamp = models.DateTimeField()
    stored = models.DateTimeField()
    voided = models.BooleanField(default=False)
    data = models.JSONField()
    projected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("statement xAPI")
        verbose_name_plural = _("statement xAPI")
        indexes = [
            models.Index(fields=["actor_ifi", "stored"], name="stmt_actor_stored"),
            models.Index(fields=["verb", "stored"], name="stmt_verb_stored"),
            models.Index(fields=["activity_id", "stored"], name="stmt_activity_stored"),
            models.Index(fields=["registration"], name="stmt_registration"),
            models.Index(fields=["stored"], name="stmt_stored"),
            models.Index(fields=["user", "verb"], name="stmt_user_verb"),
            models.Index(fields=["stored"], name="stmt_unprojected", condition=models.Q(projected_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.verb.rsplit('/', 1)[-1]} {self.activity_id}"
