"""The learning-hours ledger (append-only) and the yearly rules an administrator sets."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class YearPolicy(models.Model):
    """Rules of one calendar year (docs/domain/jp-ledger.md: configurable per year)."""

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
        CORRECTION = "correction", _("Koreksi BKPSDM")
        IMPORT = "import", _("Impor catatan tepercaya")
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
    # The platform's own statement behind the credit (course, classroom, claim), if any.
    statement_id = models.UUIDField(null=True, blank=True)
    # What the credit rests on, as "<kind>:<id>": statement:<uuid>, claim:<id>, correction:<id>,
    # import:<id>, revocation:<id>, void:<statement uuid>. ledger_verify derives the entry again from it.
    evidence = models.CharField(_("bukti"), max_length=80, blank=True, default="")
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entri JP")
        verbose_name_plural = _("buku besar JP")
        indexes = [
            models.Index(fields=["user", "date"]),
            models.Index(fields=["date"]),
            # The same evidence or statement behind two credits (lms/hours/anomalies.py, "duplicates").
            models.Index(fields=["evidence"], condition=models.Q(reverses__isnull=True), name="ledger_credit_evidence"),
            models.Index(
                fields=["statement_id"], condition=models.Q(statement_id__isnull=False), name="ledger_statement"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reverses__isnull=True, jp__gte=0) | models.Q(reverses__isnull=False, jp__lte=0),
                name="ledger_sign_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.date} {self.jp} JP ({self.title})"


class CreditRule(models.Model):
    """How a form of development (bentuk) converts to JP in a year (docs/domain/jp-ledger.md: configurable per form).

    The rule in force for a year is the one of that year, else the latest earlier one."""

    class Unit(models.TextChoices):
        JP = "jp", _("JP (sesuai yang diajukan)")
        HOUR = "hour", _("jam")
        SESSION = "session", _("sesi / pertemuan")
        DAY = "day", _("hari")
        EVENT = "event", _("kegiatan")

    year = models.PositiveSmallIntegerField(_("tahun"))
    form = models.CharField(_("bentuk pengembangan"), max_length=32)
    unit = models.CharField(_("satuan"), max_length=16, choices=Unit.choices, default=Unit.JP)
    jp_per_unit = models.DecimalField(
        _("JP per satuan"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Untuk satuan jam boleh dikosongkan: dihitung dari menit per JP tahun itu."),
    )
    max_jp_per_year = models.DecimalField(
        _("maksimal JP per tahun dari bentuk ini"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    evidence_required = models.BooleanField(_("wajib bukti"), default=True)
    approval_required = models.BooleanField(_("wajib persetujuan atasan"), default=True)

    class Meta:
        verbose_name = _("aturan konversi JP")
        verbose_name_plural = _("aturan konversi JP")
        ordering = ["-year", "form"]
        constraints = [
            models.UniqueConstraint(fields=["year", "form"], name="creditrule_year_form_unique"),
            models.CheckConstraint(
                condition=models.Q(jp_per_unit__isnull=True, unit__in=["jp", "hour"])
                | models.Q(jp_per_unit__isnull=False, jp_per_unit__gte=0),
                name="creditrule_jp_per_unit_set",
                violation_error_message=_("Isi JP per satuan (boleh kosong hanya untuk satuan JP atau jam)."),
            ),
            models.CheckConstraint(
                condition=models.Q(max_jp_per_year__isnull=True) | models.Q(max_jp_per_year__gte=0),
                name="creditrule_max_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.form}: {self.jp_per_unit} JP/{self.unit}"


# --- running totals ----------------------------------------------------------------------------------
# A projection of the ledger kept by the database itself: row triggers on hours_ledgerentry (installed by
# this app's migration 0005, SQL in lms/hours/totals.py) add each inserted row and subtract each deleted
# one, so every write path is covered (services, the admin, COPY) and no read sums millions of ledger
# rows. They can always be rebuilt from the ledger (``lms.hours.totals.totals_rebuild``). Read them
# through ``lms.hours.selectors`` (the reports do). ``user`` has no database constraint: the ledger
# protects employees who have entries, and a total of a deleted account is simply never joined.


class JpYearTotal(models.Model):
    """JP of one employee, year and entry status (verified / pending / rejected)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16)
    hundredths = models.IntegerField(default=0)  # JP x 100: integer sums are several times faster than decimal
    entries = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "year", "status"], name="hours_yeartotal_key")]
        indexes = [models.Index(fields=["year", "status"], name="hours_yeartotal_year")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.year} {self.status}: {self.hundredths / 100}"


class JpMonthTotal(models.Model):
    """Verified JP of one employee and month (the trend)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    hundredths = models.IntegerField(default=0)
    entries = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "year", "month"], name="hours_monthtotal_key")]
        indexes = [models.Index(fields=["year", "month"], name="hours_monthtotal_year")]

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
    hundredths = models.IntegerField(default=0)
    entries = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "year", "category", "form"], name="hours_formtotal_key")]
        indexes = [models.Index(fields=["year"], name="hours_formtotal_year")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.year} {self.category}/{self.form}: {self.hundredths / 100}"


class Exemption(models.Model):
    """An employee with no target for a year (study leave, unpaid leave: docs/domain/jp-ledger.md)."""

    class Reason(models.TextChoices):
        STUDY_LEAVE = "study_leave", _("Tugas belajar")
        UNPAID_LEAVE = "unpaid_leave", _("Cuti di luar tanggungan negara")
        OTHER = "other", _("Lainnya")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jp_exemptions")
    year = models.PositiveSmallIntegerField(_("tahun"))
    reason = models.CharField(_("alasan"), max_length=16, choices=Reason.choices)
    note = models.CharField(_("catatan"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("pembebasan target JP")
        verbose_name_plural = _("pembebasan target JP")
        constraints = [models.UniqueConstraint(fields=["user", "year"], name="exemption_user_year_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.year}: {self.get_reason_display()}"


class ReminderPoint(models.Model):
    """A day of the year on which reminders go out (configurable). Points with a year apply to that
    year only and replace the every-year points (year empty) of the same audience."""

    class Audience(models.TextChoices):
        EMPLOYEE = "employee", _("Pegawai di bawah laju")
        SUPERVISOR = "supervisor", _("Atasan: daftar anggota tim berisiko")

    year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True, help_text=_("Kosongkan: setiap tahun."))
    month = models.PositiveSmallIntegerField(_("bulan"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    day = models.PositiveSmallIntegerField(_("tanggal"), validators=[MinValueValidator(1), MaxValueValidator(31)])
    audience = models.CharField(_("penerima"), max_length=16, choices=Audience.choices)

    class Meta:
        verbose_name = _("titik pengingat JP")
        verbose_name_plural = _("titik pengingat JP")
        ordering = ["year", "month", "day"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month", "day", "audience"], name="reminderpoint_unique"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="reminderpoint_month"),
            models.CheckConstraint(condition=models.Q(day__gte=1, day__lte=31), name="reminderpoint_day"),
        ]

    def __str__(self) -> str:
        return f"{self.year or '*'}-{self.month:02d}-{self.day:02d} {self.get_audience_display()}"


class ReminderSent(models.Model):
    """One reminder sent: the unique key makes a second run of the schedule send nothing."""

    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pengingat terkirim")
        verbose_name_plural = _("pengingat terkirim")

    def __str__(self) -> str:
        return self.key


class LedgerCorrection(models.Model):
    """A credit BKPSDM adds by hand (learning the platform missed), with its reason: the evidence of a
    ``correction`` entry. Taking JP away is a revocation of the entry concerned, never a negative correction."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("tanggal kegiatan"))
    jp = models.DecimalField(_("JP"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    category = models.CharField(_("kategori kompetensi"), max_length=32)
    form = models.CharField(_("bentuk pengembangan"), max_length=32)
    title = models.CharField(_("judul"), max_length=255)
    reason = models.TextField(_("alasan"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The confirmation page's one-time key: a second tap on "Ya, catat" (or a resent form) writes nothing.
    confirmation = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("koreksi JP")
        verbose_name_plural = _("koreksi JP")
        constraints = [models.CheckConstraint(condition=models.Q(jp__gt=0), name="ledgercorrection_jp_positive")]

    def __str__(self) -> str:
        return f"{self.user} {self.date} +{self.jp} JP ({self.title})"


class ImportedCredit(models.Model):
    """One learning record imported from a trusted system (e.g. the national SIASN/SIPKA history, or the
    city's previous LMS) by BKPSDM: the evidence of an ``import`` entry. ``external_id`` makes a re-import
    credit nothing twice."""

    batch = models.CharField(_("batch impor"), max_length=100)
    external_id = models.CharField(_("ID di sistem asal"), max_length=200, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("tanggal"))
    jp = models.DecimalField(_("JP"), max_digits=6, decimal_places=2)
    category = models.CharField(_("kategori kompetensi"), max_length=32)
    form = models.CharField(_("bentuk pengembangan"), max_length=32)
    title = models.CharField(_("judul"), max_length=255)
    status = models.CharField(max_length=16, default="verified")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("catatan impor")
        verbose_name_plural = _("catatan impor")
        constraints = [models.CheckConstraint(condition=models.Q(jp__gte=0), name="importedcredit_jp_gte_0")]

    def __str__(self) -> str:
        return f"{self.batch}/{self.external_id}"


class LedgerRevocation(models.Model):
    """BKPSDM revokes a credit that looks wrong: the evidence of the reversing entry; the employee is told why."""

    # The revoked credit, by its source key: the revocation outlives a rebuild of the ledger's rows.
    source_key = models.CharField(max_length=255, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("alasan"))
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pencabutan JP")
        verbose_name_plural = _("pencabutan JP")

    def __str__(self) -> str:
        return f"{self.source_key}: {self.reason[:50]}"
