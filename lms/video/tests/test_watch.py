"""A video lesson is done when the platform decided, from the segments a watch session it opened received,
that the learner watched VIDEO_COMPLETION_PERCENT of the video (docs/trust.md, "Videos"). A forged, too short
or too fast watch completes nothing; a statement sent to /xapi/statements never does; replays change nothing."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from content.tests.factories import RIGHT_ANSWERS, make_course
from lms import activities, services
from lms.hours.models import LedgerEntry
from lms.models import Enrollment, LessonProgress
from lms.video.models import VideoWatch
from lms.video.services import video_watch_open, video_watch_token
from lms.xapi.actors import actor_for_user
from lms.xapi.constants import (
    EXT_VIDEO_PLAYED_SEGMENTS,
    EXT_VIDEO_PROGRESS,
    VERB_COMPLETED,
    VERB_PAUSED,
    VERB_PLAYED,
)
from lms.xapi.models import Statement, key
from lms.xapi.tests.lrs import VERSION_HEADER
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DURATION = 12.0  # the demo video's


@pytest.fixture
def setup():
    learner = UserFactory()
    course = make_course(title="Tanda Tangan Elektronik", jp="2", lessons=("watch",))
    services.check_enrollment_self(user=learner, course_id=course.pk)
    (lesson,) = course.lessons()
    ((block_id, value),) = lesson.video_items
    return learner, course, lesson, block_id


def open_watch(learner, lesson, block_id, *, seconds_ago: float = 0) -> tuple[VideoWatch, str]:
    """A watch session as the lesson page opens it, started ``seconds_ago`` by the server's clock."""
    enrollment = Enrollment.objects.get(user=learner, course_id=lesson.get_parent().pk)
    watch = video_watch_open(user=learner, enrollment=enrollment, lesson=lesson, block_id=block_id, seconds=DURATION)
    VideoWatch.objects.filter(pk=watch.pk).update(opened_at=timezone.now() - dt.timedelta(seconds=seconds_ago))
    url = f"/belajar/video/{lesson.pk}/{block_id}/xapi/?watch={video_watch_token(watch=watch)}"
    return watch, url


def report(lesson, block_id, *, verb=VERB_COMPLETED, segments: str | None = None, **extra) -> dict:
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": "Someone Else", "mbox": "mailto:other@example.com"},
        "verb": {"id": verb},
        "object": {"objectType": "Activity", "id": activities.video_iri(lesson.pk, block_id)},
        **extra,
    }
    if segments is not None:
        statement["result"] = {"extensions": {EXT_VIDEO_PLAYED_SEGMENTS: segments, EXT_VIDEO_PROGRESS: 1.0}}
    return statement


def post(user, url, statement):
    client = Client()
    client.force_login(user)
    return client.post(url, json.dumps(statement), content_type="application/json")


def lesson_done(learner, lesson) -> bool:
    return LessonProgress.objects.filter(enrollment__user=learner, lesson=lesson, completed_at__isnull=False).exists()


def test_watching_the_share_completes_the_lesson_and_credits_the_course(setup):
    learner, course, lesson, block_id = setup
    watch, url = open_watch(learner, lesson, block_id, seconds_ago=DURATION)
    response = post(learner, url, report(lesson, block_id, verb=VERB_PLAYED))
    assert response.status_code == 200 and response.json()["progress"] == 0 and not response.json()["lesson_done"]
    # The player played on: the next report comes DURATION seconds later by the server's clock.
    VideoWatch.objects.filter(pk=watch.pk).update(last_report_at=timezone.now() - dt.timedelta(seconds=DURATION))

    # 0..5.5 and 5..11: 11 of 12 seconds (91.7%), the overlap counted once.
    response = post(learner, url, report(lesson, block_id, verb=VERB_PAUSED, segments="0[.]5.5[,]5[.]11"))
    body = response.json()
    assert response.status_code == 200, body
    assert body["watched"] and body["lesson_done"] and body["progress"] == pytest.approx(11 / 12, abs=1e-3)
    assert lesson_done(learner, lesson)
    assert Enrollment.objects.get(user=learner, course=course).completed_at is not None
    assert LedgerEntry.objects.get(user=learner).jp == 2
    # The platform's own completion, with what it counted: the learner's reports never move anything.
    completion = Statement.objects.get(
        source=Statement.Source.PLATFORM,
        verb_key=key(VERB_COMPLETED),
        activity_key=key(activities.video_iri(lesson.pk, block_id)),
    )
    assert completion.data["result"]["extensions"][EXT_VIDEO_PROGRESS] == pytest.approx(0.917, abs=1e-3)
    assert completion.data["result"]["extensions"][EXT_VIDEO_PLAYED_SEGMENTS] == "0.000[.]11.000"
    assert set(Statement.objects.filter(sender=learner).values_list("source", flat=True)) == {Statement.Source.PLAYER}


def test_too_short_a_watch_does_not_complete(setup):
    learner, course, lesson, block_id = setup
    _watch, url = open_watch(learner, lesson, block_id, seconds_ago=60)
    # 10.7 of 12 seconds is 89%: one second short of the share.
    response = post(learner, url, report(lesson, block_id, segments="0[.]4[,]4.3[.]11"))
    assert response.status_code == 200
    assert response.json() == {
        "id": response.json()["id"],
        "progress": pytest.approx(10.7 / 12, abs=1e-4),
        "watched": False,
        "lesson_done": False,
    }
    assert not lesson_done(learner, lesson)
    assert not LedgerEntry.objects.filter(user=learner).exists()


def test_the_share_is_a_setting(setup, settings):
    settings.VIDEO_COMPLETION_PERCENT = 40
    learner, course, lesson, block_id = setup
    _watch, url = open_watch(learner, lesson, block_id, seconds_ago=60)
    assert post(learner, url, report(lesson, block_id, segments="0[.]5")).json()["lesson_done"]


def test_segments_that_do_not_add_up_are_refused(setup):
    """A whole video reported one second after the page was served: faster than VIDEO_MAX_PLAYBACK_RATE."""
    learner, course, lesson, block_id = setup
    watch, url = open_watch(learner, lesson, block_id, seconds_ago=1)
    statement = report(lesson, block_id, segments="0[.]12")
    response = post(learner, url, statement)
    assert response.status_code == 400 and "do not add up" in response.json()["error"]
    assert not Statement.objects.filter(pk=statement["id"]).exists()
    watch.refresh_from_db()
    assert watch.watched == 0 and watch.completed_at is None
    assert not lesson_done(learner, lesson)
    # Watched at twice real time: 6 seconds of the session are enough for the whole video.
    VideoWatch.objects.filter(pk=watch.pk).update(opened_at=timezone.now() - dt.timedelta(seconds=6))
    assert post(learner, url, report(lesson, block_id, segments="0[.]12")).json()["lesson_done"]


def test_segments_outside_the_video_or_malformed_are_refused(setup):
    learner, course, lesson, block_id = setup
    _watch, url = open_watch(learner, lesson, block_id, seconds_ago=600)
    for segments in ("0[.]300", "5[.]2", "a[.]b", "0-12"):
        response = post(learner, url, report(lesson, block_id, segments=segments))
        assert response.status_code == 400, segments
    assert not lesson_done(learner, lesson)


def test_repeated_segments_count_once(setup):
    learner, course, lesson, block_id = setup
    watch, url = open_watch(learner, lesson, block_id, seconds_ago=600)
    for _ in range(3):
        assert post(learner, url, report(lesson, block_id, verb=VERB_PAUSED, segments="0[.]6")).status_code == 200
    watch.refresh_from_db()
    assert watch.watched == 6 and watch.segments == [[0, 6]]
    assert not lesson_done(learner, lesson)


def test_a_report_without_the_session_the_server_opened_is_refused(setup):
    learner, course, lesson, block_id = setup
    watch, url = open_watch(learner, lesson, block_id, seconds_ago=600)
    base = f"/belajar/video/{lesson.pk}/{block_id}/xapi/"
    assert post(learner, base, report(lesson, block_id, segments="0[.]12")).status_code == 403
    assert post(learner, base + "?watch=forged", report(lesson, block_id, segments="0[.]12")).status_code == 403
    # Another learner, enrolled too, cannot use this learner's session.
    other = UserFactory()
    services.check_enrollment_self(user=other, course_id=course.pk)
    assert post(other, url, report(lesson, block_id, segments="0[.]12")).status_code == 403
    # Not enrolled: refused before anything else.
    stranger = UserFactory()
    assert post(stranger, url, report(lesson, block_id, segments="0[.]12")).status_code == 403
    # A session is for one video: another object is refused.
    statement = report(lesson, block_id, segments="0[.]12")
    statement["object"]["id"] = activities.lesson_iri(lesson.pk)
    assert post(learner, url, statement).status_code == 400
    assert not lesson_done(learner, lesson) and not lesson_done(other, lesson)


def test_an_expired_session_is_refused(setup, settings):
    learner, course, lesson, block_id = setup
    _watch, url = open_watch(learner, lesson, block_id, seconds_ago=600)
    settings.VIDEO_WATCH_MAX_AGE = -1
    assert post(learner, url, report(lesson, block_id, segments="0[.]12")).status_code == 403


def test_a_statement_sent_to_the_lrs_completes_nothing(setup):
    """The learner's browser posts the video's completion, and even the platform's own shape of it, straight
    to /xapi/statements: stored, believed by nobody."""
    learner, course, lesson, block_id = setup
    iri = activities.video_iri(lesson.pk, block_id)
    forged = [
        {
            "id": str(uuid.uuid4()),
            "actor": actor_for_user(learner),
            "verb": {"id": VERB_COMPLETED},
            "object": {"objectType": "Activity", "id": iri},
            "result": {"completion": True, "extensions": {EXT_VIDEO_PROGRESS: 1, EXT_VIDEO_PLAYED_SEGMENTS: "0[.]12"}},
            "context": {"registration": str(Enrollment.objects.get(user=learner).registration)},
        }
    ]
    client = Client()
    client.force_login(learner)
    response = client.post("/xapi/statements", json.dumps(forged), content_type="application/json", **VERSION_HEADER)
    assert response.status_code == 200, response.content
    assert Statement.objects.get(pk=forged[0]["id"]).source == Statement.Source.SESSION
    assert not lesson_done(learner, lesson)
    assert not LedgerEntry.objects.filter(user=learner).exists()


def test_mark_done_does_not_complete_a_video_lesson(setup):
    learner, course, lesson, block_id = setup
    enrollment = Enrollment.objects.get(user=learner)
    with pytest.raises(services.LearningError, match="menonton videonya"):
        services.lesson_complete(enrollment=enrollment, lesson=lesson)
    client = Client()
    client.force_login(learner)
    response = client.post(f"/belajar/pelajaran/{lesson.pk}/selesai/", follow=True)
    assert "menonton videonya (minimal 90%)" in response.content.decode()
    # Nor does the platform's own "experienced" of the lesson (the button's statement) if it were recorded.
    from lms.xapi.transformers import learning_event_record

    learning_event_record("lms.lesson.experienced", user=learner, enrollment=enrollment, lesson=lesson)
    assert not lesson_done(learner, lesson)


def test_a_replayed_report_changes_nothing(setup):
    learner, course, lesson, block_id = setup
    _watch, url = open_watch(learner, lesson, block_id, seconds_ago=60)
    statement = report(lesson, block_id, segments="0[.]12")
    first = post(learner, url, statement).json()
    again = post(learner, url, statement).json()
    assert first == again and first["lesson_done"]
    assert Statement.objects.filter(pk=statement["id"]).count() == 1
    assert Statement.objects.filter(source=Statement.Source.PLATFORM, verb_key=key(VERB_COMPLETED)).count() == 2
    assert LedgerEntry.objects.filter(user=learner).count() == 1  # the video and the course, credited once


def test_a_second_session_after_completion_changes_no_credit(setup):
    learner, course, lesson, block_id = setup
    for _ in range(2):
        _watch, url = open_watch(learner, lesson, block_id, seconds_ago=60)
        assert post(learner, url, report(lesson, block_id, segments="0[.]12")).json()["lesson_done"]
    assert LedgerEntry.objects.filter(user=learner).count() == 1


def test_a_rebuild_derives_the_same_progress(setup):
    learner, course, lesson, block_id = setup
    _watch, url = open_watch(learner, lesson, block_id, seconds_ago=60)
    post(learner, url, report(lesson, block_id, segments="0[.]12"))
    call_command("rebuild_projections")
    assert lesson_done(learner, lesson)
    assert LedgerEntry.objects.get(user=learner).jp == 2


def test_a_lesson_with_a_video_and_a_quiz_needs_both():
    learner = UserFactory()
    course = make_course(jp="3", lessons=("watch+quiz",))
    enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
    (lesson,) = course.lessons()
    ((block_id, _value),) = lesson.video_items
    assert services.quiz_submit(enrollment=enrollment, lesson=lesson, answers=RIGHT_ANSWERS).passed
    assert not lesson_done(learner, lesson)
    _watch, url = open_watch(learner, lesson, block_id, seconds_ago=60)
    assert post(learner, url, report(lesson, block_id, segments="0[.]12")).json()["lesson_done"]
    assert Enrollment.objects.get(pk=enrollment.pk).completed_at is not None


def test_one_late_report_claims_little_the_video_counts_as_reports_arrive(setup, settings):
    """Review 16, F1: the page opened long ago and one statement claiming the whole video: a report credits at
    most the wall time since the previous report (at most VIDEO_REPORT_MAX_GAP s) at the fastest rate; the
    rest counts only from later reports, as an honest player sends while the video plays."""
    settings.VIDEO_REPORT_MAX_GAP = 3
    learner, course, lesson, block_id = setup
    watch, url = open_watch(learner, lesson, block_id, seconds_ago=600)
    response = post(learner, url, report(lesson, block_id, verb=VERB_PAUSED, segments="0[.]12"))
    assert response.status_code == 200
    assert response.json()["progress"] == pytest.approx(6 / 12) and not response.json()["watched"]
    # At once again: no wall time passed, nothing more counts.
    response = post(learner, url, report(lesson, block_id, verb=VERB_PAUSED, segments="0[.]12"))
    assert response.json()["progress"] == pytest.approx(6 / 12, abs=0.05)  # the milliseconds between two posts
    assert not lesson_done(learner, lesson)
    # Three seconds later (as the player reports while playing) the next six seconds count.
    VideoWatch.objects.filter(pk=watch.pk).update(last_report_at=timezone.now() - dt.timedelta(seconds=3))
    response = post(learner, url, report(lesson, block_id, verb=VERB_PAUSED, segments="0[.]12"))
    assert response.json()["watched"] and response.json()["lesson_done"]
    watch.refresh_from_db()
    assert watch.segments == [[0, 12]]


def test_segments_past_the_end_count_nothing_and_never_negative(setup):
    """Review 16, F2."""
    learner, course, lesson, block_id = setup
    watch, url = open_watch(learner, lesson, block_id, seconds_ago=600)
    response = post(learner, url, report(lesson, block_id, verb=VERB_PAUSED, segments="12.5[.]12.9[,]12.6[.]12.95"))
    assert response.status_code == 200 and response.json()["progress"] == 0
    watch.refresh_from_db()
    assert watch.watched == 0 and watch.segments == []


def test_context_activities_not_an_object_is_refused_not_a_500(setup):
    """Review 16, F3."""
    learner, course, lesson, block_id = setup
    _watch, url = open_watch(learner, lesson, block_id, seconds_ago=600)
    for bad in ([1, 2], "x", 5, {"grouping": 5}):
        statement = report(lesson, block_id, verb=VERB_PLAYED, context={"contextActivities": bad})
        response = post(learner, url, statement)
        assert response.status_code == 400, (bad, response.content)
        assert "contextActivities" in response.json()["error"]


def test_a_reload_reuses_the_open_session_and_old_ones_are_purged(setup, settings):
    """Review 16, F12: one unfinished session per learner and video, not one row per page load."""
    from lms.video.services import video_watches_purge

    learner, course, lesson, block_id = setup
    first, _url = open_watch(learner, lesson, block_id)
    again, _url = open_watch(learner, lesson, block_id)
    assert again.pk == first.pk and VideoWatch.objects.count() == 1
    VideoWatch.objects.filter(pk=first.pk).update(opened_at=timezone.now() - dt.timedelta(days=1))
    fresh, _url = open_watch(learner, lesson, block_id)
    assert fresh.pk != first.pk
    assert video_watches_purge() == 1
    assert list(VideoWatch.objects.values_list("pk", flat=True)) == [fresh.pk]
