"""The player's statements: checked against the learner, the item and its bounds; stored with the lesson
and course as context; refused ones quarantined; nested items count towards their parent item."""

import datetime as dt
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from content.h5p.models import QuarantinedStatement
from content.h5p.tests.factories import COLUMN, TRUE_FALSE, import_sample, make_h5p_course
from lms import activities
from lms.h5p.selectors import h5p_content_results
from lms.h5p.services import h5p_attempt_open
from lms.models import Enrollment, LessonProgress
from lms.xapi.models import Statement
from shell.people.tests.factories import UserFactory

ANSWERED = {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}}
COMPLETED = {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}}


def _statement(iri, *, raw=1, high=1, verb=ANSWERED, success=True, response=None, **extra):
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": "Someone Else", "mbox": "mailto:other@example.com"},
        "verb": verb,
        "object": {"objectType": "Activity", "id": iri, "definition": {"name": {"en-US": "Q"}}},
        "result": {
            "score": {"min": 0, "raw": raw, "max": high, "scaled": raw / high},
            "success": success,
            "completion": True,
        },
        **extra,
    }
    if response is not None:
        statement["result"]["response"] = response
    return statement


@pytest.fixture(autouse=True)
def _no_minimum_time(settings):
    """These tests answer at machine speed; the minimum plausible time has its own tests (test_trust)."""
    settings.H5P_MIN_SECONDS_PER_ITEM = 0


def attempt_url(learner, lesson, content) -> str:
    """The statement endpoint as the lesson page gives it: within an attempt opened as the player is served."""
    enrollment = Enrollment.objects.get(user=learner, course_id=lesson.get_parent().pk)
    token = h5p_attempt_open(user=learner, enrollment=enrollment, lesson=lesson, content=content)
    return f"/belajar/h5p/{lesson.pk}/{content.pk}/xapi/?attempt={token}"


@pytest.fixture
def setup(db):
    learner = UserFactory()
    content = import_sample(TRUE_FALSE)
    course = make_h5p_course([content])
    enrollment = Enrollment.objects.create(user=learner, course=course)
    lesson = course.lessons().first()
    client = Client()
    client.force_login(learner)
    url = attempt_url(learner, lesson, content)
    return learner, content, course, enrollment, lesson, client, url


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_score_is_stored_as_the_learner_with_context_and_completes_the_lesson(
    setup, django_capture_on_commit_callbacks
):
    learner, content, course, enrollment, lesson, client, url = setup
    iri = activities.h5p_iri(lesson.pk, content.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, url, _statement(iri, response="false"))  # the sample's right answer
    assert response.status_code == 200, response.content
    stored = Statement.objects.get(activity_id=iri)
    # The actor the player sent is replaced by the logged-in learner.
    assert stored.user == learner and stored.data["actor"]["account"]["name"] == str(learner.uuid)
    assert stored.registration == enrollment.registration
    assert stored.data["result"]["score"]["raw"] == 1
    progress = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)
    assert progress.completed_at is not None and progress.best_score == 1
    assert response.json()["lesson_done"] is True
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None


def test_a_failed_attempt_below_the_pass_mark_does_not_complete(db, django_capture_on_commit_callbacks):
    learner = UserFactory()
    content = import_sample(TRUE_FALSE)
    course = make_h5p_course([content], pass_mark=100)
    enrollment = Enrollment.objects.create(user=learner, course=course)
    lesson = course.lessons().first()
    client = Client()
    client.force_login(learner)
    url = attempt_url(learner, lesson, content)
    iri = activities.h5p_iri(lesson.pk, content.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, url, _statement(iri, raw=0, success=False, response="true")).json()["lesson_done"] is False
    progress = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)
    assert progress.completed_at is None and progress.attempts == 1 and progress.passed is False
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, url, _statement(iri, raw=1, response="false")).json()["lesson_done"] is True


@pytest.mark.parametrize(
    "change,reason",
    [
        ({"raw": 2, "high": 2}, "differs from this item's maximum 1"),
        ({"raw": 5, "high": 1}, "outside 0..1"),
    ],
)
def test_scores_outside_the_items_bounds_are_refused(setup, change, reason):
    _learner, content, _course, _enrollment, lesson, client, url = setup
    response = _post(client, url, _statement(activities.h5p_iri(lesson.pk, content.pk), **change))
    assert response.status_code == 400 and reason in response.json()["error"]
    assert not Statement.objects.exists()


def test_a_statement_about_another_object_is_refused(setup):
    _learner, content, _course, _enrollment, lesson, client, url = setup
    for iri in (
        activities.h5p_iri(lesson.pk, content.pk + 1),
        activities.lesson_iri(lesson.pk),
        "http://example.com/x",
    ):
        response = _post(client, url, _statement(iri))
        assert response.status_code == 400 and "is not this H5P item" in response.json()["error"]
    unknown = activities.h5p_iri(lesson.pk, content.pk) + "?subContentId=not-in-this-content"
    response = _post(client, url, _statement(unknown))
    assert response.status_code == 400 and "subContentId" in response.json()["error"]
    assert not Statement.objects.exists()


def test_an_invalid_statement_is_refused_with_the_lrs_reason(setup):
    _learner, content, _course, _enrollment, lesson, client, url = setup
    bad = _statement(activities.h5p_iri(lesson.pk, content.pk), verb={"id": "not an iri"})
    response = _post(client, url, bad)
    assert response.status_code == 400 and "verb" in response.json()["error"]


def test_a_learner_not_enrolled_may_not_report_or_quarantine(setup):
    _learner, content, _course, _enrollment, lesson, _client, url = setup
    other = Client()
    other.force_login(UserFactory())
    statement = _statement(activities.h5p_iri(lesson.pk, content.pk))
    assert _post(other, url, statement).status_code == 403
    quarantine = url.split("?")[0].replace("/xapi/", "/karantina/")
    assert _post(other, quarantine, {"statement": statement, "reason": "x"}).status_code == 403
    assert not Statement.objects.exists() and not QuarantinedStatement.objects.exists()
    assert Client().post(url, "{}", content_type="application/json").status_code == 302  # to the login page


def test_content_not_in_the_lesson_is_refused(setup):
    _learner, content, _course, _enrollment, lesson, client, _url = setup
    other = import_sample(COLUMN)
    url = f"/belajar/h5p/{lesson.pk}/{other.pk}/xapi/"
    assert _post(client, url, _statement(activities.h5p_iri(lesson.pk, other.pk))).status_code == 403


def test_a_refused_statement_is_quarantined_once_and_shown_to_trainers(setup):
    learner, content, _course, _enrollment, lesson, client, url = setup
    statement = _statement(activities.h5p_iri(lesson.pk, content.pk), raw=3, high=3)
    quarantine = url.split("?")[0].replace("/xapi/", "/karantina/")
    for _ in range(2):  # the player retries: kept once
        response = _post(client, quarantine, {"statement": statement, "reason": "result.score.max 3 differs"})
        assert response.status_code == 201
    row = QuarantinedStatement.objects.get()
    assert row.user == learner and row.content == content and row.lesson_id == lesson.pk
    assert row.statement == statement and "differs" in row.reason
    assert list(h5p_content_results(content=content)["quarantined"]) == [row]
    assert _post(client, quarantine, {"nothing": 1}).status_code == 400


# The right response to each server-scored question of COLUMN (content/h5p/samples/build.py): the first
# answer of its multiple choice, "true", both blanks, the first answer of each single-choice question.
RIGHT_IN_COLUMN = {"H5P.MultiChoice": "0", "H5P.TrueFalse": "true", "H5P.Blanks": "25[,]45", "H5P.SingleChoiceSet": "0"}


def test_nested_items_count_towards_their_parent(db, django_capture_on_commit_callbacks):
    learner = UserFactory()
    content = import_sample(COLUMN)
    assert len(content.sub_items) >= 5  # MultiChoice, TrueFalse, Blanks, Essay, SingleChoiceSet
    course = make_h5p_course([content])
    enrollment = Enrollment.objects.create(user=learner, course=course)
    lesson = course.lessons().first()
    client = Client()
    client.force_login(learner)
    url = attempt_url(learner, lesson, content)
    iri = activities.h5p_iri(lesson.pk, content.pk)
    items = list(content.sub_items.items())
    assert items[0][1]["library"] == "H5P.MultiChoice"
    for index, (sub_id, item) in enumerate(items):
        high = item["max_score"] or 4
        raw = 0 if index == 0 else high
        # The server scores these types from the response: the first item answered wrong, the others right.
        answer = "1" if index == 0 else RIGHT_IN_COLUMN.get(item["library"])
        with django_capture_on_commit_callbacks(execute=True):
            response = _post(
                client,
                url,
                _statement(f"{iri}?subContentId={sub_id}", raw=raw, high=high, success=raw == high, response=answer),
            )
        assert response.status_code == 200, response.content
        # The item is done only when every nested question has an answer.
        assert response.json()["lesson_done"] is (index == len(items) - 1)
    progress = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)
    assert progress.completed_at is not None and 0 < progress.best_score < 1
    results = h5p_content_results(content=content)
    assert results["learners"] == 1 and results["attempts"] == 1
    assert [question["title"] for question in results["most_missed"]] == [items[0][1]["title"]]


def test_the_bound_of_a_nested_item_is_checked(db):
    learner = UserFactory()
    content = import_sample(COLUMN)
    course = make_h5p_course([content])
    Enrollment.objects.create(user=learner, course=course)
    lesson = course.lessons().first()
    client = Client()
    client.force_login(learner)
    sub_id, item = next((k, v) for k, v in content.sub_items.items() if v["library"] == "H5P.TrueFalse")
    iri = activities.h5p_iri(lesson.pk, content.pk) + f"?subContentId={sub_id}"
    url = attempt_url(learner, lesson, content)
    response = _post(client, url, _statement(iri, raw=7, high=7))
    assert response.status_code == 400 and "maximum 1" in response.json()["error"]


def test_a_voided_h5p_statement_no_longer_completes_the_lesson(setup, django_capture_on_commit_callbacks):
    """The platform voids (e.g. BKPSDM's decision): the lesson's H5P progress is derived again without it."""
    from lms.xapi.services import statement_record

    _learner, content, _course, enrollment, lesson, client, url = setup
    iri = activities.h5p_iri(lesson.pk, content.pk)
    with django_capture_on_commit_callbacks(execute=True):
        sid = _post(client, url, _statement(iri)).json()["id"]
    assert LessonProgress.objects.get(enrollment=enrollment, lesson=lesson).completed_at is not None
    voiding = {
        "actor": {"mbox": "mailto:admin@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
        "object": {"objectType": "StatementRef", "id": sid},
    }
    with django_capture_on_commit_callbacks(execute=True):
        statement_record(statement=voiding)
    progress = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)
    assert progress.completed_at is None and progress.attempts == 0 and progress.best_score is None


# Trust: attempts, replays, timing, dates (docs/trust.md) ------------------------------------------------


def test_a_result_without_an_attempt_the_server_opened_is_refused(setup):
    learner, content, _course, _enrollment, lesson, client, url = setup
    iri = activities.h5p_iri(lesson.pk, content.pk)
    bare = url.split("?")[0]
    for address in (bare, bare + "?attempt=forged", bare + "?attempt=" + url.split("=", 1)[1][:-4] + "abcd"):
        response = _post(client, address, _statement(iri, response="false"))
        assert response.status_code == 403 and "muat ulang" in response.json()["error"].lower()
    # Another learner's attempt is not this learner's.
    colleague = UserFactory()
    Enrollment.objects.create(user=colleague, course=lesson.get_parent().specific)
    theirs = attempt_url(colleague, lesson, content)
    assert _post(client, theirs, _statement(iri, response="false")).status_code == 403
    assert not Statement.objects.exists()


@pytest.fixture
def strict(db):
    """A lesson whose H5P item must be answered right (pass mark 100%)."""
    learner = UserFactory()
    content = import_sample(TRUE_FALSE)
    course = make_h5p_course([content], pass_mark=100)
    enrollment = Enrollment.objects.create(user=learner, course=course)
    lesson = course.lessons().first()
    client = Client()
    client.force_login(learner)
    return learner, content, course, enrollment, lesson, client, attempt_url(learner, lesson, content)


def test_a_replayed_player_statement_changes_nothing(strict, django_capture_on_commit_callbacks):
    from lms.h5p.models import H5PResult

    learner, content, _course, enrollment, lesson, client, url = strict
    statement = _statement(activities.h5p_iri(lesson.pk, content.pk), raw=0, success=False, response="true")
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, url, statement)
        again = _post(client, url, statement)
        later = _post(client, attempt_url(learner, lesson, content), statement)  # replayed into a new attempt
    assert first.status_code == again.status_code == later.status_code == 200
    assert Statement.objects.count() == 1 and H5PResult.objects.count() == 1
    progress = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)
    assert progress.attempts == 1 and progress.completed_at is None


def test_a_full_score_claimed_for_a_wrong_answer_is_scored_by_the_server(strict, django_capture_on_commit_callbacks):
    from lms.h5p.models import H5PResult

    _learner, content, _course, enrollment, lesson, client, url = strict
    forged = _statement(activities.h5p_iri(lesson.pk, content.pk), raw=1, high=1, success=True, response="true")
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, url, forged).json()["lesson_done"] is False
    result = H5PResult.objects.get()
    assert (result.scored_by, result.scaled, result.claimed_scaled) == ("server", 0, 1)
    assert LessonProgress.objects.get(enrollment=enrollment, lesson=lesson).completed_at is None


def test_a_result_sooner_than_a_person_could_answer_is_kept_but_does_not_count(
    setup, settings, django_capture_on_commit_callbacks
):
    from lms.h5p.models import H5PAttempt, H5PResult

    settings.H5P_MIN_SECONDS_PER_ITEM = 30
    _learner, content, _course, enrollment, lesson, client, url = setup
    statement = _statement(activities.h5p_iri(lesson.pk, content.pk), response="false")
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, url, statement).json()["lesson_done"] is False
    result = H5PResult.objects.get()
    assert result.too_fast and result.seconds < 30
    assert not LessonProgress.objects.filter(enrollment=enrollment, completed_at__isnull=False).exists()
    # The same answer given after a plausible time counts.
    H5PAttempt.objects.update(opened_at=timezone.now() - dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, url, {**statement, "id": str(uuid.uuid4())}).json()["lesson_done"] is True


def test_a_statements_own_timestamp_never_dates_a_credit(setup, django_capture_on_commit_callbacks):
    """The review's forged completion landed in last year: the player's results are dated by the server."""
    from lms.hours.models import LedgerEntry

    learner, content, _course, enrollment, lesson, client, url = setup
    statement = _statement(
        activities.h5p_iri(lesson.pk, content.pk), response="false", timestamp="2020-01-02T03:04:05Z"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, url, statement).json()["lesson_done"] is True
    today = timezone.localdate()
    stored = Statement.objects.get(pk=statement["id"])
    assert stored.timestamp.date() >= today - dt.timedelta(days=1)
    entry = LedgerEntry.objects.get(user=learner)
    assert entry.date.year == today.year
    enrollment.refresh_from_db()
    assert enrollment.completed_at >= enrollment.enrolled_at


# ---- a SingleChoiceSet on its own: its questions decide, never the set's own statement ----------------


SET_CONTENT = {
    "choices": [
        {"subContentId": "scs-q1", "question": "<p>Ibu kota Indonesia?</p>\n", "answers": ["Jakarta", "Bandung"]},
        {"subContentId": "scs-q2", "question": "<p>Ibu kota Banten?</p>\n", "answers": ["Serang", "Cilegon"]},
    ],
    "behaviour": {"autoContinue": True, "passPercentage": 100},
}


@pytest.fixture
def single_choice_set(db):
    from content.h5p.packaging import package_with_content
    from content.h5p.services import PLATFORM, h5p_content_import

    upload = package_with_content(COLUMN, main_library="H5P.SingleChoiceSet", content=SET_CONTENT, title="Set")
    content = h5p_content_import(upload=upload, user=PLATFORM)
    learner = UserFactory()
    course = make_h5p_course([content], pass_mark=100)
    enrollment = Enrollment.objects.create(user=learner, course=course)
    lesson = course.lessons().first()
    client = Client()
    client.force_login(learner)
    return content, enrollment, lesson, client, attempt_url(learner, lesson, content)


def test_a_single_choice_sets_questions_are_its_items(single_choice_set):
    content, *_ = single_choice_set
    assert content.max_score == 2
    assert {k: v["max_score"] for k, v in content.sub_items.items()} == {"scs-q1": 1, "scs-q2": 1}


def test_a_single_choice_set_answered_right_passes_from_its_questions(
    single_choice_set, django_capture_on_commit_callbacks
):
    from lms.h5p.models import H5PResult

    content, enrollment, lesson, client, url = single_choice_set
    iri = activities.h5p_iri(lesson.pk, content.pk)
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, url, _statement(f"{iri}?subContentId=scs-q1", response="0"))
        assert first.json()["lesson_done"] is False
        assert _post(client, url, _statement(f"{iri}?subContentId=scs-q2", response="0")).json()["lesson_done"]
        # The set's own "completed", as the player sends it: no response, the browser's sum.
        done = _statement(iri, raw=2, high=2, verb=COMPLETED)
        assert _post(client, url, done).status_code == 200
    own = H5PResult.objects.get(sub_content_id="")
    assert (own.scored_by, own.raw, own.max) == ("server", 2, 2)  # the sum of the server's own question scores
    assert LessonProgress.objects.get(enrollment=enrollment, lesson=lesson).completed_at is not None


def test_a_forged_set_statement_naming_a_question_passes_nothing(single_choice_set, django_capture_on_commit_callbacks):
    """The set's own statement with a question's subContentId in its extension and that question's right
    answer: once this scored the whole set as 1/1. Now the set's total is its questions' server scores."""
    from lms.h5p.models import H5PResult

    content, enrollment, lesson, client, url = single_choice_set
    iri = activities.h5p_iri(lesson.pk, content.pk)
    forged = _statement(iri, raw=2, high=2, verb=COMPLETED, response="0")
    forged["object"]["definition"]["extensions"] = {"http://h5p.org/x-api/h5p-subContentId": "scs-q1"}
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, url, forged).json()["lesson_done"] is False
        # One question right and one wrong is not the 100% this lesson needs.
        _post(client, url, _statement(f"{iri}?subContentId=scs-q1", response="0"))
        wrong = _post(client, url, _statement(f"{iri}?subContentId=scs-q2", raw=1, response="1"))
        assert wrong.json()["lesson_done"] is False
    own = H5PResult.objects.filter(sub_content_id="").get()
    assert (own.raw, own.max, own.claimed_scaled) == (0, 2, 1)
    assert LessonProgress.objects.filter(enrollment=enrollment, completed_at__isnull=False).exists() is False


def test_the_quarantine_keeps_statements_of_ordinary_size_and_number(setup, monkeypatch):
    """Review 16, F16: no 10 MB blobs, no endless rows per learner and item."""
    from lms.h5p import services as h5p_services

    _learner, content, _course, _enrollment, lesson, client, url = setup
    quarantine = url.split("?")[0].replace("/xapi/", "/karantina/")
    assert _post(client, quarantine, {"statement": {"blob": "x" * 70_000}, "reason": "r"}).status_code == 400
    assert _post(client, quarantine, {"statement": "a string", "reason": "r"}).status_code == 400
    monkeypatch.setattr(h5p_services, "QUARANTINE_MAX_PER_ITEM", 2)
    codes = [_post(client, quarantine, {"statement": {"n": n}, "reason": "r"}).status_code for n in range(3)]
    assert codes == [201, 201, 429]
    assert QuarantinedStatement.objects.count() == 2
