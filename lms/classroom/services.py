"""Classroom writes: registration with a waiting list, check-in bound to the room, attendance,
closing a class (JP credit through the ledger, certificates).

Seats: a session has as many as its quota, never more than its room holds, whichever path registers
(the page, the demo, a script, an admin who raised a quota or shrank a room). Two people taking the
last seat at once: the session row is locked (``select_for_update``) while the seats are counted, so
one gets the seat and the other is put on the waiting list.

Check-in: the six-digit room code rotates, but it can still be sent by chat to someone who is not in
the room, so the code alone never records attendance. What binds a check-in to the room is the
session's ``checkin_mode``:

- ``trainer_confirms``: the code makes a pending ``CheckinRequest``; the trainer confirms the people in
  the room (one by one or all at once) and only then is an ``Attendance`` recorded.
- ``personal_qr``: each learner shows a QR of their own (an HMAC of the learner, the day and a short
  time window, usable once); the trainer scans it or types its short code. The room code does nothing.
- ``location``: the code plus the browser's position, within the room's radius and with a good enough
  accuracy. The weakest mode: a determined user can fake the position their browser reports.

Only an ``Attendance`` row makes the attendance statement, and only those rows count when the class is
closed and JP are credited."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.courses.selectors import prerequisites_missing, titles
from lms.events import EVENT_SESSION_ATTENDED
from lms.hours.evidence import credit_for_statement, ledger_source_key
from lms.hours.models import LedgerEntry
from lms.hours.selectors import JAKARTA, jakarta_date, jp_allowed, year_policy
from lms.hours.services import ledger_credit
from lms.xapi.transformers import learning_event_record
from lms.xapi.transformers.classroom import statement_void
from shell import events, formatting
from shell.inbox.services import notification_create

from .models import Attendance, CheckinRequest, ClassSession, PersonalTokenUse, Registration, Room, SessionDay
from .selectors import attended_share, session_is_trainer, session_seats, session_seats_taken

# Published after commit when a participant's attendance is credited (e-Kinerja makes it an activity).


class ClassroomError(Exception):
    """A request the person can correct; the message says how."""


# Registration ------------------------------------------------------------------------------------


def _first_start(session: ClassSession) -> dt.datetime | None:
    day = session.days.order_by("date").first()
    return dt.datetime.combine(day.date, day.starts_at, tzinfo=JAKARTA) if day else None


def check_registration_create(*, user, session_id: int, now: dt.datetime | None = None) -> Registration:
    """A learner registers themself: a seat if one is free, else the waiting list."""
    if not user.has_perm("lms.enroll_self"):
        raise ClassroomError(_("Akun Anda tidak dapat mendaftar kelas. Hubungi admin SDM."))
    _check_prerequisites(user=user, session_id=session_id)
    return registration_create(user=user, session_id=session_id, now=now)


def _check_prerequisites(*, user, session_id: int) -> None:
    """A class of a course with prerequisites takes those who completed them (a seat already held stays)."""
    session = ClassSession.objects.select_related("course").filter(pk=session_id).first()
    if (
        session is None
        or Registration.objects.filter(session=session, user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .exists()
    ):
        return
    missing = prerequisites_missing(user=user, course=session.course)
    if missing:
        raise ClassroomError(
            _("Selesaikan dulu kursus prasyarat: %(courses)s. Setelah itu Anda dapat mendaftar kelas ini.")
            % {"courses": titles(missing)}
        )


def registration_create(*, user, session_id: int, now: dt.datetime | None = None) -> Registration:
    """Register ``user``: a seat if one of the session's seats (its quota, never more than its room
    holds) is free, else the waiting list. Every path that registers someone comes through here.

    One person, one cohort of a course: a second live registration (a seat or the waiting list of a
    scheduled session) of the same course is refused, and so is a new cohort of a course whose class
    already credited the person's JP. The person's row is locked first, so that two cohorts booked at
    the same moment are refused like one after the other; the database holds the rule too
    (``Registration.booked_course``)."""
    now = now or timezone.now()
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        # Only the session row is locked: sessions sharing a room register independently.
        session = (
            ClassSession.objects.select_for_update(of=("self",)).select_related("room").filter(pk=session_id).first()
        )
        if session is None:
            raise ClassroomError(_("Kelas ini tidak ditemukan."))
        if session.status != ClassSession.Status.SCHEDULED:
            raise ClassroomError(_("Pendaftaran kelas ini sudah ditutup."))
        start = _first_start(session)
        if start is None or start <= now:
            raise ClassroomError(_("Kelas ini sudah dimulai; pendaftaran ditutup."))
        registration = Registration.objects.filter(session=session, user=user).first()
        if registration is not None and registration.status != Registration.Status.CANCELLED:
            return registration
        _check_one_cohort(user=user, session=session)
        taken = session_seats_taken(session=session)
        status = (
            Registration.Status.REGISTERED if taken < session_seats(session=session) else Registration.Status.WAITLISTED
        )
        if registration is None:
            registration = Registration.objects.create(
                session=session, user=user, status=status, queued_at=now, booked_course_id=session.course_id
            )
        else:
            registration.status, registration.queued_at = status, now
            registration.booked_course_id = session.course_id
            registration.save(update_fields=["status", "queued_at", "booked_course", "updated_at"])
    return registration


def _check_one_cohort(*, user, session: ClassSession) -> None:
    """Refuse a second cohort of ``session``'s course: one still to come, or one that credited JP."""
    other = (
        Registration.objects.filter(user=user, booked_course_id=session.course_id)
        .exclude(session=session)
        .select_related("session__course")
        .first()
    )
    if other is not None:
        raise ClassroomError(
            _(
                "Anda sudah terdaftar di %(session)s, angkatan lain dari kursus yang sama. Satu orang ikut satu "
                "angkatan per kursus: batalkan pendaftaran itu dulu bila ingin pindah angkatan."
            )
            % {"session": other.session.display_title}
        )
    closed = ClassSession.objects.filter(course_id=session.course_id, status=ClassSession.Status.CLOSED)
    keys = [
        ledger_source_key(kind=LedgerEntry.SourceKind.CLASSROOM, ref=pk, user_id=user.pk)
        for pk in closed.values_list("pk", flat=True)
    ]
    credited = set(LedgerEntry.objects.filter(source_key__in=keys).values_list("source_key", flat=True))
    reversed_ = {
        key.removeprefix("reversal:")
        for key in LedgerEntry.objects.filter(source_key__in=[f"reversal:{k}" for k in credited]).values_list(
            "source_key", flat=True
        )
    }
    if credited - reversed_:
        raise ClassroomError(
            _(
                "Anda sudah mendapat JP dari kelas kursus ini pada angkatan sebelumnya; kursus yang sama tidak diikuti dua kali."
            )
        )


def registration_booking_sync(*, session: ClassSession) -> None:
    """Bring the bookings of ``session``'s registrations in line with its status and course: a closed or
    cancelled session books nothing any more; a scheduled one books its course for those who hold or wait
    for a seat (unless they booked another cohort of that course in the meantime)."""
    registrations = Registration.objects.filter(session=session)
    if session.status != ClassSession.Status.SCHEDULED:
        registrations.exclude(booked_course=None).update(booked_course=None)
        return
    live = (Registration.Status.REGISTERED, Registration.Status.WAITLISTED)
    registrations.exclude(status__in=live).exclude(booked_course=None).update(booked_course=None)
    holding = registrations.filter(status__in=live)
    # Moved to another course in the admin: the old course is no longer booked here.
    holding.exclude(booked_course=None).exclude(booked_course_id=session.course_id).update(booked_course=None)
    elsewhere = Registration.objects.filter(booked_course_id=session.course_id).exclude(session=session)
    holding.filter(booked_course=None).exclude(user_id__in=elsewhere.values("user_id")).update(
        booked_course_id=session.course_id
    )


def registration_cancel(*, registration: Registration, now: dt.datetime | None = None) -> Registration:
    """The participant cancels; a freed seat goes to the first person on the waiting list, who is told."""
    now = now or timezone.now()
    with transaction.atomic():
        session = ClassSession.objects.select_for_update().get(pk=registration.session_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return registration
        if session.status != ClassSession.Status.SCHEDULED:
            raise ClassroomError(_("Kelas ini sudah ditutup; pendaftaran tidak bisa dibatalkan."))
        if registration.attendances.exists():
            raise ClassroomError(_("Anda sudah tercatat hadir; pendaftaran tidak bisa dibatalkan."))
        freed = registration.status == Registration.Status.REGISTERED
        registration.status, registration.booked_course = Registration.Status.CANCELLED, None
        registration.save(update_fields=["status", "booked_course", "updated_at"])
        if freed:
            waitlist_promote(session=session)
    return registration


def waitlist_promote(*, session: ClassSession) -> list[Registration]:
    """Fill free seats from the waiting list in order (the caller holds the session lock)."""
    free = session_seats(session=session) - session_seats_taken(session=session)
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.filter(session=session, status=Registration.Status.WAITLISTED).order_by("queued_at", "pk")[
            :free
        ]
    )
    for reg in promoted:
        reg.status = Registration.Status.REGISTERED
        reg.save(update_fields=["status", "updated_at"])
        notification_create(
            user=reg.user,
            kind="lms.class_seat_offered",
            title=_("Anda mendapat kursi di %(session)s") % {"session": session.display_title},
            body=_("Seorang peserta membatalkan; Anda naik dari daftar tunggu dan kini terdaftar."),
            url=f"/belajar/kelas/{session.pk}/",
            dedupe_key=f"classroom-seat:{reg.pk}:{reg.queued_at.isoformat()}",
        )
    return promoted


def session_cancel(*, session: ClassSession, reason: str) -> int:
    """Cancel a scheduled class and tell everyone registered or waiting; returns how many were told."""
    with transaction.atomic():
        session = ClassSession.objects.select_for_update().get(pk=session.pk)
        if session.status != ClassSession.Status.SCHEDULED:
            raise ClassroomError(_("Hanya kelas terjadwal yang bisa dibatalkan."))
        session.status = ClassSession.Status.CANCELLED
        session.save(update_fields=["status"])
        registration_booking_sync(session=session)
        told = 0
        for reg in session.registrations.exclude(status=Registration.Status.CANCELLED).select_related("user"):
            notification_create(
                user=reg.user,
                kind="lms.class_cancelled",
                title=_("Kelas dibatalkan: %(session)s") % {"session": session.display_title},
                body=reason,
                url=f"/belajar/kelas/{session.pk}/",
                dedupe_key=f"classroom-cancelled:{reg.pk}",
            )
            told += 1
    return told


def session_capacity_changed(*, session: ClassSession) -> list[Registration]:
    """After the quota was raised (admin): fill the new seats from the waiting list."""
    with transaction.atomic():
        session = ClassSession.objects.select_for_update().get(pk=session.pk)
        if session.status != ClassSession.Status.SCHEDULED:
            return []
        return waitlist_promote(session=session)


# Check-in codes ----------------------------------------------------------------------------------


CHECKIN_MAX_FAILURES = 5


def _window_seconds() -> int:
    return settings.CLASSROOM_CHECKIN_WINDOW_SECONDS


def checkin_code(*, session: ClassSession, day: SessionDay, window: int) -> str:
    """Six digits from an HMAC of the session's secret, the day and the time window."""
    message = f"{session.pk}|{day.date.isoformat()}|{window}".encode()
    digest = hmac.new(session.checkin_secret.encode(), message, hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


@dataclass(frozen=True)
class ShownCode:
    day: SessionDay
    code: str
    expires_at: dt.datetime


def session_day_on(*, session: ClassSession, date: dt.date) -> SessionDay | None:
    return session.days.filter(date=date).first()


def checkin_code_current(*, session: ClassSession, now: dt.datetime | None = None) -> ShownCode | None:
    """The room code the trainer shows now, or None when the session has no day today or its check-in
    mode does not use a room code (``personal_qr``)."""
    now = now or timezone.now()
    if session.checkin_mode == ClassSession.CheckinMode.PERSONAL_QR:
        return None
    day = session_day_on(session=session, date=jakarta_date(now))
    if day is None:
        return None
    seconds = _window_seconds()
    window = int(now.timestamp()) // seconds
    expires = dt.datetime.fromtimestamp((window + 1) * seconds, tz=dt.UTC)
    return ShownCode(day, checkin_code(session=session, day=day, window=window), expires)


def checkin_code_valid(*, session: ClassSession, day: SessionDay, code: str, now: dt.datetime) -> bool:
    """The current window's code, or the previous one within a short grace (the learner was typing)."""
    seconds = _window_seconds()
    window = int(now.timestamp()) // seconds
    candidates = [window]
    if now.timestamp() - window * seconds < settings.CLASSROOM_CHECKIN_GRACE_SECONDS:
        candidates.append(window - 1)
    code = (code or "").strip()
    return any(hmac.compare_digest(code, checkin_code(session=session, day=day, window=w)) for w in candidates)


@dataclass(frozen=True)
class Location:
    """What the browser's Geolocation API reported (``coords``): easy to fake for a determined user."""

    latitude: float
    longitude: float
    accuracy_m: float


def location_from_input(*, latitude: str, longitude: str, accuracy: str) -> Location | None:
    """The position the check-in page sent, or None when it sent none (location refused or unsupported)."""
    if not any((latitude, longitude, accuracy)):
        return None
    try:
        location = Location(float(latitude), float(longitude), float(accuracy))
    except (TypeError, ValueError):
        location = None
    if (
        location is None
        or not all(math.isfinite(v) for v in (location.latitude, location.longitude, location.accuracy_m))
        or not (-90 <= location.latitude <= 90 and -180 <= location.longitude <= 180 and location.accuracy_m >= 0)
    ):
        raise ClassroomError(_("Data lokasi dari ponsel tidak terbaca. Muat ulang halaman presensi dan coba lagi."))
    return location


EARTH_RADIUS_M = 6_371_008.8


def distance_m(*, latitude_1: float, longitude_1: float, latitude_2: float, longitude_2: float) -> float:
    """Great-circle distance (haversine); metres are plenty exact at a building's scale."""
    phi_1, phi_2 = math.radians(latitude_1), math.radians(latitude_2)
    d_phi, d_lambda = phi_2 - phi_1, math.radians(longitude_2 - longitude_1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi_1) * math.cos(phi_2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


def location_check(*, room: Room, location: Location | None) -> None:
    """The phone is within the room's radius, with a position precise enough to tell. Weak by nature:
    the browser reports whatever position it is told, so a determined user can fake it."""
    if location is None:
        raise ClassroomError(
            _(
                "Kelas ini memeriksa lokasi ponsel. Izinkan akses lokasi untuk situs ini di peramban, "
                "lalu tekan “Saya hadir” lagi."
            )
        )
    if location.accuracy_m > room.checkin_max_accuracy_m:
        raise ClassroomError(
            _(
                "Lokasi ponsel Anda kurang akurat (±%(accuracy)s m; paling kabur ±%(limit)s m). Nyalakan GPS "
                "dan Wi-Fi, tunggu sebentar, lalu coba lagi."
            )
            % {"accuracy": round(location.accuracy_m), "limit": room.checkin_max_accuracy_m}
        )
    distance = distance_m(
        latitude_1=location.latitude,
        longitude_1=location.longitude,
        latitude_2=float(room.latitude),
        longitude_2=float(room.longitude),
    )
    if distance > room.checkin_radius_m:
        raise ClassroomError(
            _(
                "Ponsel Anda berada sekitar %(distance)s m dari %(building)s; presensi hanya bisa dalam radius "
                "%(radius)s m. Bila Anda sudah di ruang kelas, minta pelatih mencatat kehadiran Anda."
            )
            % {"distance": round(distance), "building": room.building, "radius": room.checkin_radius_m}
        )


def check_checkin(
    *, user, session_id: int, code: str, location: Location | None = None, now: dt.datetime | None = None
) -> Attendance | CheckinRequest:
    """A learner checks in with the room code shown in class. The code alone records nothing: in a
    ``trainer_confirms`` session it makes a request the trainer confirms, in a ``location`` session the
    phone must also be at the venue, in a ``personal_qr`` session it is refused."""
    now = now or timezone.now()
    session = ClassSession.objects.select_related("room").filter(pk=session_id).first()
    if session is None:
        raise ClassroomError(_("Kelas ini tidak ditemukan."))
    if session.status != ClassSession.Status.SCHEDULED:
        raise ClassroomError(_("Kelas ini sudah ditutup; presensi tidak bisa dicatat lagi."))
    registration = Registration.objects.filter(session=session, user=user).first()
    if registration is None or registration.status == Registration.Status.CANCELLED:
        raise ClassroomError(_("Anda tidak terdaftar di kelas ini."))
    if registration.status == Registration.Status.WAITLISTED:
        raise ClassroomError(_("Anda masih di daftar tunggu kelas ini; presensi hanya untuk peserta terdaftar."))
    if session.checkin_mode == ClassSession.CheckinMode.PERSONAL_QR:
        raise ClassroomError(
            _(
                "Kelas ini memakai QR pribadi: buka “QR presensi saya” dan tunjukkan kepada pelatih. "
                "Kode ruang tidak mencatat kehadiran di kelas ini."
            )
        )
    day = session_day_on(session=session, date=jakarta_date(now))
    if day is None:
        raise ClassroomError(_("Hari ini tidak ada jadwal kelas ini."))
    if not code or not code.strip().isdigit() or len(code.strip()) != 6:
        raise ClassroomError(_("Kode presensi terdiri dari 6 angka. Pindai kode QR atau ketik kode di layar kelas."))
    # Six digits are guessable by brute force: a few wrong tries per window, then wait for the next code.
    failures_key = f"classroom-checkin-failures:{session.pk}:{user.pk}:{int(now.timestamp()) // _window_seconds()}"
    if cache.get(failures_key, 0) >= CHECKIN_MAX_FAILURES:
        raise ClassroomError(_("Terlalu banyak kode salah. Tunggu kode berikutnya di layar kelas, lalu coba lagi."))
    if not checkin_code_valid(session=session, day=day, code=code, now=now):
        cache.add(failures_key, 0, timeout=2 * _window_seconds())
        cache.incr(failures_key)
        raise ClassroomError(
            _("Kode presensi salah atau sudah kedaluwarsa. Pindai kode yang sedang tampil di layar kelas.")
        )
    if session.checkin_mode == ClassSession.CheckinMode.LOCATION:
        location_check(room=session.room, location=location)
        return attendance_record(registration=registration, day=day, method=Attendance.Method.LOCATION, at=now)
    return checkin_request_create(registration=registration, day=day, at=now)


def checkin_request_create(
    *, registration: Registration, day: SessionDay, at: dt.datetime
) -> Attendance | CheckinRequest:
    """The learner's check-in waits for the trainer (once per day; a second scan changes nothing). When
    the trainer already recorded them present, that attendance is the answer."""
    attendance = Attendance.objects.filter(registration=registration, day=day).first()
    if attendance is not None:
        return attendance
    request, _created = CheckinRequest.objects.get_or_create(
        registration=registration, day=day, defaults={"requested_at": at}
    )
    if request.status == CheckinRequest.Status.REJECTED:
        raise ClassroomError(
            _("Pelatih tidak mengonfirmasi presensi Anda hari ini. Bila Anda ada di kelas, temui pelatih.")
        )
    return request


def _require_trainer(*, session: ClassSession, user, message: str) -> None:
    if not session_is_trainer(session=session, user=user):
        raise ClassroomError(message)


def checkin_requests_decide(
    *,
    trainer,
    session: ClassSession,
    day_id: int,
    confirm: bool,
    request_ids: list[int] | None = None,
    now: dt.datetime | None = None,
) -> list[CheckinRequest]:
    """The trainer confirms (or rejects) pending check-ins of one day: the listed ones, or all of them
    when ``request_ids`` is None. A confirmed check-in becomes an attendance, at the time it was made."""
    now = now or timezone.now()
    _require_trainer(
        session=session, user=trainer, message=_("Hanya pelatih kelas ini yang dapat mengonfirmasi presensi.")
    )
    if session.status != ClassSession.Status.SCHEDULED:
        raise ClassroomError(_("Kelas ini sudah ditutup; presensi tidak bisa diubah."))
    day = session.days.filter(pk=day_id).first()
    if day is None:
        raise ClassroomError(_("Hari itu bukan bagian dari kelas ini. Muat ulang halaman dan coba lagi."))
    with transaction.atomic():
        pending = CheckinRequest.objects.select_for_update(of=("self",)).filter(
            day=day,
            registration__session=session,
            registration__status=Registration.Status.REGISTERED,
            status=CheckinRequest.Status.PENDING,
        )
        if request_ids is not None:
            pending = pending.filter(pk__in=request_ids)
        decided = list(pending.select_related("registration__user", "registration__session__course"))
        for request in decided:
            request.status = CheckinRequest.Status.CONFIRMED if confirm else CheckinRequest.Status.REJECTED
            request.decided_by, request.decided_at = trainer, now
            request.save(update_fields=["status", "decided_by", "decided_at"])
            if confirm:
                attendance_record(
                    registration=request.registration,
                    day=day,
                    method=Attendance.Method.CONFIRMED,
                    at=request.requested_at,
                    marked_by=trainer,
                )
            else:
                _tell_checkin_rejected(request=request)
    return decided


def _tell_attendance_recorded(*, attendance: Attendance) -> None:
    """The learner waited for someone else (the trainer confirmed, scanned or marked them): say it is done."""
    registration, day = attendance.registration, attendance.day
    session = registration.session
    notification_create(
        user=registration.user,
        kind="lms.class_attendance_recorded",
        title=_("Kehadiran tercatat: %(session)s") % {"session": session.display_title},
        body=_("Kehadiran Anda pada %(date)s tercatat (%(how)s).")
        % {"date": formatting.short_date(day.date), "how": attendance.get_method_display()},
        url=f"/belajar/kelas/{session.pk}/",
        dedupe_key=f"classroom-present:{registration.pk}:{day.pk}",
    )


def _tell_checkin_rejected(*, request: CheckinRequest) -> None:
    registration = request.registration
    session = registration.session
    notification_create(
        user=registration.user,
        kind="lms.class_checkin_rejected",
        title=_("Presensi tidak dikonfirmasi: %(session)s") % {"session": session.display_title},
        body=_("Pelatih tidak mengonfirmasi presensi Anda pada %(date)s. Bila Anda ada di kelas, temui pelatih.")
        % {"date": formatting.short_date(request.day.date)},
        url=f"/belajar/kelas/{session.pk}/",
        dedupe_key=f"classroom-checkin-rejected:{request.pk}",
    )


# Personal one-time QR (personal_qr sessions) -----------------------------------------------------------

PERSONAL_CODE_DIGITS = 8


def _personal_window_seconds() -> int:
    return settings.CLASSROOM_PERSONAL_QR_SECONDS


def personal_code(*, session: ClassSession, registration: Registration, day: SessionDay, window: int) -> str:
    """Eight digits from an HMAC of the session's secret, the learner's registration, the day and a short
    time window: what the learner's QR carries and what the trainer may type instead."""
    message = f"personal|{registration.pk}|{day.date.isoformat()}|{window}".encode()
    digest = hmac.new(session.checkin_secret.encode(), message, hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**PERSONAL_CODE_DIGITS:0{PERSONAL_CODE_DIGITS}d}"


@dataclass(frozen=True)
class PersonalQr:
    day: SessionDay
    code: str
    token: str
    expires_at: dt.datetime


def personal_qr_current(*, registration: Registration, now: dt.datetime | None = None) -> PersonalQr:
    """The learner's own check-in QR for today, valid for this window and the next one."""
    now = now or timezone.now()
    session = registration.session
    if session.checkin_mode != ClassSession.CheckinMode.PERSONAL_QR:
        raise ClassroomError(_("Kelas ini tidak memakai QR pribadi. Pakai kode di layar kelas."))
    if session.status != ClassSession.Status.SCHEDULED:
        raise ClassroomError(_("Kelas ini sudah ditutup; presensi tidak bisa dicatat lagi."))
    if registration.status != Registration.Status.REGISTERED:
        raise ClassroomError(_("QR presensi hanya untuk peserta terdaftar kelas ini."))
    day = session_day_on(session=session, date=jakarta_date(now))
    if day is None:
        raise ClassroomError(_("Hari ini tidak ada jadwal kelas ini."))
    seconds = _personal_window_seconds()
    window = int(now.timestamp()) // seconds
    code = personal_code(session=session, registration=registration, day=day, window=window)
    expires = dt.datetime.fromtimestamp((window + 1) * seconds, tz=dt.UTC)
    return PersonalQr(day=day, code=code, token=f"{registration.pk}.{window}.{code}", expires_at=expires)


@dataclass(frozen=True)
class PersonalScan:
    registration: Registration
    day: SessionDay
    window: int
    token: str
    already_present: bool


def personal_qr_resolve(
    *, trainer, session: ClassSession, token: str = "", code: str = "", now: dt.datetime | None = None
) -> PersonalScan:
    """Whose QR the trainer scanned (``token``, from the QR's link) or whose short code they typed, so
    the trainer sees the name before recording. A QR counts in its window and the next, once."""
    now = now or timezone.now()
    _require_trainer(
        session=session, user=trainer, message=_("Hanya pelatih kelas ini yang dapat memindai QR presensi.")
    )
    if session.status != ClassSession.Status.SCHEDULED:
        raise ClassroomError(_("Kelas ini sudah ditutup; presensi tidak bisa dicatat lagi."))
    if session.checkin_mode != ClassSession.CheckinMode.PERSONAL_QR:
        raise ClassroomError(_("Kelas ini tidak memakai QR pribadi peserta."))
    day = session_day_on(session=session, date=jakarta_date(now))
    if day is None:
        raise ClassroomError(_("Hari ini tidak ada jadwal kelas ini."))
    current = int(now.timestamp()) // _personal_window_seconds()
    windows = (current, current - 1)
    seated = Registration.objects.filter(session=session, status=Registration.Status.REGISTERED).select_related("user")
    found: list[tuple[Registration, int, str]] = []
    token, code = (token or "").strip(), "".join((code or "").split()).replace("-", "")
    if token:
        parts = token.split(".")
        if len(parts) != 3 or not all(part.isdigit() and len(part) < 20 for part in parts):
            raise ClassroomError(_("QR ini bukan QR presensi. Minta peserta membuka “QR presensi saya”."))
        registration = seated.filter(pk=int(parts[0])).first()
        window = int(parts[1])
        if registration is not None and window in windows:
            expected = personal_code(session=session, registration=registration, day=day, window=window)
            if hmac.compare_digest(expected, parts[2]):
                found.append((registration, window, parts[2]))
    elif code:
        if not code.isdigit() or len(code) != PERSONAL_CODE_DIGITS:
            raise ClassroomError(_("Kode QR pribadi terdiri dari 8 angka, tertulis di bawah QR peserta."))
        for registration in seated:
            for window in windows:
                if hmac.compare_digest(
                    personal_code(session=session, registration=registration, day=day, window=window), code
                ):
                    found.append((registration, window, code))
    else:
        raise ClassroomError(_("Pindai QR peserta dengan kamera, atau ketik 8 angka di bawah QR-nya."))
    if len(found) != 1:
        raise ClassroomError(
            _(
                "QR atau kode ini tidak berlaku (salah, kedaluwarsa, atau untuk kelas atau hari lain). Minta "
                "peserta membuka ulang “QR presensi saya”."
            )
        )
    registration, window, code = found[0]
    if PersonalTokenUse.objects.filter(registration=registration, day=day, window=window).exists():
        raise ClassroomError(_("QR ini sudah dipakai. Minta peserta menampilkan QR barunya."))
    return PersonalScan(
        registration=registration,
        day=day,
        window=window,
        token=f"{registration.pk}.{window}.{code}",
        already_present=Attendance.objects.filter(registration=registration, day=day).exists(),
    )


def check_personal_qr_scan(*, trainer, session: ClassSession, token: str, now: dt.datetime | None = None) -> Attendance:
    """The trainer records the learner whose QR they scanned; the QR is used up."""
    now = now or timezone.now()
    scan = personal_qr_resolve(trainer=trainer, session=session, token=token, now=now)
    with transaction.atomic():
        try:
            with transaction.atomic():
                PersonalTokenUse.objects.create(
                    registration=scan.registration, day=scan.day, window=scan.window, used_by=trainer, used_at=now
                )
        except IntegrityError:
            raise ClassroomError(_("QR ini sudah dipakai. Minta peserta menampilkan QR barunya.")) from None
        return attendance_record(
            registration=scan.registration,
            day=scan.day,
            method=Attendance.Method.PERSONAL_QR,
            at=now,
            marked_by=trainer,
        )


# Attendance ------------------------------------------------------------------------------------------


def attendance_record(
    *, registration: Registration, day: SessionDay, method: str, at: dt.datetime, marked_by=None
) -> Attendance:
    """Record one participant's presence on one day, once (a second scan changes nothing)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    registration=registration, day=day, method=method, marked_by=marked_by, checked_in_at=at
                )
        except IntegrityError:
            return Attendance.objects.get(registration=registration, day=day)
        recorded = learning_event_record(
            "classroom.day.attended",
            user=registration.user,
            enrollment=registration,
            timestamp=at,
            day=day,
            method=method,
        )
        attendance.statement_id = recorded.statement.id
        attendance.save(update_fields=["statement_id"])
        if marked_by is not None:
            _tell_attendance_recorded(attendance=attendance)
    return attendance


def attendance_mark(
    *, trainer, session: ClassSession, registration_id: int, day_id: int, present: bool, now=None
) -> None:
    """The trainer marks (or un-marks) a participant's presence by hand; a check-in of theirs waiting
    for confirmation that day is decided the same way."""
    now = now or timezone.now()
    _require_trainer(session=session, user=trainer, message=_("Hanya pelatih kelas ini yang dapat mencatat presensi."))
    if session.status != ClassSession.Status.SCHEDULED:
        raise ClassroomError(_("Kelas ini sudah ditutup; presensi tidak bisa diubah."))
    registration = Registration.objects.filter(
        pk=registration_id, session=session, status=Registration.Status.REGISTERED
    ).first()
    day = session.days.filter(pk=day_id).first()
    if registration is None or day is None:
        raise ClassroomError(_("Peserta atau hari itu bukan bagian dari kelas ini."))
    if day.date > jakarta_date(now):
        raise ClassroomError(_("Presensi hari yang belum tiba tidak bisa dicatat."))
    with transaction.atomic():
        waiting = list(
            CheckinRequest.objects.filter(registration=registration, day=day, status=CheckinRequest.Status.PENDING)
        )
        CheckinRequest.objects.filter(registration=registration, day=day).exclude(
            status=CheckinRequest.Status.CONFIRMED if present else CheckinRequest.Status.REJECTED
        ).update(
            status=CheckinRequest.Status.CONFIRMED if present else CheckinRequest.Status.REJECTED,
            decided_by=trainer,
            decided_at=now,
        )
        if not present:
            for request in waiting:
                _tell_checkin_rejected(request=request)
        if present:
            attendance_record(
                registration=registration, day=day, method=Attendance.Method.MANUAL, at=now, marked_by=trainer
            )
            return
        attendance = Attendance.objects.select_for_update().filter(registration=registration, day=day).first()
        if attendance is None:
            return
        if attendance.statement_id:
            statement_void(statement_id=attendance.statement_id, by_user=trainer, timestamp=now)
        attendance.delete()


# Closing a class ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CloseResult:
    credited: list[tuple[Registration, Decimal]]
    not_credited: list[tuple[Registration, Decimal]]


def _end_of(day: SessionDay) -> dt.datetime:
    return dt.datetime.combine(day.date, day.ends_at, tzinfo=JAKARTA)


def session_close(*, session: ClassSession, by=None, now: dt.datetime | None = None) -> CloseResult:
    """Close the class: participants who attended at least the year's threshold of the session's time
    get its JP in proportion to the days attended (a statement, a ledger entry, a certificate). Running
    it again credits nothing new."""
    from lms.certificates.selectors import certificate_url
    from lms.certificates.services import certificate_issue

    now = now or timezone.now()
    if by is not None:
        _require_trainer(session=session, user=by, message=_("Hanya pelatih kelas ini yang dapat menutup kelas."))
    days = list(session.days.order_by("date"))
    if not days:
        raise ClassroomError(_("Kelas ini belum punya jadwal hari."))
    last = days[-1]
    if jakarta_date(now) < last.date:
        raise ClassroomError(
            _("Kelas baru bisa ditutup pada atau setelah hari terakhirnya (%(date)s).")
            % {"date": formatting.short_date(last.date)}
        )
    credited, not_credited = [], []
    with transaction.atomic():
        session = ClassSession.objects.select_for_update().get(pk=session.pk)
        if session.status == ClassSession.Status.CANCELLED:
            raise ClassroomError(_("Kelas ini dibatalkan."))
        # The event counts in the year it ended (docs/domain/classroom.md), under that year's threshold.
        threshold = Decimal(year_policy(last.date.year).attendance_threshold_pct)
        registrations = Registration.objects.filter(
            session=session, status=Registration.Status.REGISTERED
        ).select_related("user", "session__course")
        for reg in registrations:
            share = attended_share(registration=reg, days=days)
            if share * 100 < threshold:
                not_credited.append((reg, share))
                if share > 0:
                    notification_create(
                        user=reg.user,
                        kind="lms.class_not_credited",
                        title=_("Kehadiran belum cukup: %(session)s") % {"session": session.display_title},
                        body=_(
                            "Kehadiran Anda %(share)s%% dari waktu kelas, di bawah ambang %(threshold)s%%; JP tidak dikreditkan."
                        )
                        % {"share": round(share * 100), "threshold": threshold},
                        url=f"/belajar/kelas/{session.pk}/",
                        dedupe_key=f"classroom-not-credited:{reg.pk}",
                    )
                continue
            jp = (session.credit_jp * share).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            credited_jp, created = _credit(session=session, registration=reg, jp=jp, share=share, last=last)
            credited.append((reg, credited_jp))
            certificate = certificate_issue(
                user=reg.user,
                kind="classroom",
                source_key=f"classroom:{session.pk}:user:{reg.user_id}",
                title=session.course.title,
                jp=credited_jp,
                start_date=days[0].date,
                end_date=last.date,
                issued_at=now,
                extra_event={"session_id": session.pk},
            )
            if created:
                events.publish(
                    EVENT_SESSION_ATTENDED,
                    {
                        "user_id": reg.user_id,
                        "session_id": session.pk,
                        "title": session.display_title,
                        "jp": str(credited_jp),
                        "date": last.date.isoformat(),
                        # Empty while the certificate waits for the participant's survey.
                        "certificate_url": certificate_url(certificate=certificate) if certificate else "",
                        "certificate_number": certificate.number if certificate else "",
                    },
                    event_id=f"{EVENT_SESSION_ATTENDED}:{session.pk}:{reg.user_id}",
                )
        if session.status != ClassSession.Status.CLOSED:
            session.status, session.closed_at = ClassSession.Status.CLOSED, now
            session.save(update_fields=["status", "closed_at"])
        registration_booking_sync(session=session)
    return CloseResult(credited, not_credited)


def _credit(*, session: ClassSession, registration: Registration, jp: Decimal, share: Decimal, last: SessionDay):
    course = session.course
    source_key = ledger_source_key(kind=LedgerEntry.SourceKind.CLASSROOM, ref=session.pk, user_id=registration.user_id)
    existing = LedgerEntry.objects.filter(source_key=source_key).first()
    if existing is not None:
        return existing.jp, False
    allowed, note = jp_allowed(user=registration.user, form=course.development_form, year=last.date.year, jp=jp)
    recorded = learning_event_record(
        "classroom.session.completed",
        user=registration.user,
        enrollment=registration,
        timestamp=_end_of(last),
        jp=allowed,
        share=share,
        note=note,
    )
    # The statement the platform just wrote is the evidence; the credit is derived from it (one path).
    entry, created = ledger_credit(credit=credit_for_statement(recorded.statement))
    if created:
        notification_create(
            user=registration.user,
            kind="lms.class_credited",
            title=_("JP pelatihan klasikal dikreditkan: %(session)s") % {"session": session.display_title},
            body=_("%(jp)s JP masuk ke riwayat belajar Anda.") % {"jp": formatting.jp(allowed)},
            url="/belajar/riwayat/",
            dedupe_key=f"classroom-credited:{registration.pk}",
        )
    return entry.jp, created


def sessions_close_finished(*, today: dt.date | None = None) -> int:
    """Close the classes whose last day is more than CLASSROOM_AUTO_CLOSE_DAYS ago (the beat's job,
    for trainers who forgot); closing twice credits nothing new."""
    from django.db.models import Max

    today = today or jakarta_date(timezone.now())
    cutoff = today - dt.timedelta(days=settings.CLASSROOM_AUTO_CLOSE_DAYS)
    done = 0
    for session in (
        ClassSession.objects.filter(status=ClassSession.Status.SCHEDULED)
        .annotate(last_date=Max("days__date"))
        .filter(last_date__lt=cutoff)
    ):
        session_close(session=session)
        done += 1
    return done
