"""Public service work (docs/domain/layanan.md): the catalogue, requests, their audit trail,
and the holiday calendar the service-level deadlines are counted in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Holiday(models.Model):
    """A non-working day (national holiday, cuti bersama). Weekends are never working days."""

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("keterangan"), max_length=200)

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class ServiceType(models.Model):
    class Category(models.TextChoices):
        ADMINDUK = "adminduk", _("Administrasi kependudukan")
        PERIZINAN = "perizinan", _("Perizinan")
        PENGADUAN = "pengaduan", _("Pengaduan")
        LAINNYA = "lainnya", _("Lainnya")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama layanan"), max_length=200)
    category = models.CharField(_("kategori"), max_length=16, choices=Category.choices, default=Category.ADMINDUK)
    requirements = models.TextField(_("persyaratan"), blank=True, help_text=_("Satu persyaratan per baris."))
    procedure = models.TextField(_("prosedur"), blank=True)
    sla_days = models.PositiveSmallIntegerField(_("waktu penyelesaian (hari kerja)"))
    fee = models.DecimalField(_("biaya (Rp)"), max_digits=12, decimal_places=0, default=0)
    product = models.CharField(_("produk layanan"), max_length=200, blank=True)
    complaint_handling = models.TextField(_("penanganan pengaduan"), blank=True)
    unit = models.ForeignKey(
        "people.Unit", verbose_name=_("unit penyelenggara"), on_delete=models.PROTECT, related_name="service_types"
    )
    is_complaint = models.BooleanField(
        _("pengaduan"), default=False, help_text=_("Pengaduan diperiksa ulang sebelum ditutup.")
    )
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("jenis layanan")
        verbose_name_plural = _("jenis layanan")
        ordering = ["category", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(sla_days__gte=1), name="layanan_servicetype_sla_positive"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="layanan_servicetype_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def requirement_list(self) -> list[str]:
        return [line.strip() for line in self.requirements.splitlines() if line.strip()]


class ServiceRequest(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Diajukan")
        VERIFICATION = "verification", _("Verifikasi")
        NEEDS_REVISION = "needs_revision", _("Perlu perbaikan")
        PROCESSING = "processing", _("Diproses")
        REVIEW = "review", _("Pemeriksaan ulang")
        DONE = "done", _("Selesai")
        REJECTED = "rejected", _("Ditolak")
        CANCELLED = "cancelled", _("Dibatalkan")

    class Channel(models.TextChoices):
        COUNTER = "counter", _("Loket / petugas")
        API = "api", _("API (aplikasi lain)")

    number = models.CharField(_("nomor permohonan"), max_length=20, unique=True)
    service = models.ForeignKey(ServiceType, verbose_name=_("layanan"), on_delete=models.PROTECT, related_name="+")
    citizen_nik = models.CharField(_("NIK pemohon"), max_length=16)
    citizen_name = models.CharField(_("nama pemohon"), max_length=200)
    citizen_contact = models.CharField(_("kontak pemohon"), max_length=100, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.COUNTER)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("didaftarkan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey("people.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("diajukan pada"))
    due_date = models.DateField(_("batas waktu (SLA)"))
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A client of the API may retry a POST: the same key from the same client registers once.
    external_ref = models.CharField(max_length=100, null=True, blank=True)

    class Meta:
        verbose_name = _("permohonan layanan")
        verbose_name_plural = _("permohonan layanan")
        ordering = ["-submitted_at"]
        permissions = [
            ("handle_request", _("Menangani permohonan layanan unitnya")),
            ("view_all_requests", _("Melihat permohonan layanan seluruh kota")),
        ]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["status", "due_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "submitted",
                        "verification",
                        "needs_revision",
                        "processing",
                        "review",
                        "done",
                        "rejected",
                        "cancelled",
                    ]
                ),
                name="layanan_request_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(status__in=["done", "rejected", "cancelled"]),
                name="layanan_request_closed_only_when_final",
            ),
            models.UniqueConstraint(
                fields=["registered_by", "external_ref"], name="layanan_request_external_ref_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class RequestTransition(models.Model):
    """The audit trail: every change of status (and assignment) with who, when and why."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class RequestAttachment(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("berkas"), upload_to="layanan/%Y/%m/")
    name = models.CharField(_("nama berkas"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")

    def __str__(self) -> str:
        return self.name
