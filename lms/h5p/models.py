"""Learners' H5P attempts and the results the platform accepted from the player (docs/trust.md)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class H5PAttempt(models.Model):
    """Opened by the server when it serves a tracked player to an enrolled learner: results are accepted only
    within an attempt the server opened, and not sooner after its opening than a person could answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enrollment = models.ForeignKey("lms.Enrollment", on_delete=models.CASCADE, related_name="h5p_attempts")
    lesson = models.ForeignKey("content.LessonPage", on_delete=models.CASCADE, related_name="+")
    content = models.ForeignKey("h5p.H5PContent", on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField()

    class Meta:
        verbose_name = _("percobaan H5P")
        verbose_name_plural = _("percobaan H5P")
        indexes = [models.Index(fields=["user", "lesson", "content", "opened_at"], name="h5pattempt_open")]

    def __str__(self) -> str:
        return f"{self.user} {self.lesson_id}/{self.content_id} {self.opened_at:%Y-%m-%d %H:%M}"


class H5PResult(models.Model):
    """One scored result the player's endpoint accepted: the evidence lesson completion is decided from.
    ``scored_by`` says whose score counts: the server's own (it scored ``result.response`` against the item's
    answers) or the browser's (self-reported, for types the server cannot score)."""

    class ScoredBy(models.TextChoices):
        SERVER = "server", _("Dinilai server")
        SELF_REPORTED = "self", _("Dilaporkan peramban")

    statement = models.OneToOneField("xapi.Statement", on_delete=models.CASCADE, related_name="h5p_result")
    attempt = models.ForeignKey(H5PAttempt, on_delete=models.CASCADE, related_name="results")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enrollment = models.ForeignKey("lms.Enrollment", on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey("content.LessonPage", on_delete=models.CASCADE, related_name="+")
    content = models.ForeignKey("h5p.H5PContent", on_delete=models.CASCADE, related_name="+")
    sub_content_id = models.CharField(max_length=64, blank=True, default="")
    raw = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    scaled = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    # The score the browser claimed, kept beside the server's own when they differ.
    claimed_scaled = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    success = models.BooleanField(null=True)
    scored_by = models.CharField(max_length=8, choices=ScoredBy.choices)
    # Sent sooner after the attempt opened than settings.H5P_MIN_SECONDS_PER_ITEM allows: kept, not counted.
    too_fast = models.BooleanField(default=False)
    seconds = models.PositiveIntegerField(help_text=_("Detik sejak percobaan dibuka."))
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("hasil H5P")
        verbose_name_plural = _("hasil H5P")
        indexes = [
            models.Index(fields=["enrollment", "lesson", "content"], name="h5presult_item"),
            models.Index(fields=["recorded_at"], name="h5presult_too_fast", condition=models.Q(too_fast=True)),
        ]

    def __str__(self) -> str:
        return (
            f"{self.user} {self.lesson_id}/{self.content_id}{'?' + self.sub_content_id if self.sub_content_id else ''}"
        )

    @property
    def counts(self) -> bool:
        return not self.too_fast
