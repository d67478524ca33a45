"""External learning claims: learning done outside the platform, credited after approval."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def evidence_path(instance, filename: str) -> str:
    # Not guessable: evidence is served only through a view that checks who may see it.
    return f"claims/{instance.user_id}/{uuid.uuid4().hex}/{filename[-80:]}"


class Claim(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Menunggu persetujuan atasan")
        RETURNED = "returned", _("Dikembalikan untuk diperbaiki")
        REJECTED = "rejected", _("Ditolak")
        APPROVED = "approved", _("Disetujui")
        VERIFIED = "verified", _("Diverifikasi BKPSDM")
        REVERSED = "reversed", _("Dibatalkan BKPSDM")
        WITHDRAWN = "withdrawn", _("Ditarik pegawai")

    # Claims that block a duplicate (same certificate number or same file).
    ACTIVE = (Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.VERIFIED)
    CREDITED = (Status.APPROVED, Status.VERIFIED)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="learning_claims")
    title = models.CharField(_("judul kegiatan"), max_length=255)
    organiser = models.CharField(_("penyelenggara"), max_length=255)
    form = models.CharField(_("bentuk pengembangan"), max_length=32)
    category = models.CharField(_("kategori kompetensi"), max_length=32)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    quantity = models.DecimalField(
        _("jumlah satuan"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Jumlah jam, sesi, hari atau kegiatan, sesuai satuan bentuk pengembangan."),
    )
    jp_requested = models.DecimalField(
        _("JP yang diajukan"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=120, blank=True)
    evidence = models.FileField(_("bukti (PDF/JPG/PNG)"), upload_to=evidence_path, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    # What the rules allow (conversion, then the form's yearly cap); set at approval.
    jp_credited = models.DecimalField(_("JP dikreditkan"), max_digits=6, decimal_places=2, null=True, blank=True)
    credit_note = models.CharField(_("catatan perhitungan"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("alasan / catatan atasan"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversal_reason = models.TextField(_("alasan pembatalan"), blank=True)
    # The xAPI registration of the claim's statements.
    registration = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    statement_id = models.UUIDField(null=True, blank=True)
    submitted_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("klaim pembelajaran")
        verbose_name_plural = _("klaim pembelajaran")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["user", "status"]), models.Index(fields=["status", "submitted_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="claim_end_after_start"),
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=Q(status__in=["submitted", "returned", "approved", "verified"]) & ~Q(certificate_number=""),
                name="claim_active_certificate_number_unique",
            ),
            models.UniqueConstraint(
                fields=["evidence_sha256"],
                condition=Q(status__in=["submitted", "returned", "approved", "verified"]) & ~Q(evidence_sha256=""),
                name="claim_active_evidence_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.title}"

    @property
    def form_label(self) -> str:
        from content.models import DevelopmentForm

        return str(dict(DevelopmentForm.choices).get(self.form, self.form))

    @property
    def category_label(self) -> str:
        from content.models import CompetencyCategory

        return str(dict(CompetencyCategory.choices).get(self.category, self.category))

    @property
    def source_key(self) -> str:
        return f"claim:{self.pk}"
