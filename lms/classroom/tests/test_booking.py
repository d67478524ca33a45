"""Booking a class as a learner expects it: the schedule and the class page agree on the seats taken
(one read of seats for both), cancelling asks first, and one person holds one cohort of a course: a
second is refused with a message that says what to do, by the service under a lock on the person and by
the database (``registration_one_live_cohort_per_course``)."""

import datetime as dt
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from conftest import run_at_once
from lms.classroom import selectors, services
from lms.classroom.admin import ClassSessionForm
from lms.classroom.models import ClassSession, Registration
from lms.classroom.services import ClassroomError
from lms.hours.selectors import JAKARTA
from shell.people.tests.factories import UserFactory

from .factories import make_session
from .test_classroom import at, attend

BEFORE = dt.datetime(2026, 3, 1, 9, tzinfo=JAKARTA)
TWO_DAYS = [(dt.date(2026, 3, 10), dt.time(8), dt.time(16)), (dt.date(2026, 3, 11), dt.time(8), dt.time(16))]
LATER = [(dt.date(2026, 4, 14), dt.time(8), dt.time(16))]


def register(session, user=None, now=BEFORE):
    return services.check_registration_create(user=user or UserFactory(), session_id=session.pk, now=now)


def cohorts():
    """Two cohorts (sessions) of one classroom course."""
    first = make_session(days=TWO_DAYS, title="Angkatan I")
    second = make_session(days=LATER, course=first.course, title="Angkatan II")
    return first, second


def _future(days_ahead: int) -> list:
    date = timezone.now().astimezone(JAKARTA).date() + dt.timedelta(days=days_ahead)
    return [(date, dt.time(8), dt.time(16)), (date + dt.timedelta(days=1), dt.time(8), dt.time(16))]


# Seats -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_schedule_and_the_class_page_count_the_same_seats_for_a_two_day_class(client):
    # Joined with its two days, the schedule used to count each person twice.
    session = make_session(days=_future(20), capacity=25)
    session.room.capacity = 20  # the room holds fewer than the quota: 20 seats
    session.room.save()
    register(session, now=timezone.now())
    client.force_login(UserFactory())
    listed = client.get(reverse("classroom:list")).content.decode()
    detail = client.get(reverse("classroom:detail", args=[session.pk])).content.decode()

    def seats(html):
        return re.search(rf'data-testid="seats-{session.pk}">([^<]*)<', html).group(1)

    assert seats(listed) == seats(detail) == "1 dari 20 kursi terisi"
    row = selectors.session_get(pk=session.pk)
    assert (row.seats, row.seats_taken) == (20, selectors.session_seats_taken(session=session)) == (20, 1)


@pytest.mark.django_db
def test_a_full_class_says_so_on_both_pages(client):
    session = make_session(days=_future(20), capacity=1)
    register(session, now=timezone.now())
    client.force_login(UserFactory())
    for url in (reverse("classroom:list"), reverse("classroom:detail", args=[session.pk])):
        assert "1 dari 1 kursi terisi · penuh" in client.get(url).content.decode()


# Cancelling asks first -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_cancelling_asks_first_and_only_the_post_cancels(client):
    session = make_session(days=_future(20), capacity=1)
    learner, waiting = UserFactory(), UserFactory()
    mine = register(session, learner, now=timezone.now())
    register(session, waiting, now=timezone.now())
    client.force_login(learner)
    detail = client.get(reverse("classroom:detail", args=[session.pk])).content.decode()
    # The class page links to the question; it holds no form that cancels in one tap.
    assert f'href="{reverse("classroom:cancel", args=[session.pk])}"' in detail
    assert f'action="{reverse("classroom:cancel", args=[session.pk])}"' not in detail
    question = client.get(reverse("classroom:cancel", args=[session.pk]))
    assert question.status_code == 200
    text = question.content.decode()
    assert "Batalkan pendaftaran?" in text and "daftar tunggu" in text and session.display_title in text
    mine.refresh_from_db()
    assert mine.status == Registration.Status.REGISTERED
    response = client.post(reverse("classroom:cancel", args=[session.pk]), follow=True)
    assert "Pendaftaran Anda dibatalkan." in response.content.decode()
    mine.refresh_from_db()
    assert (mine.status, mine.booked_course_id) == (Registration.Status.CANCELLED, None)
    assert Registration.objects.get(user=waiting).status == Registration.Status.REGISTERED


@pytest.mark.django_db
def test_the_question_is_a_404_to_someone_not_registered(client):
    session = make_session(days=_future(20))
    client.force_login(UserFactory())
    assert client.get(reverse("classroom:cancel", args=[session.pk])).status_code == 404


# One cohort per course -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_cohort_of_the_same_course_is_refused_with_what_to_do():
    first, second = cohorts()
    learner = UserFactory()
    register(first, learner)
    with pytest.raises(ClassroomError) as refused:
        register(second, learner)
    assert "Anda sudah terdaftar di" in str(refused.value) and "Angkatan I" in str(refused.value)
    assert "batalkan pendaftaran itu dulu" in str(refused.value)
    assert not Registration.objects.filter(session=second).exists()
    # Registering again for the same cohort is still the one registration.
    assert register(first, learner).session_id == first.pk


@pytest.mark.django_db
def test_a_place_on_the_waiting_list_is_a_booking_too():
    first, second = cohorts()
    first.capacity = 1
    first.save()
    register(first)
    learner = UserFactory()
    assert register(first, learner).status == Registration.Status.WAITLISTED
    with pytest.raises(ClassroomError):
        register(second, learner)


@pytest.mark.django_db
def test_after_cancelling_the_other_cohort_can_be_booked():
    first, second = cohorts()
    learner = UserFactory()
    services.registration_cancel(registration=register(first, learner), now=BEFORE)
    assert register(second, learner).status == Registration.Status.REGISTERED
    # And now the first one is the second cohort.
    with pytest.raises(ClassroomError):
        register(first, learner)


@pytest.mark.django_db
def test_other_courses_and_other_people_are_not_affected():
    first, second = cohorts()
    learner = UserFactory()
    register(first, learner)
    register(second)  # someone else
    assert register(make_session(days=LATER), learner).status == Registration.Status.REGISTERED


@pytest.mark.django_db
def test_a_cancelled_class_frees_the_booking():
    first, second = cohorts()
    learner = UserFactory()
    register(first, learner)
    services.session_cancel(session=first, reason="Ruang dipakai acara lain.")
    assert Registration.objects.get(session=first, user=learner).booked_course_id is None
    assert register(second, learner).status == Registration.Status.REGISTERED


@pytest.mark.django_db
def test_a_closed_class_without_jp_frees_the_booking_one_with_jp_does_not():
    first, second = cohorts()
    trainer = first.trainers.get()
    absent, present = UserFactory(), UserFactory()
    register(first, absent)
    attend(register(first, present), [dt.date(2026, 3, 10), dt.date(2026, 3, 11)], trainer)
    services.session_close(session=first, by=trainer, now=at(dt.date(2026, 3, 11), 17))
    assert not Registration.objects.filter(session=first).exclude(booked_course=None).exists()
    assert register(second, absent, now=at(dt.date(2026, 3, 12), 9)).status == Registration.Status.REGISTERED
    with pytest.raises(ClassroomError) as refused:
        register(second, present, now=at(dt.date(2026, 3, 12), 9))
    assert "sudah mendapat JP" in str(refused.value)


@pytest.mark.django_db
def test_the_database_refuses_two_live_cohorts_of_one_course():
    first, second = cohorts()
    learner = UserFactory()
    register(first, learner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            session=second,
            user=learner,
            status=Registration.Status.REGISTERED,
            queued_at=BEFORE,
            booked_course_id=second.course_id,
        )


@pytest.mark.django_db
def test_the_admin_cancelling_or_reopening_a_class_moves_the_bookings(admin_client):
    first, second = cohorts()
    learner = UserFactory()
    register(first, learner)
    data = {
        **{k: v for k, v in ClassSessionForm(instance=first).initial.items() if v is not None},
        "trainers": [t.pk for t in first.trainers.all()],
        "status": ClassSession.Status.CANCELLED,
        "days-TOTAL_FORMS": "0",
        "days-INITIAL_FORMS": "0",
        # The competencies the class develops (lms.planning's inline).
        "competencies-TOTAL_FORMS": "0",
        "competencies-INITIAL_FORMS": "0",
    }
    response = admin_client.post(reverse("admin:classroom_classsession_change", args=[first.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Registration.objects.get(session=first).booked_course_id is None
    data["status"] = ClassSession.Status.SCHEDULED
    admin_client.post(reverse("admin:classroom_classsession_change", args=[first.pk]), data)
    assert Registration.objects.get(session=first).booked_course_id == first.course_id
    with pytest.raises(ClassroomError):
        register(second, learner)


@pytest.mark.django_db
def test_a_session_moved_to_another_course_books_that_course_and_frees_the_old():
    first, second = cohorts()
    learner = UserFactory()
    register(first, learner)
    other_course = make_session(days=LATER).course
    first.course = other_course
    first.save()
    services.registration_booking_sync(session=first)  # what the admin's save does
    assert Registration.objects.get(session=first).booked_course_id == other_course.pk
    assert register(second, learner).status == Registration.Status.REGISTERED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_two_cohorts_booked_at_the_same_moment_one_is_refused_in_words():
    for _round in range(3):
        first, second = cohorts()
        learner = UserFactory()
        sessions = iter([first, second])

        def book(sessions=sessions, learner=learner):
            return register(next(sessions), learner).session_id

        results, errors = run_at_once(book, count=2)
        assert len(results) == 1, (results, errors)
        assert len(errors) == 1 and isinstance(errors[0], ClassroomError), errors
        assert Registration.objects.filter(user=learner).exclude(booked_course=None).count() == 1
