"""Check-in bound to the room (security review: the room code could be sent by chat to a learner at
home). Whatever the session's mode, the shared code alone records no attendance; attendance, its
statement and the JP credit follow only a confirmed presence."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from lms.classroom import services
from lms.classroom.models import Attendance, CheckinRequest, ClassSession, Registration
from lms.classroom.services import ClassroomError, Location
from lms.hours.models import LedgerEntry
from lms.hours.selectors import JAKARTA
from lms.xapi.constants import VERB_ATTENDED
from lms.xapi.models import Statement
from shell.people.tests.factories import UserFactory

from .factories import make_session

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)
BEFORE = dt.datetime(2026, 3, 1, 9, tzinfo=JAKARTA)
IN_CLASS = dt.datetime(2026, 3, 10, 9, 0, 5, tzinfo=JAKARTA)
MODES = ["trainer_confirms", "personal_qr", "location"]
# Grha Bhakti Karya (the rooms' default) and a home about 5 km away.
VENUE = Location(-6.1783, 106.6319, 20)
HOME = Location(-6.2200, 106.6500, 10)


def session_in(mode: str, **kwargs) -> ClassSession:
    session = make_session(**kwargs)
    session.checkin_mode = mode
    session.save()
    return session


def register(session, user=None):
    return services.check_registration_create(user=user or UserFactory(), session_id=session.pk, now=BEFORE)


def relayed_code(session, now=IN_CLASS) -> str:
    """The code on the classroom screen, as a colleague in the room would send it by chat."""
    window = int(now.timestamp()) // 30
    return services.checkin_code(session=session, day=session.days.get(date=DAY), window=window)


def nothing_attended(session) -> bool:
    return (
        not Attendance.objects.filter(registration__session=session).exists()
        and not Statement.objects.filter(verb=VERB_ATTENDED).exists()
    )


# The finding: a learner at home checks in with the code a colleague relayed ---------------------------


@override_settings(CLASSROOM_CHECKIN_WINDOW_SECONDS=30)
@pytest.mark.parametrize("mode", MODES)
def test_a_relayed_room_code_alone_records_no_attendance(mode):
    session = session_in(mode)
    at_home = register(session)
    try:
        services.check_checkin(user=at_home.user, session_id=session.pk, code=relayed_code(session), now=IN_CLASS)
    except ClassroomError:
        pass
    assert nothing_attended(session)


def test_the_default_mode_is_the_trainer_confirming():
    assert make_session().checkin_mode == ClassSession.CheckinMode.TRAINER_CONFIRMS


# trainer_confirms ---------------------------------------------------------------------------------------


@override_settings(CLASSROOM_CHECKIN_WINDOW_SECONDS=30)
def test_a_check_in_waits_for_the_trainer_and_counts_once_confirmed():
    session = session_in("trainer_confirms", jp="8")
    trainer = session.trainers.get()
    in_room, at_home = register(session), register(session)
    code = relayed_code(session)
    first = services.check_checkin(user=in_room.user, session_id=session.pk, code=code, now=IN_CLASS)
    again = services.check_checkin(
        user=in_room.user, session_id=session.pk, code=code, now=IN_CLASS + dt.timedelta(seconds=3)
    )
    assert isinstance(first, CheckinRequest) and first.pk == again.pk and first.status == "pending"
    services.check_checkin(user=at_home.user, session_id=session.pk, code=code, now=IN_CLASS)
    assert nothing_attended(session)

    day = session.days.get()
    decided = services.checkin_requests_decide(
        trainer=trainer, session=session, day_id=day.pk, confirm=True, request_ids=[first.pk], now=IN_CLASS
    )
    assert [r.pk for r in decided] == [first.pk]
    services.checkin_requests_decide(trainer=trainer, session=session, day_id=day.pk, confirm=False, now=IN_CLASS)
    attendance = Attendance.objects.get()
    assert (attendance.registration, attendance.method, attendance.marked_by) == (in_room, "confirmed", trainer)
    assert attendance.checked_in_at == IN_CLASS  # when they checked in, not when the trainer looked
    assert Statement.objects.filter(verb=VERB_ATTENDED).count() == 1
    # The rejected one is told so, and another try does not put them back in the queue.
    with pytest.raises(ClassroomError, match="tidak mengonfirmasi"):
        services.check_checkin(user=at_home.user, session_id=session.pk, code=code, now=IN_CLASS)
    assert CheckinRequest.objects.get(registration=at_home).status == "rejected"

    result = services.session_close(session=session, by=trainer, now=dt.datetime(2026, 3, 10, 17, tzinfo=JAKARTA))
    assert [r.pk for r, _jp in result.credited] == [in_room.pk]
    assert not LedgerEntry.objects.filter(user=at_home.user).exists()


def test_pending_check_ins_credit_nothing_when_the_class_closes():
    session = session_in("trainer_confirms", jp="8")
    learner = register(session)
    services.checkin_request_create(registration=learner, day=session.days.get(), at=IN_CLASS)
    result = services.session_close(session=session, now=dt.datetime(2026, 3, 14, tzinfo=JAKARTA))
    assert result.credited == [] and [r.pk for r, _share in result.not_credited] == [learner.pk]
    assert not LedgerEntry.objects.exists()


def test_confirm_all_takes_only_the_days_pending_of_this_session_and_only_the_trainer():
    session = session_in(
        "trainer_confirms", days=[(DAY, dt.time(8), dt.time(16)), (DAY + dt.timedelta(days=1), dt.time(8), dt.time(16))]
    )
    other = session_in("trainer_confirms")
    first_day, second_day = session.days.all()
    a, b, c = register(session), register(session), register(other)
    services.checkin_request_create(registration=a, day=first_day, at=IN_CLASS)
    services.checkin_request_create(registration=b, day=second_day, at=IN_CLASS)
    services.checkin_request_create(registration=c, day=other.days.get(), at=IN_CLASS)
    with pytest.raises(ClassroomError, match="Hanya pelatih"):
        services.checkin_requests_decide(trainer=a.user, session=session, day_id=first_day.pk, confirm=True)
    # Another session's request named by id is not this session's to decide.
    other_request = CheckinRequest.objects.get(registration=c)
    assert (
        services.checkin_requests_decide(
            trainer=session.trainers.get(),
            session=session,
            day_id=first_day.pk,
            confirm=True,
            request_ids=[other_request.pk],
        )
        == []
    )
    decided = services.checkin_requests_decide(
        trainer=session.trainers.get(), session=session, day_id=first_day.pk, confirm=True, now=IN_CLASS
    )
    assert [r.registration_id for r in decided] == [a.pk]
    assert list(Attendance.objects.values_list("registration_id", flat=True)) == [a.pk]
    assert CheckinRequest.objects.filter(status="pending").count() == 2


def test_the_trainer_marking_by_hand_settles_a_pending_check_in():
    session = session_in("trainer_confirms")
    learner = register(session)
    day = session.days.get()
    services.checkin_request_create(registration=learner, day=day, at=IN_CLASS)
    trainer = session.trainers.get()
    services.attendance_mark(
        trainer=trainer, session=session, registration_id=learner.pk, day_id=day.pk, present=True, now=IN_CLASS
    )
    assert CheckinRequest.objects.get().status == "confirmed"
    services.attendance_mark(
        trainer=trainer, session=session, registration_id=learner.pk, day_id=day.pk, present=False, now=IN_CLASS
    )
    assert CheckinRequest.objects.get().status == "rejected" and not Attendance.objects.exists()


# personal_qr --------------------------------------------------------------------------------------------


@override_settings(CLASSROOM_PERSONAL_QR_SECONDS=60)
def test_the_trainer_scans_a_learners_own_qr_once():
    session = session_in("personal_qr")
    trainer = session.trainers.get()
    learner, colleague = register(session), register(session)
    shown = services.personal_qr_current(registration=learner, now=IN_CLASS)
    assert len(shown.code) == 8 and shown.token.startswith(f"{learner.pk}.")
    scan = services.personal_qr_resolve(trainer=trainer, session=session, token=shown.token, now=IN_CLASS)
    assert scan.registration == learner and not scan.already_present
    attendance = services.check_personal_qr_scan(trainer=trainer, session=session, token=shown.token, now=IN_CLASS)
    assert (attendance.registration, attendance.method, attendance.marked_by) == (learner, "personal_qr", trainer)
    assert Statement.objects.filter(verb=VERB_ATTENDED, user=learner.user).count() == 1
    # Used once: not again, even after the trainer removed the attendance it made.
    services.attendance_mark(
        trainer=trainer, session=session, registration_id=learner.pk, day_id=shown.day.pk, present=False, now=IN_CLASS
    )
    with pytest.raises(ClassroomError, match="sudah dipakai"):
        services.check_personal_qr_scan(trainer=trainer, session=session, token=shown.token, now=IN_CLASS)
    assert not Attendance.objects.exists()
    # The short code, typed: the colleague's own.
    code = services.personal_qr_current(registration=colleague, now=IN_CLASS).code
    typed = services.personal_qr_resolve(trainer=trainer, session=session, code=f"{code[:4]} {code[4:]}", now=IN_CLASS)
    assert typed.registration == colleague


@override_settings(CLASSROOM_PERSONAL_QR_SECONDS=60)
def test_a_personal_qr_is_short_lived_and_bound_to_its_learner_session_and_day():
    session = session_in(
        "personal_qr", days=[(DAY, dt.time(8), dt.time(16)), (DAY + dt.timedelta(days=1), dt.time(8), dt.time(16))]
    )
    other = session_in("personal_qr")
    trainer = session.trainers.get()
    learner = register(session)
    token = services.personal_qr_current(registration=learner, now=IN_CLASS).token
    # Still good in the next window (it was shown just before it renewed), not after that.
    assert services.personal_qr_resolve(
        trainer=trainer, session=session, token=token, now=IN_CLASS + dt.timedelta(seconds=60)
    )
    for later in (dt.timedelta(seconds=125), dt.timedelta(days=1)):
        with pytest.raises(ClassroomError, match="tidak berlaku"):
            services.personal_qr_resolve(trainer=trainer, session=session, token=token, now=IN_CLASS + later)
    reg_id, window, code = token.split(".")
    forged = [
        f"{reg_id}.{window}.{(int(code) + 1) % 10**8:08d}",  # another code
        f"{reg_id}.{int(window) + 1}.{code}",  # another window
    ]
    for bad in forged:
        with pytest.raises(ClassroomError, match="tidak berlaku"):
            services.personal_qr_resolve(trainer=trainer, session=session, token=bad, now=IN_CLASS)
    with pytest.raises(ClassroomError, match="bukan QR presensi"):
        services.personal_qr_resolve(trainer=trainer, session=session, token="../1.2", now=IN_CLASS)
    # Another session's trainer cannot use it, nor can a learner scan for themself.
    with pytest.raises(ClassroomError):
        services.personal_qr_resolve(trainer=other.trainers.get(), session=other, token=token, now=IN_CLASS)
    with pytest.raises(ClassroomError, match="Hanya pelatih"):
        services.personal_qr_resolve(trainer=learner.user, session=session, token=token, now=IN_CLASS)
    assert not Attendance.objects.exists()


def test_personal_qr_only_for_registered_learners_on_a_class_day():
    session = session_in("personal_qr", capacity=1)
    register(session)
    waiting = register(session)
    with pytest.raises(ClassroomError, match="peserta terdaftar"):
        services.personal_qr_current(registration=waiting, now=IN_CLASS)
    seated = Registration.objects.get(session=session, status="registered")
    with pytest.raises(ClassroomError, match="tidak ada jadwal"):
        services.personal_qr_current(registration=seated, now=IN_CLASS + dt.timedelta(days=1))
    assert services.checkin_code_current(session=session, now=IN_CLASS) is None  # no room code to show


# location -----------------------------------------------------------------------------------------------


def test_distances_are_metres_on_the_ground():
    # One thousandth of a degree of latitude is about 111 m.
    assert services.distance_m(
        latitude_1=-6.1783, longitude_1=106.6319, latitude_2=-6.1793, longitude_2=106.6319
    ) == pytest.approx(111.2, abs=0.5)
    assert services.distance_m(latitude_1=-6.1783, longitude_1=106.6319, latitude_2=-6.1783, longitude_2=106.6319) == 0


@override_settings(CLASSROOM_CHECKIN_WINDOW_SECONDS=30)
def test_location_check_in_only_near_the_venue_with_a_precise_position():
    session = session_in("location")
    learner = register(session)
    code = relayed_code(session)

    def check_in(location):
        return services.check_checkin(
            user=learner.user, session_id=session.pk, code=code, location=location, now=IN_CLASS
        )

    with pytest.raises(ClassroomError, match="Izinkan akses lokasi"):
        check_in(None)
    with pytest.raises(ClassroomError, match=r"sekitar \d+ m dari Grha Bhakti Karya"):
        check_in(HOME)
    with pytest.raises(ClassroomError, match="kurang akurat"):
        check_in(Location(VENUE.latitude, VENUE.longitude, 2500))  # a cell-tower guess
    assert nothing_attended(session)
    attendance = check_in(Location(-6.1790, 106.6322, 30))  # about 85 m away, inside the 150 m radius
    assert attendance.method == "location"
    assert Statement.objects.filter(verb=VERB_ATTENDED).count() == 1


def test_the_venue_and_radius_are_the_rooms():
    session = session_in("location")
    room = session.room
    assert (room.latitude, room.longitude, room.checkin_radius_m) == (Decimal("-6.178300"), Decimal("106.631900"), 150)
    room.checkin_radius_m = 10_000
    room.save()
    services.location_check(room=room, location=HOME)  # now within reach


@pytest.mark.parametrize(
    "raw",
    [
        ("x", "106.6", "10"),
        ("-6.1", "", "10"),
        ("91", "106.6", "10"),
        ("-6.1", "106.6", "-1"),
        ("nan", "106.6", "10"),
        ("-6.1", "inf", "5"),
    ],
)
def test_a_garbled_position_is_refused_in_words(raw):
    latitude, longitude, accuracy = raw
    with pytest.raises(ClassroomError, match="tidak terbaca"):
        services.location_from_input(latitude=latitude, longitude=longitude, accuracy=accuracy)
    assert services.location_from_input(latitude="", longitude="", accuracy="") is None
