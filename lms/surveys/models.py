"""Participants' evaluation (Kirkpatrick level 1) and the follow-up at work (level 3).

Anonymity is kept by the shape of the tables, not by the reports' good manners: a ``Response`` and its
``Answer`` rows hold no person, no time and no sequential id, only the course or class and the year it
evaluates; who answered is a separate ``Respondent`` row (for "answered before the certificate" and "cannot
answer twice"), with nothing to join it to a response. Reports show a group's answers only when it holds at
least ``SURVEY_MIN_GROUP_SIZE`` responses (``lms.surveys.selectors``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    MATERIAL = "material", _("Materi")
    TRAINER = "trainer", _("Pelatih (widyaiswara)")
    ORGANISATION = "organisation", _("Penyelenggaraan")
    VENUE = "venue", _("Tempat dan sarana")
    COMMENT = "comment", _("Saran dan komentar")


# The order a form shows its sections in.
SECTION_ORDER = [Section.MATERIAL, Section.TRAINER, Section.ORGANISATION, Section.VENUE, Section.COMMENT]

LIKERT_MIN, LIKERT_MAX = 1, 5
LIKERT_LABELS = {
    1: _("Sangat tidak setuju"),
    2: _("Tidak setuju"),
    3: _("Ragu-ragu"),
    4: _("Setuju"),
    5: _("Sangat setuju"),
}


class SurveyTemplate(models.Model):
    """A questionnaire built by a trainer or BKPSDM. Once answered its items are frozen (a report must read
    the questions that were answered): a change is made on a copy."""

    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("pengantar"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("templat survei")
        verbose_name_plural = _("templat survei")
        ordering = ["title", "pk"]
        permissions = [("manage_all_surveys", _("Dapat mengelola semua survei dan melihat semua hasilnya"))]

    def __str__(self) -> str:
        return self.title


class SurveyItem(models.Model):
    """A Likert statement (1-5) or, in the comment section, an open question. Items of the trainer section
    are asked once per trainer of the class or course."""

    class Kind(models.TextChoices):
        LIKERT = "likert", _("Skala 1-5")
        COMMENT = "comment", _("Komentar terbuka")

    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(_("bagian"), max_length=16, choices=Section.choices)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.CharField(_("pertanyaan"), max_length=300)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="surveyitem_template_position_unique"),
            # Open questions live in the comment section, and only there.
            models.CheckConstraint(
                condition=Q(section="comment", kind="comment") | (~Q(section="comment") & Q(kind="likert")),
                name="surveyitem_kind_matches_section",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class SurveyLink(models.Model):
    """A template attached to an online course or to a classroom offer (``ClassSession``). A class without
    its own link uses its course's. Content may not import the LMS, so the link lives here."""

    template = models.ForeignKey(
        SurveyTemplate, verbose_name=_("templat survei"), on_delete=models.PROTECT, related_name="links"
    )
    course = models.OneToOneField(
        "content.CoursePage",
        verbose_name=_("kursus"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_link",
    )
    session = models.OneToOneField(
        "classroom.ClassSession",
        verbose_name=_("kelas"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_link",
    )
    required_for_certificate = models.BooleanField(
        _("wajib diisi sebelum sertifikat terbit"),
        default=True,
        help_text=_("Sertifikat peserta menunggu sampai survei diisi, lalu terbit otomatis."),
    )
    follow_up = models.BooleanField(
        _("survei tindak lanjut (level 3)"),
        default=True,
        help_text=_("Beberapa minggu setelah selesai, peserta dan atasannya ditanya penerapan di tempat kerja."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survei kursus atau kelas")
        verbose_name_plural = _("survei kursus atau kelas")
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False, session__isnull=True) | Q(course__isnull=True, session__isnull=False),
                name="surveylink_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.template}: {self.session or self.course}"


class Response(models.Model):
    """One participant's filled form, without the participant: a random id (no sequence to line up with
    ``Respondent``), no timestamp, only what it evaluates and the year that evaluation counts in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    template = models.ForeignKey(SurveyTemplate, on_delete=models.PROTECT, related_name="responses")
    course = models.ForeignKey("content.CoursePage", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        "classroom.ClassSession", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["course", "session", "year"], name="surveyresponse_target")]

    def __str__(self) -> str:
        return str(self.pk)


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(SurveyItem, on_delete=models.PROTECT, related_name="answers")
    # The trainer evaluated (trainer section only): the evaluated person, never the one who answered.
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=2000)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=LIKERT_MIN, score__lte=LIKERT_MAX),
                name="surveyanswer_score_1_to_5",
            ),
            models.UniqueConstraint(fields=["response", "item", "trainer"], name="surveyanswer_once_per_trainer"),
            models.UniqueConstraint(
                fields=["response", "item"], condition=Q(trainer__isnull=True), name="surveyanswer_once"
            ),
        ]
        indexes = [models.Index(fields=["trainer", "item"], name="surveyanswer_trainer")]

    def __str__(self) -> str:
        return str(self.pk)


def target_key(*, course_id: int, session_id: int | None) -> str:
    """What was evaluated: a classroom offer, or an online course."""
    return f"session:{session_id}" if session_id else f"course:{course_id}"


class Respondent(models.Model):
    """Who answered what (not what they answered): one row per person and course or class."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=32)
    course = models.ForeignKey("content.CoursePage", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        "classroom.ClassSession", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "target"], name="surveyrespondent_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.target}"


class CertificateHold(models.Model):
    """A certificate that waits for its holder's survey; issued as it was asked for once they answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=32)
    source_key = models.CharField(max_length=255, unique=True)
    # certificate_issue's arguments (dates and JP as strings), as the caller gave them.
    issue = models.JSONField()
    held_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "target"], name="certificatehold_user_target")]

    def __str__(self) -> str:
        return self.source_key


class FollowUp(models.Model):
    """Level 3: some weeks after completing, the learner and their supervisor each say whether the learning
    is applied at work, with an example. One row per learner, course or class, and role."""

    class Role(models.TextChoices):
        LEARNER = "learner", _("Peserta")
        SUPERVISOR = "supervisor", _("Atasan")

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_ups")
    role = models.CharField(max_length=16, choices=Role.choices)
    target = models.CharField(max_length=32)
    course = models.ForeignKey("content.CoursePage", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        "classroom.ClassSession", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_on = models.DateField()
    sent_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    applied = models.PositiveSmallIntegerField(_("penerapan di tempat kerja"), null=True, blank=True)
    example = models.TextField(_("contoh penerapan"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("survei tindak lanjut")
        verbose_name_plural = _("survei tindak lanjut")
        constraints = [
            models.UniqueConstraint(fields=["learner", "target", "role"], name="followup_once"),
            models.CheckConstraint(
                condition=Q(applied__isnull=True) | Q(applied__gte=LIKERT_MIN, applied__lte=LIKERT_MAX),
                name="followup_applied_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["respondent", "answered_at"], name="followup_respondent"),
            models.Index(fields=["sent_at"], name="followup_unanswered", condition=Q(answered_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} {self.target} {self.role}"
