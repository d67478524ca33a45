"""Learners' watch sessions of lesson videos: what the platform decides a video was watched from (docs/trust.md)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VideoWatch(models.Model):
    """Opened by the server when it serves a tracked video to an enrolled learner. The player's reports count
    only within it: their played segments are merged here (the union, clamped to the video's duration as the
    platform knows it), and never faster than the session's server time allows."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enrollment = models.ForeignKey("lms.Enrollment", on_delete=models.CASCADE, related_name="video_watches")
    lesson = models.ForeignKey("content.LessonPage", on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    duration = models.FloatField(help_text=_("Durasi video (detik) yang diketahui platform saat sesi dibuka."))
    opened_at = models.DateTimeField()
    # [[start, end], ...] in seconds, sorted and disjoint.
    segments = models.JSONField(default=list, blank=True)
    watched = models.FloatField(default=0, help_text=_("Detik video yang sudah ditonton (gabungan segmen)."))
    last_report_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sesi tontonan video")
        verbose_name_plural = _("sesi tontonan video")
        indexes = [models.Index(fields=["user", "lesson", "block_id", "opened_at"], name="videowatch_open")]

    def __str__(self) -> str:
        return f"{self.user} {self.lesson_id}/{self.block_id} {self.opened_at:%Y-%m-%d %H:%M}"

    @property
    def progress(self) -> float:
        return min(1.0, self.watched / self.duration) if self.duration else 0.0
