"""Course effectiveness on a hand-computed example, limited to the viewer's scope."""

import datetime as dt
from decimal import Decimal

import pytest

from content.tests.factories import make_course
from lms.models import Enrollment, LessonProgress
from reports import selectors
from reports.selectors import ReportFilters
from shell.people.tests.factories import UnitFactory, UserFactory, hr_user

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def enrol(user, course, enrolled, completed=None, done=(), score=None):
    enrollment = Enrollment.objects.create(user=user, course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=enrolled, completed_at=completed)
    for lesson in done:
        LessonProgress.objects.create(
            enrollment=enrollment,
            lesson=lesson,
            completed_at=enrolled,
            best_score=score if lesson.title == "Pelajaran 2" else None,
        )
    return enrollment


def test_course_effectiveness():
    a, b = UnitFactory(code="A"), UnitFactory(code="B")
    course = make_course(title="Pelayanan Prima", lessons=("text", "quiz", "text"))
    l1, l2, l3 = course.lessons()
    people = [UserFactory(unit=a) for _ in range(5)]
    outsider = UserFactory(unit=b)
    start = dt.datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    enrol(people[0], course, start, start + dt.timedelta(days=4), (l1, l2, l3), Decimal("0.8"))
    enrol(people[1], course, start, start + dt.timedelta(days=10), (l1, l2, l3), Decimal("0.6"))
    enrol(people[2], course, start, None, (l1,))  # stopped before the quiz
    enrol(people[3], course, start, None, (l1, l2), Decimal("0.4"))  # stopped after the quiz
    enrol(people[4], course, start, None, (l1, l2), Decimal("0.6"))  # stopped after the quiz
    enrol(outsider, course, start, None, ())  # another unit: not in HR A's figures
    enrol(people[0], make_course(title="Tahun lalu"), dt.datetime(2025, 5, 1, tzinfo=UTC))  # another year

    frame = selectors.course_effectiveness_frame(viewer=hr_user(unit=a), filters=ReportFilters(year=2026))
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row.course, row.enrolments, row.completed, row.completion_rate) == ("Pelayanan Prima", 5, 2, 40.0)
    assert row.median_days == 7.0  # 4 and 10 days
    assert row.avg_score == 60.0  # (80 + 60 + 40 + 60) / 4
    assert (row.drop_off_lesson, row.drop_off_count) == ("Pelajaran 3", 2)

    city = selectors.course_effectiveness_frame(viewer=hr_user(unit=None), filters=ReportFilters(year=2026))
    row = city.set_index("course").loc["Pelayanan Prima"]
    # Stopped at L3 twice, at L2 and (the outsider, counted city-wide) at L1 once each.
    assert row.enrolments == 6 and row.drop_off_lesson == "Pelajaran 3" and row.drop_off_count == 2


def test_classroom_utilisation_in_scope(client):
    from django.urls import reverse
    from django.utils import timezone

    from lms.classroom.models import Attendance, Registration
    from lms.classroom.tests.factories import make_session

    a, b = UnitFactory(code="A"), UnitFactory(code="B")
    session = make_session(capacity=10, days=((dt.date(2026, 3, 10), dt.time(8), dt.time(16)),))
    day = session.days.get()
    for unit, attended in ((a, True), (a, False), (b, True)):
        reg = Registration.objects.create(
            session=session,
            user=UserFactory(unit=unit),
            status=Registration.Status.REGISTERED,
            queued_at=timezone.now(),
        )
        if attended:
            Attendance.objects.create(
                registration=reg, day=day, method=Attendance.Method.MANUAL, checked_in_at=timezone.now()
            )

    hr_a = hr_user(unit=a)
    frame = selectors.classroom_utilisation_frame(viewer=hr_a, filters=ReportFilters(year=2026))
    row = frame.iloc[0]
    assert (row.month, row.seats, row.registered, row.attended) == (3, 10, 2, 1)
    assert (row.fill_rate, row.attendance_rate) == (20.0, 50.0)
    city = selectors.classroom_utilisation_frame(viewer=hr_user(unit=None), filters=ReportFilters(year=2026)).iloc[0]
    assert (city.registered, city.attended, city.fill_rate) == (3, 2, 30.0)
    # Not for a plain employee (a room's figures are HR's business).
    assert selectors.classroom_utilisation_frame(viewer=UserFactory(unit=a), filters=ReportFilters(year=2026)).empty
    client.force_login(hr_a)
    html = client.get(reverse("reports:courses"), {"tahun": 2026}).content.decode()
    assert session.room.name in html and "(20,0%)" in html  # Indonesian number format
