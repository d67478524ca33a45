"""Announcements to a course's learners, bulk enrolments waiting to run, training coordinators' units,
and learners' calendar feeds."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Announcement(models.Model):
    """A trainer's message to everyone enrolled in their course: shown on the course page and put in each
    learner's inbox (by a task, in bulk). Plain text: it is always shown escaped."""

    course = models.ForeignKey(
        "content.CoursePage", verbose_name=_("kursus"), on_delete=models.CASCADE, related_name="announcements"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penulis"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("judul"), max_length=150)
    body = models.TextField(_("isi"), max_length=4000)
    # The form's one-time key: a form sent twice (a double tap, a retry after a timeout) makes one announcement.
    request_key = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the delivery task; learners enrolled later read it on the course page.
    delivered_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("pengumuman kursus")
        verbose_name_plural = _("pengumuman kursus")
        indexes = [models.Index(fields=["course", "-created_at"], name="announcement_course_recent")]

    def __str__(self) -> str:
        return self.title


class EnrollmentBatch(models.Model):
    """A bulk enrolment confirmed after its preview: the employees to enrol wait here until a task has
    enrolled them all (in chunks; the beat resumes a batch whose task was lost)."""

    course = models.ForeignKey(
        "content.CoursePage", verbose_name=_("kursus"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("sumber daftar"), max_length=255)
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    user_ids = models.JSONField(default=list, help_text="The employees' ids, as previewed.")
    request_key = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a run last enrolled a chunk: a batch that has not moved for minutes lost its task.
    progressed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    enrolled = models.PositiveIntegerField(_("didaftarkan"), default=0)

    class Meta:
        verbose_name = _("pendaftaran massal")
        verbose_name_plural = _("pendaftaran massal")
        indexes = [models.Index(fields=["created_at"], name="batch_pending", condition=models.Q(done_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.course} ({self.description})"


class TrainingCoordinator(models.Model):
    """A unit's training coordinator (pengelola diklat): enrols the employees of the unit and its sub-units
    in courses, in bulk, and follows their progress. Several rows add up."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pegawai"), on_delete=models.CASCADE, related_name="coordinated_units"
    )
    unit = models.ForeignKey(
        "people.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="training_coordinators"
    )

    class Meta:
        verbose_name = _("koordinator pelatihan")
        verbose_name_plural = _("koordinator pelatihan")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="coordinator_user_unit_unique")]
        permissions = [("enroll_unit", _("Dapat mendaftarkan pegawai unitnya ke kursus secara massal"))]

    def __str__(self) -> str:
        return f"{self.user}: {self.unit}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A learner's private calendar address: whoever has the token reads their due dates and classes, so
    the learner can reset it (the old address stops working at once)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    reset_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kalender pribadi")
        verbose_name_plural = _("kalender pribadi")

    def __str__(self) -> str:
        return str(self.user)
