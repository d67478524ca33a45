"""Level 3: the follow-up to the learner and their supervisor some weeks after completion, one reminder,
and a beat that sends nothing twice."""

import datetime as dt

import pytest
from django.urls import reverse

from lms.classroom import services as classroom_services
from lms.hours.selectors import JAKARTA
from lms.surveys import selectors, services
from lms.surveys.models import FollowUp
from lms.surveys.tasks import follow_ups_send_task
from shell.inbox.models import Notification
from shell.people import roles
from shell.people.tests.factories import UserFactory

from .factories import CLASS_DAY, at, attend_class, complete_course, survey_course, survey_session

pytestmark = pytest.mark.django_db

COMPLETED = dt.datetime(2026, 4, 1, 3, tzinfo=dt.UTC)  # 1 April 2026, 10:00 WIB


def moment(date: dt.date) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, 8, tzinfo=JAKARTA)


@pytest.fixture
def completed(django_capture_on_commit_callbacks):
    course, _trainer = survey_course(required=False)
    supervisor = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR], full_name="Ibu Atasan")
    learner = UserFactory(supervisor=supervisor, full_name="Budi Peserta")
    complete_course(course, learner, django_capture_on_commit_callbacks, when=COMPLETED)
    return course, learner, supervisor


def follow_up_notes():
    return list(Notification.objects.filter(kind="lms.survey_follow_up").order_by("pk").values_list("user_id", "title"))


def test_the_follow_up_goes_to_learner_and_supervisor_after_the_configured_weeks_once(completed, settings):
    settings.SURVEY_FOLLOWUP_WEEKS = 8
    course, learner, supervisor = completed
    due = dt.date(2026, 4, 1) + dt.timedelta(weeks=8)
    assert services.follow_ups_send(now=moment(due - dt.timedelta(days=1))).sent == 0
    run = services.follow_ups_send(now=moment(due))
    assert run.sent == 2
    rows = {f.role: f for f in FollowUp.objects.all()}
    assert (rows["learner"].respondent, rows["supervisor"].respondent) == (learner, supervisor)
    assert rows["supervisor"].completed_on == dt.date(2026, 4, 1)
    notes = follow_up_notes()
    assert {user_id for user_id, _t in notes} == {learner.pk, supervisor.pk}
    assert any("Budi Peserta" in title for user_id, title in notes if user_id == supervisor.pk)
    # The beat again, the next hour and the next day: nothing new.
    for later in (moment(due), moment(due + dt.timedelta(days=1))):
        assert services.follow_ups_send(now=later) == services.FollowUpRun(0, 0)
    assert FollowUp.objects.count() == 2 and len(follow_up_notes()) == 2
    assert [f.pk for f in selectors.follow_ups_pending(user=supervisor)] == [rows["supervisor"].pk]


def test_the_weeks_are_configurable_and_old_completions_are_not_asked(completed, settings):
    settings.SURVEY_FOLLOWUP_WEEKS = 2
    settings.SURVEY_FOLLOWUP_MAX_LATE_DAYS = 10
    assert services.follow_ups_send(now=moment(dt.date(2026, 4, 15) + dt.timedelta(days=11))).sent == 0
    assert services.follow_ups_send(now=moment(dt.date(2026, 4, 15))).sent == 2


def test_one_reminder_to_those_who_did_not_answer(completed, settings, client):
    settings.SURVEY_FOLLOWUP_REMINDER_DAYS = 14
    course, learner, supervisor = completed
    due = dt.date(2026, 4, 1) + dt.timedelta(weeks=8)
    services.follow_ups_send(now=moment(due))
    learner_row = FollowUp.objects.get(role="learner")
    services.follow_up_answer(user=learner, follow_up=learner_row, applied=4, example="Saya menerapkan SOP baru.")
    assert services.follow_ups_send(now=moment(due + dt.timedelta(days=13))).reminded == 0
    assert services.follow_ups_send(now=moment(due + dt.timedelta(days=14))).reminded == 1
    assert services.follow_ups_send(now=moment(due + dt.timedelta(days=30))).reminded == 0
    reminders = [(u, t) for u, t in follow_up_notes() if t.startswith("Pengingat")]
    assert [u for u, _t in reminders] == [supervisor.pk]


def test_the_periodic_task_is_registered_and_safe_to_run_twice(completed, settings, monkeypatch):
    from shell.hooks import beat_schedule

    assert any(entry["task"] == "surveys.follow_ups_send" for entry in beat_schedule().values())
    due = dt.date(2026, 4, 1) + dt.timedelta(weeks=settings.SURVEY_FOLLOWUP_WEEKS)
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: moment(due))
    first, second = follow_ups_send_task.apply().get(), follow_ups_send_task.apply().get()
    assert (first["sent"], second["sent"]) == (2, 0)


def test_answering_a_follow_up_is_the_respondents_own_once(completed, client):
    course, learner, supervisor = completed
    services.follow_ups_send(now=moment(dt.date(2026, 4, 1) + dt.timedelta(weeks=8)))
    row = FollowUp.objects.get(role="supervisor")
    url = reverse("surveys:follow_up", args=[row.pk])
    for stranger in (learner, UserFactory()):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        assert client.post(url, {"applied": "5", "example": "x"}).status_code == 404
    client.force_login(supervisor)
    assert client.post(url, {"applied": "9", "example": "x"}).status_code == 400
    assert client.post(url, {"applied": "4", "example": ""}).status_code == 400
    response = client.post(url, {"applied": "4", "example": "Laporan kini tepat waktu <b>"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.applied, row.example) == (4, "Laporan kini tepat waktu <b>")
    with pytest.raises(services.SurveyError, match="sudah dijawab"):
        services.follow_up_answer(user=supervisor, follow_up=row, applied=2, example="lagi")
    assert "Sudah dijawab" in client.get(url).content.decode()


def test_level_3_response_rate_and_score_follow_the_group_size(completed, settings):
    settings.SURVEY_MIN_GROUP_SIZE = 2
    course, learner, supervisor = completed
    services.follow_ups_send(now=moment(dt.date(2026, 4, 1) + dt.timedelta(weeks=8)))
    rows = {f.role: f for f in FollowUp.objects.all()}
    services.follow_up_answer(user=learner, follow_up=rows["learner"], applied=3, example="Sebagian.")
    summary = selectors.follow_up_summary(course_id=course.pk, session_id=None, year=2026)
    assert (summary.sent, summary.answered, summary.response_rate, summary.score) == (2, 1, 0.5, None)
    services.follow_up_answer(user=supervisor, follow_up=rows["supervisor"], applied=5, example="Ya.")
    summary = selectors.follow_up_summary(course_id=course.pk, session_id=None, year=2026)
    assert (summary.response_rate, summary.score) == (1, 4)


def test_a_class_follow_up_goes_to_those_credited_for_it(django_capture_on_commit_callbacks):
    session = survey_session(required=False)
    learner = attend_class(session)
    UserFactory()  # not in the class
    with django_capture_on_commit_callbacks(execute=True):
        classroom_services.session_close(session=session, by=session.trainers.get(), now=at(CLASS_DAY, 17))
    run = services.follow_ups_send(now=moment(CLASS_DAY + dt.timedelta(weeks=8)))
    assert run.sent == 1  # no supervisor: the learner alone
    row = FollowUp.objects.get()
    assert (row.learner, row.session, row.target) == (learner, session, f"session:{session.pk}")
