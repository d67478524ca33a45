"""Competency planning (docs/planning.md): the competency dictionary and the positions' standards (SKJ), each
employee's yearly assessment (self-assessment per behaviour indicator, validated by the direct supervisor, or
an assessment-centre result), the performance gap e-Kinerja announces, and the yearly development plan whose
items are fulfilled by the learning the LMS records."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

LEVELS = range(1, 6)
LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class CompetencyType(models.TextChoices):
    # The same values as content.models.CompetencyCategory, so a course's category and a competency's type agree.
    TEKNIS = "teknis", _("Teknis")
    MANAJERIAL = "manajerial", _("Manajerial")
    SOSIAL_KULTURAL = "sosial_kultural", _("Sosial kultural")
    PEMERINTAHAN = "pemerintahan", _("Pemerintahan")


class Competency(models.Model):
    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama kompetensi"), max_length=200)
    type = models.CharField(_("jenis"), max_length=16, choices=CompetencyType.choices)
    description = models.TextField(_("definisi"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("kompetensi")
        verbose_name_plural = _("kamus kompetensi")
        ordering = ["type", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BehaviourIndicator(models.Model):
    """What a person at ``level`` shows (indikator perilaku). A level is met when all its indicators are."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="indicators")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    text = models.CharField(_("indikator perilaku"), max_length=500)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("indikator perilaku")
        verbose_name_plural = _("indikator perilaku")
        ordering = ["competency", "level", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="planning_indicator_level_1_5"),
            models.UniqueConstraint(fields=["competency", "level", "text"], name="planning_indicator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.competency.code} L{self.level}: {self.text[:60]}"


class Position(models.Model):
    """A position (jabatan). Employees hold it through their profile's ``position`` text (the shell's
    ``User.position``), matched case-insensitively on ``name``: the shell keeps identity, planning the standard."""

    class Type(models.TextChoices):
        STRUKTURAL = "struktural", _("Struktural")
        FUNGSIONAL = "fungsional", _("Fungsional")
        PELAKSANA = "pelaksana", _("Pelaksana")

    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(
        _("nama jabatan"), max_length=200, help_text=_("Sama persis dengan jabatan di profil pegawai.")
    )
    type = models.CharField(_("jenis jabatan"), max_length=16, choices=Type.choices, default=Type.PELAKSANA)

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan dan standar kompetensi")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="planning_position_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class PositionStandard(models.Model):
    """Standar kompetensi jabatan: the level a position requires of one competency."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="standards")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="standards")
    required_level = models.PositiveSmallIntegerField(_("level yang dipersyaratkan"), validators=LEVEL_VALIDATORS)

    class Meta:
        verbose_name = _("standar kompetensi")
        verbose_name_plural = _("standar kompetensi jabatan")
        ordering = ["position", "competency"]
        constraints = [
            models.UniqueConstraint(fields=["position", "competency"], name="planning_standard_unique"),
            models.CheckConstraint(
                condition=Q(required_level__gte=1, required_level__lte=5), name="planning_standard_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.competency.code} L{self.required_level}"


class CourseCompetency(models.Model):
    """A catalogue course develops a competency up to ``level``. Kept here: content imports no module."""

    course = models.ForeignKey("content.CoursePage", on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="courses")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)

    class Meta:
        verbose_name = _("kompetensi kursus")
        verbose_name_plural = _("kompetensi kursus")
        constraints = [
            models.UniqueConstraint(fields=["course", "competency"], name="planning_course_competency_unique"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="planning_course_level_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id}: {self.competency.code} L{self.level}"


class OfferCompetency(models.Model):
    """A classroom offer (a class session) develops a competency up to ``level``; an offer also counts its
    course's tags."""

    session = models.ForeignKey("classroom.ClassSession", on_delete=models.CASCADE, related_name="competencies")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="offers")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)

    class Meta:
        verbose_name = _("kompetensi kelas")
        verbose_name_plural = _("kompetensi kelas")
        constraints = [
            models.UniqueConstraint(fields=["session", "competency"], name="planning_offer_competency_unique"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="planning_offer_level_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.competency.code} L{self.level}"


class Assessment(models.Model):
    """An employee's competency profile for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Menunggu validasi atasan")
        VALIDATED = "validated", _("Tervalidasi")

    class Source(models.TextChoices):
        SELF = "self", _("Penilaian mandiri, divalidasi atasan")
        ASSESSMENT_CENTRE = "assessment_centre", _("Hasil assessment center")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    # The position whose standard the gaps are measured against (fixed when the profile is validated).
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(_("sumber"), max_length=20, choices=Source.choices, default=Source.SELF)
    submitted_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    supervisor_note = models.TextField(_("catatan atasan"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profil kompetensi")
        verbose_name_plural = _("profil kompetensi")
        constraints = [models.UniqueConstraint(fields=["user", "year"], name="planning_assessment_user_year")]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.user} {self.year}"


class IndicatorAnswer(models.Model):
    """The employee's answer to one indicator (meets it or not, with an example), and the supervisor's."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(BehaviourIndicator, on_delete=models.CASCADE, related_name="+")
    self_meets = models.BooleanField(_("memenuhi (mandiri)"), null=True)
    example = models.TextField(_("contoh"), blank=True, max_length=1000)
    supervisor_meets = models.BooleanField(_("memenuhi (atasan)"), null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="planning_answer_unique")]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.indicator_id}"


class CompetencyResult(models.Model):
    """The levels one assessment arrives at for one competency: the employee's own, and the validated one
    (the supervisor's answers, or the assessment centre's level): the gaps read ``validated_level``."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="results")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    self_level = models.PositiveSmallIntegerField(null=True, blank=True)
    validated_level = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "competency"], name="planning_result_unique"),
            models.CheckConstraint(
                condition=Q(validated_level__isnull=True) | Q(validated_level__gte=0, validated_level__lte=5),
                name="planning_result_level_0_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.competency_id}: {self.validated_level}"


class PerformanceRating(models.Model):
    """The yearly performance verdict e-Kinerja announces (event ``kinerja.skp.rated``): the performance gap."""

    class Rating(models.TextChoices):
        SANGAT_BAIK = "sangat_baik", _("Sangat Baik")
        BAIK = "baik", _("Baik")
        BUTUH_PERBAIKAN = "butuh_perbaikan", _("Butuh Perbaikan")
        KURANG = "kurang", _("Kurang")
        SANGAT_KURANG = "sangat_kurang", _("Sangat Kurang")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    rating = models.CharField(_("predikat"), max_length=20, choices=Rating.choices)
    targets_met = models.BooleanField(_("target tercapai"))
    received_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("predikat kinerja")
        verbose_name_plural = _("predikat kinerja")
        constraints = [models.UniqueConstraint(fields=["user", "year"], name="planning_rating_user_year")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.year}: {self.rating}"

    @property
    def has_gap(self) -> bool:
        return not self.targets_met or self.rating not in (self.Rating.SANGAT_BAIK, self.Rating.BAIK)


class DevelopmentPlan(models.Model):
    """Rencana pengembangan kompetensi: proposed by the employee, agreed (or returned) by the direct supervisor."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PROPOSED = "proposed", _("Diajukan ke atasan")
        AGREED = "agreed", _("Disepakati")
        RETURNED = "returned", _("Dikembalikan atasan")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    proposed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    supervisor_note = models.TextField(_("catatan atasan"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("rencana pengembangan")
        verbose_name_plural = _("rencana pengembangan")
        constraints = [models.UniqueConstraint(fields=["user", "year"], name="planning_plan_user_year")]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.user} {self.year}"

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class PlanItem(models.Model):
    """One development the plan chooses: a catalogue course, a classroom offer, or an external form (a
    seminar, coaching...) which an approved claim of that form fulfils."""

    class Priority(models.IntegerChoices):
        HIGH = 1, _("Tinggi")
        MEDIUM = 2, _("Sedang")
        LOW = 3, _("Rendah")

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="items")
    competency = models.ForeignKey(Competency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # For a performance gap with no competency named.
    for_performance = models.BooleanField(_("untuk kesenjangan kinerja"), default=False)
    form = models.CharField(_("bentuk pengembangan"), max_length=32)
    course = models.ForeignKey("content.CoursePage", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    offer = models.ForeignKey(
        "classroom.ClassSession", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    external_title = models.CharField(_("kegiatan di luar platform"), max_length=200, blank=True)
    jp = models.DecimalField(_("JP"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))])
    priority = models.PositiveSmallIntegerField(_("prioritas"), choices=Priority.choices, default=Priority.MEDIUM)
    quarter = models.PositiveSmallIntegerField(_("triwulan"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("butir rencana")
        verbose_name_plural = _("butir rencana")
        ordering = ["quarter", "priority", "pk"]
        constraints = [
            # Exactly one of: a course, an offer, an external activity.
            models.CheckConstraint(
                condition=(
                    Q(course__isnull=False, offer__isnull=True, external_title="")
                    | Q(course__isnull=True, offer__isnull=False, external_title="")
                    | (Q(course__isnull=True, offer__isnull=True) & ~Q(external_title=""))
                ),
                name="planning_item_one_learning",
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="planning_item_quarter_1_4"),
            models.CheckConstraint(
                condition=Q(competency__isnull=False) | Q(for_performance=True), name="planning_item_has_reason"
            ),
            models.UniqueConstraint(
                fields=["plan", "course"], condition=Q(course__isnull=False), name="planning_item_course_once"
            ),
            models.UniqueConstraint(
                fields=["plan", "offer"], condition=Q(offer__isnull=False), name="planning_item_offer_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.course_id:
            return self.course.title
        if self.offer_id:
            return str(self.offer)
        return self.external_title

    @property
    def kind(self) -> str:
        return "course" if self.course_id else "offer" if self.offer_id else "external"
