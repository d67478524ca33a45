"""An answer sooner than a person could give it is kept but does not count: the endpoint says so, with the
message the lesson page shows, and the learner may try again within a new attempt the server opens."""

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from content.h5p.tests.factories import COLUMN, TRUE_FALSE, import_sample, make_h5p_course
from lms import activities
from lms.h5p.models import H5PAttempt, H5PResult
from lms.models import Enrollment, LessonProgress
from lms.xapi.models import Statement
from shell.people.tests.factories import UserFactory

from .test_tracking import _post, _statement, attempt_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def minimum(settings):
    settings.H5P_MIN_SECONDS_PER_ITEM = 30


@pytest.fixture
def setup(minimum):
    learner = UserFactory()
    content = import_sample(TRUE_FALSE)
    course = make_h5p_course([content])
    enrollment = Enrollment.objects.create(user=learner, course=course)
    lesson = course.lessons().first()
    client = Client()
    client.force_login(learner)
    return learner, content, enrollment, lesson, client


def _attempt_endpoint(lesson, content) -> str:
    return f"/belajar/h5p/{lesson.pk}/{content.pk}/percobaan/"


def test_a_too_fast_answer_is_answered_with_a_message_and_a_way_to_retry(setup, django_capture_on_commit_callbacks):
    learner, content, enrollment, lesson, client = setup
    statement = _statement(activities.h5p_iri(lesson.pk, content.pk), response="false")  # the right answer
    with django_capture_on_commit_callbacks(execute=True):
        body = _post(client, attempt_url(learner, lesson, content), statement).json()
    assert body["too_fast"] is True and body["lesson_done"] is False
    assert "terlalu cepat untuk dihitung" in body["message"] and "30 detik" in body["message"]
    assert body["retry_url"] == _attempt_endpoint(lesson, content)
    assert H5PResult.objects.get().too_fast  # kept, for HR's anomaly list

    # "Coba lagi": a new attempt; answered after a plausible time, the same answer counts and no message.
    response = client.post(body["retry_url"])
    assert response.status_code == 201
    fresh = response.json()
    assert fresh["src"].startswith("/h5p/") and "attempt=" in fresh["statement_url"]
    newest = H5PAttempt.objects.filter(user=learner).latest("opened_at")
    H5PAttempt.objects.filter(pk=newest.pk).update(opened_at=timezone.now() - dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        again = _post(client, fresh["statement_url"], {**statement, "id": str(uuid.uuid4())}).json()
    assert again["too_fast"] is False and "message" not in again and again["lesson_done"] is True
    assert LessonProgress.objects.get(enrollment=enrollment, lesson=lesson).completed_at is not None


def test_an_answer_in_time_says_nothing_of_speed(setup, django_capture_on_commit_callbacks):
    learner, content, _enrollment, lesson, client = setup
    url = attempt_url(learner, lesson, content)
    H5PAttempt.objects.update(opened_at=timezone.now() - dt.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        body = _post(client, url, _statement(activities.h5p_iri(lesson.pk, content.pk), response="false")).json()
    assert body["too_fast"] is False and "message" not in body and "retry_url" not in body


def test_a_statement_without_a_result_is_never_too_fast(setup):
    learner, content, _enrollment, lesson, client = setup
    statement = _statement(activities.h5p_iri(lesson.pk, content.pk))
    del statement["result"]
    statement["verb"] = {"id": "http://adlnet.gov/expapi/verbs/attempted"}
    body = _post(client, attempt_url(learner, lesson, content), statement).json()
    assert body["too_fast"] is False


def test_a_nested_question_too_fast_is_reported_but_the_containers_own_total_is_not(
    minimum, django_capture_on_commit_callbacks
):
    learner = UserFactory()
    content = import_sample(COLUMN)
    course = make_h5p_course([content])
    Enrollment.objects.create(user=learner, course=course)
    lesson = course.lessons().first()
    client = Client()
    client.force_login(learner)
    url = attempt_url(learner, lesson, content)
    iri = activities.h5p_iri(lesson.pk, content.pk)
    sub_id = next(k for k, v in content.sub_items.items() if v["library"] == "H5P.TrueFalse")
    with django_capture_on_commit_callbacks(execute=True):
        nested = _post(client, url, _statement(f"{iri}?subContentId={sub_id}", response="true")).json()
        own = _post(client, url, _statement(iri, verb={"id": "http://adlnet.gov/expapi/verbs/completed"})).json()
    assert nested["too_fast"] is True
    # The container's own total never counts (its questions decide), so its timing is not the learner's news.
    assert own["too_fast"] is False
    assert H5PResult.objects.filter(too_fast=True).count() == 2


def test_a_replayed_too_fast_answer_says_so_again(setup, django_capture_on_commit_callbacks):
    learner, content, _enrollment, lesson, client = setup
    url = attempt_url(learner, lesson, content)
    statement = _statement(activities.h5p_iri(lesson.pk, content.pk), response="false")
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, url, statement).json()
        again = _post(client, url, statement).json()
    assert first["too_fast"] is again["too_fast"] is True and first["id"] == again["id"]
    assert Statement.objects.count() == 1


def test_a_new_attempt_only_for_the_enrolled_learner_by_post(setup):
    learner, content, _enrollment, lesson, client = setup
    url = _attempt_endpoint(lesson, content)
    before = H5PAttempt.objects.count()
    # Someone not enrolled in the course (a colleague, logged in): refused, nothing opened.
    stranger = Client()
    stranger.force_login(UserFactory())
    response = stranger.post(url)
    assert response.status_code == 403 and "terdaftar" in response.json()["error"]
    # Not logged in: to the login page. GET: not allowed (an attempt is opened only on purpose).
    assert Client().post(url).status_code == 302
    assert client.get(url).status_code == 405
    # An item the lesson does not place: refused.
    other = import_sample(COLUMN)
    assert client.post(_attempt_endpoint(lesson, other)).status_code == 403
    assert H5PAttempt.objects.count() == before
    # The new attempt is the learner's own: its statement URL does not take another learner's statements.
    fresh = client.post(url).json()
    assert H5PAttempt.objects.count() == before + 1
    colleague = UserFactory()
    Enrollment.objects.create(user=colleague, course=lesson.get_parent().specific)
    theirs = Client()
    theirs.force_login(colleague)
    statement = _statement(activities.h5p_iri(lesson.pk, content.pk), response="false")
    assert _post(theirs, fresh["statement_url"], statement).status_code == 403
    assert not Statement.objects.exists()


def test_the_lesson_page_carries_the_retry_address_and_a_hidden_message(setup):
    _learner, content, _enrollment, lesson, client = setup
    html = client.get(lesson.url).content.decode()
    assert f'data-attempt-url="{_attempt_endpoint(lesson, content)}"' in html
    assert 'data-testid="h5p-too-fast"' in html and "Coba lagi" in html
    message = html.split('data-testid="h5p-too-fast"', 1)[1].split(">", 1)[0]
    assert "hidden" in message  # the page's script fills it from the endpoint's answer and shows it
