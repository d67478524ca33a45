"""Each learner's private calendar feed: valid iCalendar (read back with the icalendar library) of their
enrolments' due dates and their booked classroom days, in Asia/Jakarta time; a token they can reset."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import override_settings
from django.utils import timezone

from content.tests.factories import make_course
from lms import services
from lms.classroom import services as classroom_services
from lms.classroom.models import ClassSession
from lms.classroom.tests.factories import make_session
from lms.courses.models import CalendarFeed
from shell.people import roles
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def learner():
    return UserFactory(full_name="Siti Pembelajar")


@pytest.fixture
def schedule(learner):
    today = timezone.localdate()
    supervisor = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR])
    learner.supervisor = supervisor
    learner.save()
    assigned = make_course(title="Kursus Ditugaskan", lessons=("text",))
    services.enrollment_assign(
        assigned_by=supervisor, employees=[learner], course=assigned, due_date=today + dt.timedelta(days=14)
    )
    with_course_due = make_course(title="Kursus Bertenggat", lessons=("text",))
    with_course_due.due_date = today + dt.timedelta(days=30)
    with_course_due.save()
    services.check_enrollment_self(user=learner, course_id=with_course_due.pk)
    no_due = make_course(title="Kursus Bebas", lessons=("text",))
    services.check_enrollment_self(user=learner, course_id=no_due.pk)
    done = make_course(title="Kursus Selesai", lessons=("text",))
    done.due_date = today + dt.timedelta(days=5)
    done.save()
    enrollment = services.check_enrollment_self(user=learner, course_id=done.pk)
    services.lesson_complete(enrollment=enrollment, lesson=done.lessons().get())

    day1, day2 = today + dt.timedelta(days=7), today + dt.timedelta(days=8)
    session = make_session(days=((day1, dt.time(8), dt.time(16)), (day2, dt.time(9), dt.time(12))), title="Angkatan I")
    classroom_services.check_registration_create(user=learner, session_id=session.pk)
    cancelled = make_session(days=((day1, dt.time(13), dt.time(15)),), title="Angkatan Batal")
    classroom_services.check_registration_create(user=learner, session_id=cancelled.pk)
    ClassSession.objects.filter(pk=cancelled.pk).update(status=ClassSession.Status.CANCELLED)
    someone_elses = make_session(days=((day1, dt.time(8), dt.time(9)),), title="Kelas Orang Lain")
    classroom_services.check_registration_create(user=UserFactory(), session_id=someone_elses.pk)
    return {"today": today, "day1": day1, "day2": day2, "session": session}


def feed_of(client, user):
    client.force_login(user)
    page = client.get("/belajar/kalender/")
    assert page.status_code == 200
    url = page.context["feed_url"]
    client.logout()  # calendar apps have no session
    return url, client.get(url.split("testserver", 1)[-1] if "testserver" in url else "/" + url.split("/", 3)[3])


def events(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_lists_due_dates_and_booked_classes_in_jakarta_time(client, learner, schedule):
    url, response = feed_of(client, learner)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["X-WR-TIMEZONE"] == "Asia/Jakarta"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Jakarta"]
    found = events(response.content)
    today = schedule["today"]
    assert found["Tenggat kursus: Kursus Ditugaskan"].decoded("DTSTART") == today + dt.timedelta(days=14)
    assert found["Tenggat kursus: Kursus Bertenggat"].decoded("DTSTART") == today + dt.timedelta(days=30)
    assert "Tenggat kursus: Kursus Bebas" not in found  # no due date
    assert "Tenggat kursus: Kursus Selesai" not in found  # completed
    day_one = [e for name, e in found.items() if name == "Kelas: Pelatihan Klasikal Uji - Angkatan I"]
    starts = sorted(
        e.decoded("DTSTART")
        for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        if str(e["SUMMARY"]) == "Kelas: Pelatihan Klasikal Uji - Angkatan I"
    )
    assert day_one and starts == [
        dt.datetime.combine(schedule["day1"], dt.time(8), tzinfo=JAKARTA),
        dt.datetime.combine(schedule["day2"], dt.time(9), tzinfo=JAKARTA),
    ]
    assert b"DTSTART;TZID=Asia/Jakarta:" in response.content
    assert str(found["Kelas: Pelatihan Klasikal Uji - Angkatan Batal"]["STATUS"]) == "CANCELLED"
    assert "Kelas: Pelatihan Klasikal Uji - Kelas Orang Lain" not in found
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]
    assert len(uids) == len(set(uids)) == 5
    _url, again = feed_of(client, learner)
    assert [str(e["UID"]) for e in icalendar.Calendar.from_ical(again.content).walk("VEVENT")] == uids  # stable
    # Served at another address (review 16, F11): the same UIDs, or subscribed calendars duplicate every event.
    with override_settings(SITE_URL="https://belajar.example.go.id:8443"):
        _url, moved = feed_of(client, learner)
    assert [str(e["UID"]) for e in icalendar.Calendar.from_ical(moved.content).walk("VEVENT")] == uids


def test_resetting_the_address_stops_the_old_one(client, learner, schedule):
    old_url, response = feed_of(client, learner)
    assert response.status_code == 200
    old_token = CalendarFeed.objects.get(user=learner).token
    client.force_login(learner)
    assert client.get("/belajar/kalender/alamat-baru/").status_code == 405
    client.post("/belajar/kalender/alamat-baru/")
    new_token = CalendarFeed.objects.get(user=learner).token
    assert new_token != old_token
    client.logout()
    assert client.get(f"/belajar/kalender/{old_token}.ics").status_code == 404
    assert client.get(f"/belajar/kalender/{new_token}.ics").status_code == 200


def test_unknown_tokens_and_inactive_accounts_get_nothing(client, learner, schedule):
    _url, _response = feed_of(client, learner)
    token = CalendarFeed.objects.get(user=learner).token
    for bad in ("x", "a" * 64, token[:-1], "../../etc", "%00"):
        assert client.get(f"/belajar/kalender/{bad}.ics").status_code == 404, bad
    learner.is_active = False
    learner.save()
    assert client.get(f"/belajar/kalender/{token}.ics").status_code == 404


def test_each_learner_sees_only_their_own_address(client, learner, schedule):
    other = UserFactory(full_name="Orang Lain")
    _url, mine = feed_of(client, learner)
    _url, theirs = feed_of(client, other)
    assert CalendarFeed.objects.get(user=learner).token != CalendarFeed.objects.get(user=other).token
    assert events(theirs.content) == {}
    assert b"Siti Pembelajar" in mine.content and b"Siti Pembelajar" not in theirs.content
    client.logout()
    assert client.get("/belajar/kalender/").status_code == 302
