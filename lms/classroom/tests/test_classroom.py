"""Classroom rules (docs/domain/classroom.md and docs/domain/jp-ledger.md):
capacity and waiting list, rotating check-in codes, attendance threshold from the year's policy,
multi-day sessions credited by the days attended, the year a session counts in, once-only credit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from lms.certificates.models import Certificate
from lms.classroom import services
from lms.classroom.models import Attendance, CheckinRequest, ClassSession, Registration
from lms.classroom.selectors import planned_classroom_jp, session_utilisation_rows, waitlist_position
from lms.classroom.services import ClassroomError
from lms.hours.models import CreditRule, LedgerEntry, YearPolicy
from lms.hours.selectors import JAKARTA, jp_total
from lms.xapi.constants import VERB_ATTENDED, VERB_COMPLETED
from lms.xapi.models import Statement
from shell.inbox.models import Notification
from shell.people.tests.factories import UnitFactory, UserFactory

from .factories import make_session

pytestmark = pytest.mark.django_db

BEFORE = dt.datetime(2026, 3, 1, 9, tzinfo=JAKARTA)


def at(date: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, hour, minute, second, tzinfo=JAKARTA)


def register(session, user=None, now=BEFORE):
    return services.check_registration_create(user=user or UserFactory(), session_id=session.pk, now=now)


# Registration and the waiting list -----------------------------------------------------------------


def test_seats_then_waiting_list_in_order():
    session = make_session(capacity=2)
    first, second, third, fourth = (register(session) for _ in range(4))
    assert [r.status for r in (first, second)] == [Registration.Status.REGISTERED] * 2
    assert [r.status for r in (third, fourth)] == [Registration.Status.WAITLISTED] * 2
    assert waitlist_position(registration=third) == 1
    assert waitlist_position(registration=fourth) == 2


def test_registering_twice_keeps_the_one_registration():
    session = make_session(capacity=1)
    user = UserFactory()
    assert register(session, user).pk == register(session, user).pk
    assert Registration.objects.filter(session=session).count() == 1


def test_a_cancellation_moves_the_first_on_the_waiting_list_up_and_tells_them():
    session = make_session(capacity=1)
    seated = register(session)
    waiting = register(session, now=BEFORE + dt.timedelta(minutes=1))
    later = register(session, now=BEFORE + dt.timedelta(minutes=2))
    services.registration_cancel(registration=seated, now=BEFORE + dt.timedelta(minutes=3))
    waiting.refresh_from_db()
    later.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED
    assert later.status == Registration.Status.WAITLISTED and waitlist_position(registration=later) == 1
    note = Notification.objects.get(user=waiting.user, kind="lms.class_seat_offered")
    assert session.display_title in note.title
    # Cancelling a waiting-list place frees no seat: nobody else moves.
    services.registration_cancel(registration=later)
    assert Registration.objects.filter(session=session, status=Registration.Status.REGISTERED).count() == 1


def test_coming_back_after_cancelling_joins_the_end_of_the_queue():
    session = make_session(capacity=1)
    user = UserFactory()
    services.registration_cancel(registration=register(session, user))
    other = register(session, now=BEFORE + dt.timedelta(minutes=1))
    again = register(session, user, now=BEFORE + dt.timedelta(minutes=2))
    assert other.status == Registration.Status.REGISTERED
    assert again.status == Registration.Status.WAITLISTED


def test_no_registration_once_the_session_started_or_closed():
    session = make_session()
    with pytest.raises(ClassroomError, match="sudah dimulai"):
        register(session, now=at(dt.date(2026, 3, 10), 8, 1))
    session.status = ClassSession.Status.CLOSED
    session.save()
    with pytest.raises(ClassroomError, match="ditutup"):
        register(session)


# Check-in codes --------------------------------------------------------------------------------


@override_settings(CLASSROOM_CHECKIN_WINDOW_SECONDS=30, CLASSROOM_CHECKIN_GRACE_SECONDS=10)
def test_the_code_shown_now_checks_in_once_with_one_statement():
    session = make_session()
    reg = register(session)
    now = at(dt.date(2026, 3, 10), 8, 5, 3)
    shown = services.checkin_code_current(session=session, now=now)
    assert shown.day.date == dt.date(2026, 3, 10) and len(shown.code) == 6
    first = services.check_checkin(user=reg.user, session_id=session.pk, code=shown.code, now=now)
    again = services.check_checkin(
        user=reg.user, session_id=session.pk, code=shown.code, now=now + dt.timedelta(seconds=5)
    )
    assert isinstance(first, CheckinRequest) and first.pk == again.pk
    assert not Attendance.objects.exists()  # the code alone (default mode): waits for the trainer
    services.checkin_requests_decide(
        trainer=session.trainers.get(), session=session, day_id=shown.day.pk, confirm=True, now=now
    )
    services.check_checkin(user=reg.user, session_id=session.pk, code=shown.code, now=now + dt.timedelta(seconds=9))
    first = Attendance.objects.get(registration=reg)
    statements = Statement.objects.filter(user=reg.user, verb=VERB_ATTENDED)
    assert statements.count() == 1
    assert str(statements.get().pk) == str(first.statement_id)
    assert statements.get().activity_id.endswith(f"/classroom/{session.pk}/day/2026-03-10")


@override_settings(CLASSROOM_CHECKIN_WINDOW_SECONDS=30, CLASSROOM_CHECKIN_GRACE_SECONDS=10)
def test_a_code_replayed_after_its_window_is_refused():
    session = make_session()
    reg = register(session)
    shown_at = at(dt.date(2026, 3, 10), 8, 5, 0)  # a window starts at :00 and :30
    code = services.checkin_code_current(session=session, now=shown_at).code
    # Just after the code changed, within the grace: still accepted (the learner was typing).
    assert services.checkin_code_valid(
        session=session, day=reg.session.days.get(), code=code, now=shown_at + dt.timedelta(seconds=35)
    )
    # After the grace, and in any later window: refused, and nothing recorded.
    for later in (dt.timedelta(seconds=41), dt.timedelta(minutes=5)):
        with pytest.raises(ClassroomError, match="kedaluwarsa"):
            services.check_checkin(user=reg.user, session_id=session.pk, code=code, now=shown_at + later)
    assert not Attendance.objects.exists()


def test_codes_differ_per_session_day_and_window():
    session = make_session(
        days=[(dt.date(2026, 3, 10), dt.time(8), dt.time(16)), (dt.date(2026, 3, 11), dt.time(8), dt.time(16))]
    )
    other = make_session()
    d1, d2 = session.days.all()
    codes = {
        services.checkin_code(session=session, day=d1, window=1),
        services.checkin_code(session=session, day=d1, window=2),
        services.checkin_code(session=session, day=d2, window=1),
        services.checkin_code(session=other, day=other.days.get(), window=1),
    }
    assert len(codes) == 4


def test_check_in_refusals_say_why():
    session = make_session(capacity=1)
    register(session)
    waiting = register(session)
    day = dt.date(2026, 3, 10)
    code = services.checkin_code_current(session=session, now=at(day, 9)).code
    with pytest.raises(ClassroomError, match="daftar tunggu"):
        services.check_checkin(user=waiting.user, session_id=session.pk, code=code, now=at(day, 9))
    with pytest.raises(ClassroomError, match="tidak terdaftar"):
        services.check_checkin(user=UserFactory(), session_id=session.pk, code=code, now=at(day, 9))
    seated = Registration.objects.get(session=session, status=Registration.Status.REGISTERED)
    with pytest.raises(ClassroomError, match="6 angka"):
        services.check_checkin(user=seated.user, session_id=session.pk, code="12ab", now=at(day, 9))
    with pytest.raises(ClassroomError, match="tidak ada jadwal"):
        services.check_checkin(user=seated.user, session_id=session.pk, code=code, now=at(dt.date(2026, 3, 11), 9))


# Closing: threshold, days attended, the year, once ----------------------------------------------------

THREE_DAYS = [
    (dt.date(2026, 5, 4), dt.time(8), dt.time(16)),
    (dt.date(2026, 5, 5), dt.time(8), dt.time(16)),
    (dt.date(2026, 5, 6), dt.time(8), dt.time(12)),  # a short last day: 4 of 20 hours
]


def attend(reg, dates, trainer):
    for day in reg.session.days.filter(date__in=dates):
        services.attendance_mark(
            trainer=trainer,
            session=reg.session,
            registration_id=reg.pk,
            day_id=day.pk,
            present=True,
            now=at(day.date, 9),
        )


def test_full_attendance_credits_the_sessions_jp_once_with_a_certificate():
    session = make_session(jp="8")
    trainer = session.trainers.get()
    reg = register(session)
    attend(reg, [dt.date(2026, 3, 10)], trainer)
    result = services.session_close(session=session, by=trainer, now=at(dt.date(2026, 3, 10), 16, 30))
    assert [(r.pk, jp) for r, jp in result.credited] == [(reg.pk, Decimal("8.0"))]
    entry = LedgerEntry.objects.get(user=reg.user)
    assert (entry.jp, entry.source_kind, entry.form, entry.date) == (
        Decimal("8.0"),
        LedgerEntry.SourceKind.CLASSROOM,
        "pelatihan",
        dt.date(2026, 3, 10),
    )
    completed = Statement.objects.get(user=reg.user, verb=VERB_COMPLETED)
    assert str(completed.pk) == str(entry.statement_id)
    assert Certificate.objects.filter(user=reg.user, revoked_at__isnull=True).count() == 1
    # Closing again (the beat's job, a double click) credits nothing new.
    services.session_close(session=ClassSession.objects.get(pk=session.pk), now=at(dt.date(2026, 3, 14), 0))
    assert LedgerEntry.objects.filter(user=reg.user).count() == 1
    assert Certificate.objects.filter(user=reg.user).count() == 1
    assert jp_total(user=reg.user, year=2026) == Decimal("8")


def test_a_multi_day_session_credits_by_the_days_attended_above_the_threshold():
    session = make_session(days=THREE_DAYS, jp="20")
    trainer = session.trainers.get()
    all_days, two_long_days, one_day = register(session), register(session), register(session)
    attend(all_days, [d for d, *_ in THREE_DAYS], trainer)
    attend(two_long_days, [dt.date(2026, 5, 4), dt.date(2026, 5, 5)], trainer)  # 16 of 20 hours = 80%
    attend(one_day, [dt.date(2026, 5, 4)], trainer)  # 8 of 20 hours = 40%
    result = services.session_close(session=session, by=trainer, now=at(dt.date(2026, 5, 6), 13))
    credited = {r.pk: jp for r, jp in result.credited}
    assert credited == {all_days.pk: Decimal("20.0"), two_long_days.pk: Decimal("16.0")}
    assert [r.pk for r, _share in result.not_credited] == [one_day.pk]
    assert not LedgerEntry.objects.filter(user=one_day.user).exists()
    note = Notification.objects.get(user=one_day.user, kind="lms.class_not_credited")
    assert "40%" in note.body and "80%" in note.body
    assert LedgerEntry.objects.get(user=two_long_days.user).date == dt.date(2026, 5, 6)


def test_the_threshold_is_the_years_policy():
    YearPolicy.objects.create(year=2026, attendance_threshold_pct=40)
    session = make_session(days=THREE_DAYS, jp="20")
    trainer = session.trainers.get()
    one_day = register(session)
    attend(one_day, [dt.date(2026, 5, 4)], trainer)
    services.session_close(session=session, by=trainer, now=at(dt.date(2026, 5, 6), 13))
    assert LedgerEntry.objects.get(user=one_day.user).jp == Decimal("8.0")


def test_a_session_spanning_new_year_counts_in_the_year_it_ended():
    session = make_session(
        days=[(dt.date(2026, 12, 30), dt.time(8), dt.time(16)), (dt.date(2027, 1, 2), dt.time(8), dt.time(16))],
        jp="10",
    )
    trainer = session.trainers.get()
    reg = register(session, now=dt.datetime(2026, 12, 1, tzinfo=JAKARTA))
    attend(reg, [dt.date(2026, 12, 30), dt.date(2027, 1, 2)], trainer)
    services.session_close(session=session, by=trainer, now=at(dt.date(2027, 1, 2), 17))
    assert jp_total(user=reg.user, year=2027) == Decimal("10")
    assert jp_total(user=reg.user, year=2026) == Decimal("0")


def test_the_forms_yearly_cap_cuts_a_classroom_credit_with_a_note():
    CreditRule.objects.create(year=2026, form="pelatihan", max_jp_per_year=Decimal("5"))
    session = make_session(jp="8")
    trainer = session.trainers.get()
    reg = register(session)
    attend(reg, [dt.date(2026, 3, 10)], trainer)
    services.session_close(session=session, by=trainer, now=at(dt.date(2026, 3, 10), 17))
    entry = LedgerEntry.objects.get(user=reg.user)
    assert entry.jp == Decimal("5")
    assert "5" in entry.note and "8" in entry.note


def test_only_the_trainer_closes_and_only_from_the_last_day():
    session = make_session(days=THREE_DAYS)
    with pytest.raises(ClassroomError, match="pelatih"):
        services.session_close(session=session, by=UserFactory(), now=at(dt.date(2026, 5, 6), 13))
    with pytest.raises(ClassroomError, match="hari terakhir"):
        services.session_close(session=session, by=session.trainers.get(), now=at(dt.date(2026, 5, 5), 13))


def test_unmarking_voids_the_attendance_statement():
    session = make_session()
    trainer = session.trainers.get()
    reg = register(session)
    attend(reg, [dt.date(2026, 3, 10)], trainer)
    statement_id = Attendance.objects.get(registration=reg).statement_id
    day = session.days.get()
    services.attendance_mark(
        trainer=trainer, session=session, registration_id=reg.pk, day_id=day.pk, present=False, now=at(day.date, 10)
    )
    assert not Attendance.objects.exists()
    assert Statement.objects.get(pk=statement_id).voided


def test_unclosed_sessions_are_closed_a_few_days_after_their_last_day():
    session = make_session(jp="8")
    reg = register(session)
    attend(reg, [dt.date(2026, 3, 10)], session.trainers.get())
    assert services.sessions_close_finished(today=dt.date(2026, 3, 12)) == 0
    assert services.sessions_close_finished(today=dt.date(2026, 3, 14)) == 1
    assert ClassSession.objects.get(pk=session.pk).status == ClassSession.Status.CLOSED
    assert jp_total(user=reg.user, year=2026) == Decimal("8")


# Reads for the forecast and the reports ----------------------------------------------------------------


def test_planned_jp_and_the_utilisation_rows():
    unit = UnitFactory()
    other_unit = UnitFactory()
    march = make_session(capacity=3, jp="8")
    may = make_session(days=THREE_DAYS, capacity=2, jp="20")
    inside = UserFactory(unit=unit)
    outside = UserFactory(unit=other_unit)
    register(march, inside)
    register(march, outside)
    register(may, inside)
    attend(Registration.objects.get(session=march, user=inside), [dt.date(2026, 3, 10)], march.trainers.get())
    assert planned_classroom_jp(user_ids=[inside.pk, outside.pk], year=2026) == {
        inside.pk: Decimal("28"),
        outside.pk: Decimal("8"),
    }
    rows = session_utilisation_rows(year=2026)
    assert [(r["month"], r["seats"], r["registered"], r["attended"]) for r in rows] == [(3, 3, 2, 1), (5, 2, 1, 0)]
    assert rows[0]["room"] == march.room.name
    by_unit = session_utilisation_rows(year=2026, unit=other_unit)
    assert [(r["month"], r["seats"], r["registered"], r["attended"]) for r in by_unit] == [(3, 3, 1, 0), (5, 2, 0, 0)]
    assert session_utilisation_rows(year=2025) == []


@override_settings(CLASSROOM_CHECKIN_WINDOW_SECONDS=30, CLASSROOM_CHECKIN_GRACE_SECONDS=10)
def test_guessing_codes_is_stopped_until_the_next_code():
    session = make_session()
    reg = register(session)
    now = at(dt.date(2026, 3, 10), 9, 0, 1)
    code = services.checkin_code_current(session=session, now=now).code
    wrong = [f"{(int(code) + i) % 1_000_000:06d}" for i in range(1, 6)]
    for guess in wrong:
        with pytest.raises(ClassroomError, match="kedaluwarsa"):
            services.check_checkin(user=reg.user, session_id=session.pk, code=guess, now=now)
    with pytest.raises(ClassroomError, match="Terlalu banyak"):
        services.check_checkin(user=reg.user, session_id=session.pk, code=code, now=now)
    later = now + dt.timedelta(seconds=30)
    fresh = services.checkin_code_current(session=session, now=later).code
    assert services.check_checkin(user=reg.user, session_id=session.pk, code=fresh, now=later).pk


def test_a_raised_quota_fills_from_the_waiting_list_and_a_cancelled_class_tells_everyone():
    session = make_session(capacity=1)
    seated, waiting = register(session), register(session)
    session.capacity = 2
    session.save()
    session.room.capacity = 2  # the quota never seats more than the room holds
    session.room.save()
    assert [r.pk for r in services.session_capacity_changed(session=session)] == [waiting.pk]
    assert services.session_cancel(session=session, reason="Ruang dipakai acara wali kota") == 2
    assert ClassSession.objects.get(pk=session.pk).status == ClassSession.Status.CANCELLED
    assert Notification.objects.filter(kind="lms.class_cancelled", user__in=[seated.user, waiting.user]).count() == 2
    with pytest.raises(ClassroomError, match="sudah ditutup"):
        register(session)


def test_a_check_in_half_past_midnight_wib_on_new_year_is_the_new_years_day():
    session = make_session(days=[(dt.date(2027, 1, 1), dt.time(0, 0), dt.time(12))], jp="4")
    reg = register(session, now=dt.datetime(2026, 12, 1, tzinfo=JAKARTA))
    moment = dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC)  # 00:30 WIB on 1 January 2027
    # At 23:59 WIB on 31 December (16:59 UTC) there is no class day yet.
    assert services.checkin_code_current(session=session, now=moment - dt.timedelta(minutes=31)) is None
    code = services.checkin_code_current(session=session, now=moment).code
    request = services.check_checkin(user=reg.user, session_id=session.pk, code=code, now=moment)
    assert request.day.date == dt.date(2027, 1, 1)
    services.checkin_requests_decide(
        trainer=session.trainers.get(), session=session, day_id=request.day_id, confirm=True, now=moment
    )
    services.session_close(session=session, by=session.trainers.get(), now=moment + dt.timedelta(hours=12))
    assert jp_total(user=reg.user, year=2027) == Decimal("4")
    assert jp_total(user=reg.user, year=2026) == Decimal("0")
