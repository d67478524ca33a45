"""Seats: a session's quota, never more than its room holds, whichever path registers (the rule used to
live only in the admin's save, which cut a too-large quota; a room made smaller later, or a session
saved anywhere else, seated more people than the room holds)."""

import datetime as dt

import pytest
from django.urls import reverse

from lms.classroom import services
from lms.classroom.admin import ClassSessionForm
from lms.classroom.models import Registration
from lms.hours.selectors import JAKARTA
from shell.people.tests.factories import UserFactory

from .factories import make_session

pytestmark = pytest.mark.django_db

BEFORE = dt.datetime(2026, 3, 1, 9, tzinfo=JAKARTA)


def register(session, user=None):
    return services.check_registration_create(user=user or UserFactory(), session_id=session.pk, now=BEFORE)


def test_registration_never_seats_more_than_the_room_holds():
    session = make_session(capacity=5)
    session.room.capacity = 2  # the room was made smaller after the quota was set
    session.room.save()
    statuses = [register(session).status for _ in range(3)]
    assert statuses == [Registration.Status.REGISTERED, Registration.Status.REGISTERED, Registration.Status.WAITLISTED]


def test_the_page_says_the_class_is_full_and_puts_the_learner_on_the_waiting_list(client):
    session = make_session(capacity=3, days=[(dt.date.today() + dt.timedelta(days=30), dt.time(8), dt.time(16))])
    session.room.capacity = 1
    session.room.save()
    first, second = UserFactory(), UserFactory()
    for user in (first, second):
        client.force_login(user)
        response = client.post(reverse("classroom:register", args=[session.pk]), follow=True)
    assert "Kelas penuh" in response.content.decode()
    assert Registration.objects.get(user=second).status == Registration.Status.WAITLISTED


def test_a_bigger_room_or_quota_fills_seats_from_the_waiting_list_up_to_both():
    session = make_session(capacity=3)
    session.room.capacity = 1
    session.room.save()
    seated, first_waiting, second_waiting, third_waiting = (register(session) for _ in range(4))
    session.room.capacity = 10
    session.room.save()
    promoted = services.session_capacity_changed(session=session)
    assert [r.pk for r in promoted] == [first_waiting.pk, second_waiting.pk]  # the quota (3) is the limit now
    assert Registration.objects.get(pk=third_waiting.pk).status == Registration.Status.WAITLISTED
    assert seated.status == Registration.Status.REGISTERED


def test_the_admin_refuses_a_quota_above_the_room_and_adds_no_registrations(admin_client):
    session = make_session(capacity=2)
    form = ClassSessionForm(
        data={
            "course": session.course_id,
            "title": "Angkatan X",
            "room": session.room_id,
            "capacity": session.room.capacity + 1,
            "status": "scheduled",
            "checkin_mode": "trainer_confirms",
        }
    )
    assert not form.is_valid()
    assert "kapasitas ruang" in str(form.errors["capacity"])
    assert admin_client.get("/django-admin/classroom/registration/add/").status_code == 403


def test_the_organiser_chooses_the_check_in_mode_and_the_venue_in_the_admin(admin_client):
    session = make_session()
    page = admin_client.get(f"/django-admin/classroom/classsession/{session.pk}/change/").content.decode()
    assert 'name="checkin_mode"' in page and "personal_qr" in page and "location" in page
    page = admin_client.get(f"/django-admin/classroom/room/{session.room_id}/change/").content.decode()
    assert 'name="latitude"' in page and 'name="checkin_radius_m"' in page and "dipalsukan" in page
