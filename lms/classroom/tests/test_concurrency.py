"""Two learners taking the last seat at the same moment (PostgreSQL, real row locks): one gets it,
the other is put on the waiting list. Never both seated, never an error."""

import datetime as dt
import queue

import pytest

from conftest import run_at_once
from lms.classroom import services
from lms.classroom.models import Registration
from lms.hours.selectors import JAKARTA
from shell.people.tests.factories import UserFactory

from .factories import make_session

NOW = dt.datetime(2026, 3, 1, 9, tzinfo=JAKARTA)


def race(session, users):
    waiting = queue.Queue()
    for user in users:
        waiting.put(user)
    return run_at_once(
        lambda: services.check_registration_create(user=waiting.get_nowait(), session_id=session.pk, now=NOW).status,
        count=len(users),
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_two_learners_taking_the_last_seat_at_once():
    for _round in range(3):
        session = make_session(capacity=2)
        services.check_registration_create(user=UserFactory(), session_id=session.pk, now=NOW)
        results, errors = race(session, [UserFactory(), UserFactory()])
        assert errors == []
        assert sorted(results) == [Registration.Status.REGISTERED, Registration.Status.WAITLISTED]
        assert Registration.objects.filter(session=session, status=Registration.Status.REGISTERED).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_six_learners_for_two_seats_at_once():
    session = make_session(capacity=2)
    results, errors = race(session, [UserFactory() for _ in range(6)])
    assert errors == []
    assert results.count(Registration.Status.REGISTERED) == 2
    assert results.count(Registration.Status.WAITLISTED) == 4
    assert Registration.objects.filter(session=session, status=Registration.Status.REGISTERED).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_four_learners_for_the_last_seat_of_a_room_smaller_than_the_quota():
    session = make_session(capacity=10)
    session.room.capacity = 2
    session.room.save()
    services.check_registration_create(user=UserFactory(), session_id=session.pk, now=NOW)
    results, errors = race(session, [UserFactory() for _ in range(4)])
    assert errors == []
    assert results.count(Registration.Status.REGISTERED) == 1
    assert results.count(Registration.Status.WAITLISTED) == 3
    assert Registration.objects.filter(session=session, status=Registration.Status.REGISTERED).count() == 2
