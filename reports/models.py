"""Report data: running JP totals kept by the database as the ledger changes, and background export jobs.

The totals are a projection of ``hours_ledgerentry`` maintained by triggers (migration 0002), so every
write path is covered (services, the admin, COPY) and a report never re-reads millions of ledger rows.
They can always be rebuilt from the ledger (``reports.services.jp_summary_rebuild``). Their ``user``
has no database constraint: the ledger protects employees who have entries, and a summary row of a
deleted account is simply never joined.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JpYearTotal(models.Model):
    """JP of one employee, year and entry status (verified / pending / rejected)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16)
    hundredths = models.IntegerField(default=0)  # JP x 100
    entries = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "year", "status"], name="reports_yeartotal_key"),
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.year} {self.status}: {self.hundredths / 100}"


class JpMonthTotal(models.Model):
    """Verified JP of one employee and month (the trend)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    hundredths = models.IntegerField(default=0)  # JP x 100
    entries = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "year", "month"], name="reports_monthtotal_key")]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.year}-{self.month:02d}: {self.hundredths / 100}"


class JpFormTotal(models.Model):
    """Verified JP of one employee, year, competency category and form of development."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=32)
    form = models.CharField(max_length=32)
    hundredths = models.IntegerField(default=0)  # JP x 100
    entries = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "year", "category", "form"], name="reports_formtotal_key")
        ]
        indexes = [models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.year} {self.category}/{self.form}: {self.hundredths / 100}"


class ExportJob(models.Model):
    """A report file built in the background; the owner downloads it until ``expires_at``."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Sedang dibuat")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")
        EXPIRED = "expired", _("Kedaluwarsa")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX (Excel)"
        PDF = "pdf", "PDF"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_exports")
    report = models.CharField(_("laporan"), max_length=32)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    # The filters as the form cleaned them (year, unit code, employment type).
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    rows = models.IntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ekspor laporan")
        verbose_name_plural = _("ekspor laporan")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"]), models.Index(fields=["status", "expires_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="reports_exportjob_progress_lte_100")
        ]

    def __str__(self) -> str:
        return f"{self.report}.{self.format} ({self.get_status_display()})"
