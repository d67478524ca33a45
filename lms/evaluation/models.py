"""The question bank, quizzes drawn from it, attempts, pre- and post-tests (docs/evaluation.md).

A question's wording and answers live in its versions: an attempt points at the version it was given, so
editing a question that was already used makes a new version and past attempts keep theirs."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Pilihan ganda (satu jawaban)")
    MULTIPLE = "multiple", _("Pilihan ganda (beberapa jawaban)")
    TRUE_FALSE = "truefalse", _("Benar/salah")
    SHORT = "short", _("Isian singkat")
    NUMERIC = "numeric", _("Numerik")
    MATCHING = "matching", _("Menjodohkan")
    ORDERING = "ordering", _("Mengurutkan")
    ESSAY = "essay", _("Esai (dinilai pelatih)")


class Difficulty(models.TextChoices):
    EASY = "easy", _("Mudah")
    MEDIUM = "medium", _("Sedang")
    HARD = "hard", _("Sulit")


class Category(models.Model):
    """A shelf of the bank, owned by a course; ``competency`` is a free label until the competency
    dictionary (lms.planning) can be linked."""

    course = models.ForeignKey(
        "content.CoursePage", verbose_name=_("kursus"), on_delete=models.CASCADE, related_name="question_categories"
    )
    name = models.CharField(_("nama kategori"), max_length=200)
    competency = models.CharField(_("kompetensi"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("kategori soal")
        verbose_name_plural = _("kategori soal")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["course", "name"], name="evaluation_category_course_name")]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.PROTECT, related_name="questions"
    )
    kind = models.CharField(_("jenis"), max_length=16, choices=QuestionKind.choices)
    name = models.CharField(_("nama soal"), max_length=200)
    tags = models.JSONField(_("tag"), default=list, blank=True)
    difficulty = models.CharField(_("tingkat kesulitan"), max_length=8, choices=Difficulty.choices, default="medium")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    archived = models.BooleanField(_("diarsipkan"), default=False)

    class Meta:
        verbose_name = _("soal")
        verbose_name_plural = _("soal")
        ordering = ["category__name", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def latest(self) -> QuestionVersion:
        return self.versions.order_by("-number").first()


class QuestionVersion(models.Model):
    """What a learner is shown and scored against. ``data`` holds the answers by kind (lms.evaluation.scoring)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField(_("teks soal"))
    data = models.JSONField(default=dict)
    mark = models.DecimalField(_("bobot"), max_digits=6, decimal_places=2, default=1)
    general_feedback = models.TextField(_("umpan balik"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="evaluation_version_number"),
            models.CheckConstraint(condition=Q(mark__gt=0), name="evaluation_version_mark_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.question} v{self.number}"


class Quiz(models.Model):
    class Kind(models.TextChoices):
        QUIZ = "quiz", _("Kuis")
        PRETEST = "pretest", _("Pre-test")
        POSTTEST = "posttest", _("Post-test")

    class Grading(models.TextChoices):
        HIGHEST = "highest", _("Nilai tertinggi")
        LAST = "last", _("Percobaan terakhir")
        AVERAGE = "average", _("Rata-rata percobaan")

    class Review(models.TextChoices):
        NEVER = "never", _("Tidak pernah")
        AFTER_SUBMIT = "after_submit", _("Segera setelah dikirim")
        AFTER_CLOSE = "after_close", _("Setelah kuis ditutup")

    course = models.ForeignKey(
        "content.CoursePage", verbose_name=_("kursus"), on_delete=models.CASCADE, related_name="bank_quizzes"
    )
    # A pre- or post-test of one classroom offer (angkatan); empty: of the online course.
    session = models.ForeignKey(
        "classroom.ClassSession",
        verbose_name=_("angkatan kelas"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tests",
    )
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.QUIZ)
    title = models.CharField(_("judul"), max_length=200)
    # A post-test drawn from its pre-test's blueprint (the same categories and counts).
    blueprint_from = models.ForeignKey(
        "self", verbose_name=_("cetak biru dari"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    time_limit_minutes = models.PositiveIntegerField(
        _("batas waktu (menit)"), null=True, blank=True, help_text=_("Kosong: tanpa batas waktu.")
    )
    attempts_allowed = models.PositiveIntegerField(
        _("jumlah percobaan"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Berapa kali peserta boleh mencoba."),
    )
    grading = models.CharField(_("penilaian"), max_length=16, choices=Grading.choices, default=Grading.HIGHEST)
    pass_mark = models.PositiveIntegerField(
        _("nilai lulus (%)"), default=70, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    shuffle_options = models.BooleanField(_("acak pilihan jawaban"), default=True)
    review_answers = models.CharField(
        _("peserta melihat jawabannya"), max_length=16, choices=Review.choices, default=Review.AFTER_SUBMIT
    )
    review_correct = models.CharField(
        _("peserta melihat kunci jawaban"), max_length=16, choices=Review.choices, default=Review.AFTER_CLOSE
    )
    closes_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    gates_completion = models.BooleanField(
        _("wajib lulus untuk menyelesaikan kursus"), default=False, help_text=_("Untuk post-test.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kuis bank soal")
        verbose_name_plural = _("kuis bank soal")
        ordering = ["course", "kind", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="evaluation_quiz_pass_mark"),
            models.CheckConstraint(condition=Q(attempts_allowed__gte=1), name="evaluation_quiz_attempts"),
            # One pre-test and one post-test per course (online) or per offer.
            models.UniqueConstraint(
                fields=["course", "kind"],
                condition=Q(session__isnull=True) & ~Q(kind="quiz"),
                name="evaluation_one_test_per_course",
            ),
            models.UniqueConstraint(
                fields=["session", "kind"],
                condition=Q(session__isnull=False) & ~Q(kind="quiz"),
                name="evaluation_one_test_per_session",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class QuizSlot(models.Model):
    """Draw ``count`` questions at random from a category (optionally only those with a tag or difficulty)."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="slots")
    category = models.ForeignKey(Category, verbose_name=_("kategori"), on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(_("jumlah soal"), validators=[MinValueValidator(1)])
    difficulty = models.CharField(_("tingkat kesulitan"), max_length=8, choices=Difficulty.choices, blank=True)
    tag = models.CharField(_("tag"), max_length=64, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["quiz", "order", "pk"]
        constraints = [models.CheckConstraint(condition=Q(count__gte=1), name="evaluation_slot_count")]

    def __str__(self) -> str:
        return f"{self.count} x {self.category}"


class Attempt(models.Model):
    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Sedang dikerjakan")
        NEEDS_GRADING = "needs_grading", _("Menunggu penilaian esai")
        FINISHED = "finished", _("Selesai")

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quiz_attempts")
    number = models.PositiveIntegerField()
    # The lesson whose quiz block this attempt answers (its pass/fail moves the lesson, lms.projections).
    lesson = models.ForeignKey("content.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The xAPI registration the attempt's statements carry (the enrolment's or the class registration's).
    registration = models.UUIDField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.IN_PROGRESS)
    started_at = models.DateTimeField()
    # The server's deadline: answers after it are refused, and the attempt is submitted as it stood.
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    raw = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    scaled = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        ordering = ["quiz", "user", "number"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="evaluation_attempt_number"),
            # At most one open attempt per learner and quiz.
            models.UniqueConstraint(
                fields=["quiz", "user"], condition=Q(state="in_progress"), name="evaluation_one_open_attempt"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="evaluation_attempt_number_positive"),
        ]
        indexes = [models.Index(fields=["quiz", "state"])]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.number} ({self.user})"

    @property
    def percent(self):
        """The score as a percentage (45.2), for the shared ``percent`` format."""
        return None if self.scaled is None else self.scaled * 100


class AttemptQuestion(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="attempt_questions")
    # The order the options were shown in (indices into the version's choices / right-hand sides / items).
    option_order = models.JSONField(default=list, blank=True)
    response = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    fraction = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feedback = models.TextField(blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="evaluation_attempt_position")]

    def __str__(self) -> str:
        return f"{self.attempt} / {self.position}"
