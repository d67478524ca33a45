"""Classroom training at Grha Bhakti Karya: rooms, sessions (one or more days), registration with a
waiting list, and attendance bound to the room (see ``ClassSession.CheckinMode``) or marked by the
trainer."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# Grha Bhakti Karya, Tangerang, as given by BKPSDM (not surveyed here): organisers correct it per room.
GRHA_BHAKTI_KARYA_LATITUDE = Decimal("-6.178300")
GRHA_BHAKTI_KARYA_LONGITUDE = Decimal("106.631900")


class Room(models.Model):
    name = models.CharField(_("nama ruang"), max_length=120)
    building = models.CharField(_("gedung"), max_length=120, default="Grha Bhakti Karya")
    capacity = models.PositiveSmallIntegerField(_("kapasitas"), validators=[MinValueValidator(1)])
    is_active = models.BooleanField(_("aktif"), default=True)
    # The venue, for sessions whose check-in mode is "location" (the weakest mode: a browser's position
    # can be faked by a determined user).
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        default=GRHA_BHAKTI_KARYA_LATITUDE,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        default=GRHA_BHAKTI_KARYA_LONGITUDE,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    checkin_radius_m = models.PositiveIntegerField(
        _("radius presensi (meter)"),
        default=150,
        validators=[MinValueValidator(10)],
        help_text=_("Untuk mode presensi lokasi: jarak terjauh ponsel dari titik gedung."),
    )
    checkin_max_accuracy_m = models.PositiveIntegerField(
        _("akurasi lokasi terburuk (meter)"),
        default=100,
        validators=[MinValueValidator(5)],
        help_text=_("Untuk mode presensi lokasi: lokasi yang lebih kabur dari ini ditolak."),
    )

    class Meta:
        verbose_name = _("ruang kelas")
        verbose_name_plural = _("ruang kelas")
        ordering = ["building", "name"]
        constraints = [
            models.UniqueConstraint(fields=["building", "name"], name="room_building_name_unique"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="room_capacity_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.building})"


def _checkin_secret() -> str:
    return secrets.token_hex(20)


class ClassSession(models.Model):
    """One run of a classroom or blended course (angkatan), on one or more days."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Terjadwal")
        CLOSED = "closed", _("Ditutup")
        CANCELLED = "cancelled", _("Dibatalkan")

    class CheckinMode(models.TextChoices):
        """How a check-in is bound to the room: the shared room code alone never credits attendance,
        since it can be sent by chat to someone who is not there."""

        # The learner types the room code; it is pending until the trainer confirms the person is there.
        TRAINER_CONFIRMS = "trainer_confirms", _("Kode ruang, dikonfirmasi pelatih")
        # Each learner shows a one-time QR of their own; the trainer scans it (or types its short code).
        PERSONAL_QR = "personal_qr", _("QR pribadi peserta, dipindai pelatih")
        # The room code plus the phone's position within the room's radius. The weakest: a browser's
        # position can be faked by a determined user.
        LOCATION = "location", _("Kode ruang dan lokasi ponsel (paling lemah)")

    course = models.ForeignKey(
        "content.CoursePage", verbose_name=_("kursus"), on_delete=models.PROTECT, related_name="class_sessions"
    )
    title = models.CharField(_("judul angkatan"), max_length=200, blank=True, help_text=_("Mis. Angkatan II"))
    room = models.ForeignKey(Room, verbose_name=_("ruang"), on_delete=models.PROTECT, related_name="sessions")
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("pelatih"), related_name="sessions_trained", blank=True
    )
    capacity = models.PositiveSmallIntegerField(
        _("kuota peserta"), validators=[MinValueValidator(1)], help_text=_("Tidak boleh melebihi kapasitas ruang.")
    )
    jp = models.DecimalField(
        _("JP"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Kosongkan untuk memakai JP kursus."),
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    checkin_mode = models.CharField(
        _("cara presensi"),
        max_length=20,
        choices=CheckinMode.choices,
        default=CheckinMode.TRAINER_CONFIRMS,
        help_text=_(
            "Kode ruang saja tidak pernah mencatat kehadiran. Konfirmasi pelatih: cocok untuk kelas biasa. "
            "QR pribadi: paling ketat, pelatih memindai ponsel tiap peserta. Lokasi: paling lemah, lokasi "
            "ponsel bisa dipalsukan."
        ),
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # Key of the rotating check-in code (HMAC of the session, day and time window).
    checkin_secret = models.CharField(max_length=64, default=_checkin_secret, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sesi kelas")
        verbose_name_plural = _("sesi kelas")
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="classsession_capacity_gte_1")]

    def __str__(self) -> str:
        return f"{self.course.title}{' - ' + self.title if self.title else ''}"

    @property
    def display_title(self) -> str:
        return str(self)

    @property
    def credit_jp(self) -> Decimal:
        return self.jp if self.jp is not None else self.course.jp


class SessionDay(models.Model):
    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("tanggal"))
    starts_at = models.TimeField(_("mulai"))
    ends_at = models.TimeField(_("selesai"))

    class Meta:
        verbose_name = _("hari kelas")
        verbose_name_plural = _("hari kelas")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["session", "date"], name="sessionday_session_date_unique"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="sessionday_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"

    @property
    def minutes(self) -> int:
        start = dt.datetime.combine(self.date, self.starts_at)
        return int((dt.datetime.combine(self.date, self.ends_at) - start).total_seconds() // 60)


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Terdaftar")
        WAITLISTED = "waitlisted", _("Daftar tunggu")
        CANCELLED = "cancelled", _("Dibatalkan")

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="class_registrations")
    status = models.CharField(max_length=16, choices=Status.choices)
    # The xAPI registration tying this participant's statements together.
    registration = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Order of the waiting list: when the person (re)joined it.
    queued_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    # The session's course while this registration holds or waits for a seat in a scheduled session, else
    # empty (cancelled, or the session closed or cancelled): one live booking per person and course, which
    # the database holds too. Kept by the services (``services.registration_booking_sync``).
    booked_course = models.ForeignKey(
        "content.CoursePage", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("pendaftaran kelas")
        verbose_name_plural = _("pendaftaran kelas")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="registration_session_user_unique"),
            models.UniqueConstraint(fields=["user", "booked_course"], name="registration_one_live_cohort_per_course"),
        ]
        indexes = [models.Index(fields=["session", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.user} - {self.session} ({self.status})"


class Attendance(models.Model):
    """Confirmed presence on one day: the only thing that counts for the attendance statement and the
    JP credit (a check-in waiting for the trainer is a ``CheckinRequest``)."""

    class Method(models.TextChoices):
        # Before check-ins were bound to the room: the shared code alone (kept for old rows only).
        QR = "qr", _("Pindai kode QR")
        MANUAL = "manual", _("Dicatat pelatih")
        CONFIRMED = "confirmed", _("Kode ruang, dikonfirmasi pelatih")
        PERSONAL_QR = "personal_qr", _("QR pribadi dipindai pelatih")
        LOCATION = "location", _("Kode ruang dan lokasi ponsel")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendances")
    day = models.ForeignKey(SessionDay, on_delete=models.PROTECT, related_name="attendances")
    method = models.CharField(max_length=16, choices=Method.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_at = models.DateTimeField()
    statement_id = models.UUIDField(null=True, blank=True)

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="attendance_registration_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.registration.user} {self.day.date}"


class CheckinRequest(models.Model):
    """A check-in with the room code in a ``trainer_confirms`` session: it counts for nothing until the
    trainer confirms the person is in the room (then an ``Attendance`` is recorded)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu konfirmasi pelatih")
        CONFIRMED = "confirmed", _("Dikonfirmasi pelatih")
        REJECTED = "rejected", _("Ditolak pelatih")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="checkin_requests")
    day = models.ForeignKey(SessionDay, on_delete=models.PROTECT, related_name="checkin_requests")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("permintaan presensi")
        verbose_name_plural = _("permintaan presensi")
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="checkinrequest_registration_day_unique")
        ]
        indexes = [models.Index(fields=["day", "status"])]

    def __str__(self) -> str:
        return f"{self.registration.user} {self.day.date} ({self.status})"


class PersonalTokenUse(models.Model):
    """A learner's one-time QR (``personal_qr`` sessions) that the trainer has used: the same token never
    records twice, even after the trainer removed the attendance it made."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    day = models.ForeignKey(SessionDay, on_delete=models.CASCADE, related_name="+")
    window = models.BigIntegerField()
    used_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    used_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "day", "window"], name="personaltokenuse_once")]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.day_id} {self.window}"
