"""Learning records. Enrolment is written directly; progress and completion are projections of
statements (lms.projections) and can be rebuilt from them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enrollment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Mendaftar sendiri")
        ASSIGNED = "assigned", _("Ditugaskan")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey("content.CoursePage", on_delete=models.PROTECT, related_name="enrollments")
    # The xAPI registration that ties this enrolment's statements together.
    registration = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.SELF)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    # Projection of the course's "completed" statement.
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pendaftaran kursus")
        verbose_name_plural = _("pendaftaran kursus")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="enrollment_user_course_unique")]
        indexes = [models.Index(fields=["user", "completed_at"])]
        permissions = [
            ("enroll_self", _("Dapat mendaftar kursus sendiri")),
            ("assign_course", _("Dapat menugaskan kursus kepada pegawai")),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.course}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class LessonProgress(models.Model):
    """Projection: one row per enrolment and lesson the learner has worked on."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey("content.LessonPage", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    best_score = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson"], name="progress_enrollment_lesson_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} / {self.lesson_id}"
