"""Numbered certificates with a public verification code; revoked and reissued, never deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Signatory(models.Model):
    """Who signs the year's certificates (configurable per year: the one of the latest year <= the year)."""

    year = models.PositiveSmallIntegerField(_("berlaku mulai tahun"), unique=True)
    name = models.CharField(_("nama"), max_length=200)
    position = models.CharField(_("jabatan"), max_length=200)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)

    class Meta:
        verbose_name = _("penandatangan sertifikat")
        verbose_name_plural = _("penandatangan sertifikat")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.name}"


class NumberSequence(models.Model):
    """The last certificate number of a year (locked while a number is taken)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Certificate(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", _("Kursus daring")
        CLASSROOM = "classroom", _("Pelatihan klasikal")

    number = models.CharField(_("nomor"), max_length=64, unique=True)
    code = models.CharField(_("kode verifikasi"), max_length=16, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # What it certifies, e.g. "classroom:12:user:5": one valid certificate per source.
    source_key = models.CharField(max_length=255)
    title = models.CharField(_("judul"), max_length=255)
    jp = models.DecimalField(_("JP"), max_digits=6, decimal_places=2)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    # As printed: name and NIP of the holder, the signatory, at issue time.
    holder_name = models.CharField(max_length=200)
    holder_nip = models.CharField(max_length=18, blank=True)
    signatory_name = models.CharField(max_length=200)
    signatory_position = models.CharField(max_length=200)
    signatory_nip = models.CharField(max_length=18, blank=True)
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(_("alasan pencabutan"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")

    class Meta:
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"], condition=Q(revoked_at__isnull=True), name="certificate_one_valid_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.holder_name}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
