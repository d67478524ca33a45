"""Two sends of one survey at the same moment (a double tap, two tabs), and two beats at once (PostgreSQL,
real transactions): one response, one certificate, one follow-up each, and the other told why."""

import datetime as dt

import pytest

from conftest import run_at_once
from lms.certificates.models import Certificate
from lms.hours.selectors import JAKARTA
from lms.surveys import selectors, services
from lms.surveys.models import FollowUp, Respondent, Response
from shell.inbox.models import Notification
from shell.people import roles
from shell.people.tests.factories import UserFactory

from .factories import answers_for, complete_course, survey_course


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_two_sends_of_one_survey_at_once_keep_one_response_and_one_certificate(django_capture_on_commit_callbacks):
    course, _trainer = survey_course(required=True)
    learner = UserFactory()
    complete_course(course, learner, django_capture_on_commit_callbacks)
    target = selectors.survey_target_for(user=learner, course_id=course.pk, session_id=None)
    results, errors = run_at_once(
        lambda: services.survey_submit(user=learner, target=target, answers=answers_for(target)), count=3
    )
    assert len(results) == 1 and len(errors) == 2
    assert all(isinstance(e, services.SurveyError) and "sudah mengisi" in str(e) for e in errors)
    assert (Respondent.objects.count(), Response.objects.count()) == (1, 1)
    assert Certificate.objects.filter(user=learner).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_two_beats_at_once_send_each_follow_up_and_reminder_once(django_capture_on_commit_callbacks):
    course, _trainer = survey_course(required=False)
    supervisor = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR])
    learners = [UserFactory(supervisor=supervisor) for _ in range(3)]
    for learner in learners:
        complete_course(course, learner, django_capture_on_commit_callbacks)
    due = dt.datetime(2026, 5, 27, 8, tzinfo=JAKARTA)  # 8 weeks after 1 April
    results, errors = run_at_once(lambda: services.follow_ups_send(now=due), count=2)
    assert errors == [] and sum(r.sent for r in results) == 6
    assert FollowUp.objects.count() == 6
    later = due + dt.timedelta(days=20)
    results, errors = run_at_once(lambda: services.follow_ups_send(now=later), count=2)
    assert errors == [] and sum(r.reminded for r in results) == 6
    assert Notification.objects.filter(kind="lms.survey_follow_up").count() == 12
