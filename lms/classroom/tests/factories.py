import datetime as dt

import factory
from factory.django import DjangoModelFactory

from content.tests.factories import make_course
from lms.classroom.models import ClassSession, Room, SessionDay
from shell.people import roles
from shell.people.tests.factories import UserFactory


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = Room

    name = factory.Sequence(lambda n: f"Ruang {n}")
    capacity = 30


def make_session(
    *,
    days=((dt.date(2026, 3, 10), dt.time(8), dt.time(16)),),
    capacity=20,
    jp="8",
    course=None,
    trainer=None,
    form="pelatihan",
    title="",
) -> ClassSession:
    """A classroom session of a (new) classroom course on the given (date, start, end) days."""
    if course is None:
        course = make_course(title="Pelatihan Klasikal Uji", jp=jp, delivery_mode="classroom", lessons=("text",))
        if form:
            course.development_form = form
            course.save()
    session = ClassSession.objects.create(
        course=course, room=RoomFactory(capacity=max(capacity, 1)), capacity=capacity, title=title
    )
    for date, start, end in days:
        SessionDay.objects.create(session=session, date=date, starts_at=start, ends_at=end)
    trainer = trainer or UserFactory(roles=[roles.LEARNER, roles.TRAINER])
    session.trainers.add(trainer)
    return session
