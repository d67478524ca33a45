"""Classroom writes: registration with a waiting list, check-in with a rotating code, attendance,
closing a class (JP credit through the ledger, certificates).

Two people taking the last seat at once: the session row is locked (``select_for_update``) while the
seats are counted, so one gets the seat and the other is put on the waiting list."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.events import EVENT_SESSION_ATTENDED
from lms.hours.evidence import credit_for_statement, ledger_source_key
from lms.hours.models import LedgerEntry
from lms.hours.selectors import JAKARTA, jakarta_date, jp_allowed, year_policy
from lms.hours.services import ledger_credit
from lms.xapi.transformers import learning_event_record
from lms.xapi.transformers.classroom import statement_void
from shell import events
from shell.inbox.services import notification_create

from .models import Attendance, ClassSession, Registration, SessionDay
from .selectors import attended_share

# Published after commit when a participant's attendance is credited (e-Kinerja makes it an activity).


class ClassroomError(Exception):
    """A request the person can correct; the message says how."""


# Registration ------------------------------------------------------------------------------------


def _first_start(session: ClassSession) -> dt.datetime | None:
    day = session.days.order_by("date").first()
    return dt.datetime.combine(day.date, day.starts_at, tzinfo=JAKARTA) if day else None


def check_registration_create(*, user, session_id: int, now: dt.datetime | None = None) -> Registration:
    """A learner registers: a seat if one is free, else the waiting list."""
    now = now or timezone.now()
    if not user.has_perm("lms.enroll_self"):
        raise ClassroomError(_("Akun Anda tidak dapat mendaftar kelas. Hubungi admin SDM."))
    with transaction.atomic():
        session = ClassSession.objects.select_for_update().filter(pk=session_id).first()
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
        taken = Registration.objects.filter(session=session, status=Registration.Status.REGISTERED).count()
        status = Registration.Status.REGISTERED if taken < session.capacity else Registration.Status.WAITLISTED
        if registration is None:
            registration = Registration.objects.create(session=session, user=user, status=status, queued_at=now)
        else:
            registration.status, registration.queued_at = status, now
            registration.save(update_fields=["status", "queued_at", "updated_at"])
    return registration


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
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        if freed:
            waitlist_promote(session=session)
    return registration


def waitlist_promote(*, session: ClassSession) -> list[Registration]:
    """Fill free seats from the waiting list in order (the caller holds the session lock)."""
    taken = Registration.objects.filter(session=session, status=Registration.Status.REGISTERED).count()
    free = session.capacity - taken
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
    """The code the trainer shows now, or None when the session has no day today."""
    now = now or timezone.now()
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


def check_checkin(*, user, session_id: int, code: str, now: dt.datetime | None = None) -> Attendance:
    """A learner checks in with the code shown in class."""
    now = now or timezone.now()
    session = ClassSession.objects.filter(pk=session_id).first()
    if session is None:
        raise ClassroomError(_("Kelas ini tidak ditemukan."))
    if session.status != ClassSession.Status.SCHEDULED:
        raise ClassroomError(_("Kelas ini sudah ditutup; presensi tidak bisa dicatat lagi."))
    registration = Registration.objects.filter(session=session, user=user).first()
    if registration is None or registration.status == Registration.Status.CANCELLED:
        raise ClassroomError(_("Anda tidak terdaftar di kelas ini."))
    if registration.status == Registration.Status.WAITLISTED:
        raise ClassroomError(_("Anda masih di daftar tunggu kelas ini; presensi hanya untuk peserta terdaftar."))
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
    return attendance_record(registration=registration, day=day, method=Attendance.Method.QR, at=now)


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
    return attendance


def attendance_mark(
    *, trainer, session: ClassSession, registration_id: int, day_id: int, present: bool, now=None
) -> None:
    """The trainer marks (or un-marks) a participant's presence by hand."""
    now = now or timezone.now()
    if not (trainer.is_superuser or session.trainers.filter(pk=trainer.pk).exists()):
        raise ClassroomError(_("Hanya pelatih kelas ini yang dapat mencatat presensi."))
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
    if present:
        attendance_record(
            registration=registration, day=day, method=Attendance.Method.MANUAL, at=now, marked_by=trainer
        )
        return
    with transaction.atomic():
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
    if by is not None and not (by.is_superuser or session.trainers.filter(pk=by.pk).exists()):
        raise ClassroomError(_("Hanya pelatih kelas ini yang dapat menutup kelas."))
    days = list(session.days.order_by("date"))
    if not days:
        raise ClassroomError(_("Kelas ini belum punya jadwal hari."))
    last = days[-1]
    if jakarta_date(now) < last.date:
        raise ClassroomError(
            _("Kelas baru bisa ditutup pada atau setelah hari terakhirnya (%(date)s).") % {"date": last.date}
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
                        "certificate_url": certificate_url(certificate=certificate),
                        "certificate_number": certificate.number,
                    },
                    event_id=f"{EVENT_SESSION_ATTENDED}:{session.pk}:{reg.user_id}",
                )
        if session.status != ClassSession.Status.CLOSED:
            session.status, session.closed_at = ClassSession.Status.CLOSED, now
            session.save(update_fields=["status", "closed_at"])
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
            body=_("%(jp)s JP masuk ke riwayat belajar Anda.") % {"jp": f"{allowed.normalize():f}"},
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
