"""e-Kinerja (docs/domain/kinerja.md; PermenPAN-RB 6/2022): the yearly plan (SKP) with its
planned work results, indicators and targets; the daily activity log with evidence, checked by the
direct supervisor; and the outbox of approved activities pushed to an external e-Kinerja system."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Skp(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        APPROVED = "approved", _("Disetujui")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SKP")
        verbose_name_plural = _("SKP")
        constraints = [models.UniqueConstraint(fields=["user", "year"], name="kinerja_skp_user_year_unique")]

    def __str__(self) -> str:
        return f"SKP {self.year} {self.user}"


class SkpResult(models.Model):
    """A planned work result (rencana hasil kerja), cascaded from one of the supervisor's."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="results")
    text = models.TextField(_("rencana hasil kerja"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("hasil kerja atasan yang diintervensi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("rencana hasil kerja")
        verbose_name_plural = _("rencana hasil kerja")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class SkpIndicator(models.Model):
    class Aspect(models.TextChoices):
        QUANTITY = "kuantitas", _("Kuantitas")
        QUALITY = "kualitas", _("Kualitas")
        TIME = "waktu", _("Waktu")

    result = models.ForeignKey(SkpResult, on_delete=models.CASCADE, related_name="indicators")
    text = models.CharField(_("indikator"), max_length=300)
    aspect = models.CharField(_("aspek"), max_length=16, choices=Aspect.choices, default=Aspect.QUANTITY)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("satuan"), max_length=50)

    class Meta:
        verbose_name = _("indikator kinerja")
        verbose_name_plural = _("indikator kinerja")
        constraints = [models.CheckConstraint(condition=Q(target__gt=0), name="kinerja_indicator_target_positive")]

    def __str__(self) -> str:
        return f"{self.text}: {self.target} {self.unit}"


class Activity(models.Model):
    """One entry of the daily activity log (aktivitas harian)."""

    class Kind(models.TextChoices):
        MANUAL = "manual", _("Aktivitas harian")
        COMPETENCY = "competency", _("Pengembangan kompetensi")
        SERVICE = "service", _("Pelayanan publik")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Menunggu persetujuan")
        APPROVED = "approved", _("Disetujui")
        RETURNED = "returned", _("Dikembalikan")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("tanggal"))
    title = models.CharField(_("aktivitas"), max_length=300)
    description = models.TextField(_("uraian"), blank=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.MANUAL)
    result = models.ForeignKey(
        SkpResult,
        verbose_name=_("rencana hasil kerja"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    quantity = models.DecimalField(_("volume"), max_digits=10, decimal_places=2, default=1)
    output_unit = models.CharField(_("satuan"), max_length=50, default="kegiatan")
    jp = models.DecimalField(_("JP"), max_digits=6, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("catatan atasan"), blank=True)
    # What created it automatically (e.g. "lms.course:12:user:5"): the same work is logged once.
    source_key = models.CharField(max_length=200, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aktivitas harian")
        verbose_name_plural = _("aktivitas harian")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["user", "date"]), models.Index(fields=["status", "user"])]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="kinerja_activity_quantity_positive"),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(reviewer__isnull=False),
                name="kinerja_activity_reviewed_has_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_automatic(self) -> bool:
        return bool(self.source_key)


class Evidence(models.Model):
    """Bukti dukung: a file, a link, or a certificate."""

    class Kind(models.TextChoices):
        FILE = "file", _("Berkas")
        LINK = "link", _("Tautan")
        CERTIFICATE = "certificate", _("Sertifikat")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.LINK)
    label = models.CharField(_("keterangan"), max_length=300)
    url = models.CharField(_("tautan"), max_length=500, blank=True)
    file = models.FileField(_("berkas"), upload_to="kinerja/%Y/%m/", blank=True)
    dedupe_key = models.CharField(max_length=300, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def href(self) -> str:
        """A file through the view that checks who may see it; a link as it is."""
        if self.file:
            from django.urls import reverse

            return reverse("kinerja:evidence_download", args=[self.pk])
        return self.url


class ActivityPush(models.Model):
    """Outbox row of an approved activity for the external e-Kinerja system: sent at most once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="push")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kiriman e-Kinerja")
        verbose_name_plural = _("kiriman e-Kinerja")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.status}"
