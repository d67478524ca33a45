"""The learning-hours ledger (append-only) and the yearly rules an administrator sets."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class YearPolicy(models.Model):
    """Rules of one calendar year (DOMAIN.md: configurable per year)."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    minutes_per_jp = models.PositiveSmallIntegerField(_("menit per JP"), default=45)
    attendance_threshold_pct = models.PositiveSmallIntegerField(
        _("ambang kehadiran klasikal (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    prorate_mid_year_hires = models.BooleanField(_("target pegawai baru dihitung proporsional"), default=True)

    class Meta:
        verbose_name = _("kebijakan tahunan JP")
        verbose_name_plural = _("kebijakan tahunan JP")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class TargetRule(models.Model):
    """The yearly JP target (and optional maximum) of one employment type."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    employment_type = models.CharField(_("status kepegawaian"), max_length=16)
    target_jp = models.DecimalField(
        _("target JP"), max_digits=5, decimal_places=1, default=Decimal("20"), validators=[MinValueValidator(0)]
    )
    max_jp = models.DecimalField(_("maksimal JP"), max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("target JP")
        verbose_name_plural = _("target JP")
        constraints = [models.UniqueConstraint(fields=["year", "employment_type"], name="targetrule_year_type_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.employment_type}: {self.target_jp}"


class LedgerEntry(models.Model):
    """One credited (or reversed) learning event. Never edited: a correction is a reversing entry."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu verifikasi")
        VERIFIED = "verified", _("Terverifikasi")
        REJECTED = "rejected", _("Ditolak")

    class SourceKind(models.TextChoices):
        COURSE = "course", _("Kursus daring")
        CLASSROOM = "classroom", _("Pelatihan klasikal")
        CLAIM = "claim", _("Klaim pembelajaran eksternal")
        REVERSAL = "reversal", _("Koreksi (pembatalan)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ledger_entries")
    # The Asia/Jakarta calendar date of the learning event: it decides the year the JP count in.
    date = models.DateField(_("tanggal"))
    jp = models.DecimalField(_("JP"), max_digits=6, decimal_places=2)
    category = models.CharField(_("kategori kompetensi"), max_length=32)
    form = models.CharField(_("bentuk pengembangan"), max_length=32)
    source_kind = models.CharField(_("sumber"), max_length=16, choices=SourceKind.choices)
    # Unique: a repeated or retried event can never credit twice.
    source_key = models.CharField(max_length=255, unique=True)
    title = models.CharField(_("judul"), max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.VERIFIED)
    statement_id = models.UUIDField(null=True, blank=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entri JP")
        verbose_name_plural = _("buku besar JP")
        indexes = [models.Index(fields=["user", "date"]), models.Index(fields=["date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reverses__isnull=True, jp__gte=0) | models.Q(reverses__isnull=False, jp__lte=0),
                name="ledger_sign_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.date} {self.jp} JP ({self.title})"
