"""Attacks from the hostile reviews, kept as regression tests: each asserts the safe behaviour."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from content.h5p.tests.factories import COLUMN, make_h5p_course
from lms import activities, services
from lms.h5p.models import H5PAttempt, H5PResult
from lms.h5p.tests.test_tracking import COMPLETED, SET_CONTENT, _post, _statement
from lms.hours.models import LedgerEntry
from lms.models import Enrollment, LessonProgress
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _set_lesson(minimum_settings, seconds=30):
    from content.h5p.packaging import package_with_content
    from content.h5p.services import PLATFORM, h5p_content_import

    minimum_settings.H5P_MIN_SECONDS_PER_ITEM = seconds
    upload = package_with_content(COLUMN, main_library="H5P.SingleChoiceSet", content=SET_CONTENT, title="Set")
    content = h5p_content_import(upload=upload, user=PLATFORM)
    learner = UserFactory()
    course = make_h5p_course([content], pass_mark=100)
    enrollment = Enrollment.objects.create(user=learner, course=course)
    lesson = course.lessons().first()
    client = Client()
    client.force_login(learner)
    return content, enrollment, lesson, client


# (a) H5P: the minimum plausible time is per attempt; attempts are free ----------------------------------


def test_parallel_attempts_from_the_retry_endpoint_do_not_bypass_the_minimum_time(
    settings, django_capture_on_commit_callbacks
):
    """Attacker: POSTs /belajar/h5p/<lesson>/<content>/percobaan/ once per question (N attempts at once),
    waits H5P_MIN_SECONDS_PER_ITEM once, then answers one question in each attempt. Two questions need
    2 x 30 s from a person; done in ~31 s of wall time."""
    content, enrollment, lesson, client = _set_lesson(settings, seconds=30)
    endpoint = f"/belajar/h5p/{lesson.pk}/{content.pk}/percobaan/"
    urls = [client.post(endpoint).json()["statement_url"] for _ in SET_CONTENT["choices"]]
    # 31 seconds pass (for all attempts at once).
    H5PAttempt.objects.update(opened_at=timezone.now() - dt.timedelta(seconds=31))
    iri = activities.h5p_iri(lesson.pk, content.pk)
    with django_capture_on_commit_callbacks(execute=True):
        for url, choice in zip(urls, SET_CONTENT["choices"], strict=True):
            assert (
                _post(client, url, _statement(f"{iri}?subContentId={choice['subContentId']}", response="0")).status_code
                == 200
            )
    assert not H5PResult.objects.filter(too_fast=True).exists()  # each answer looked plausible alone
    # SAFE: two questions answered within 31 s in all must not complete the lesson.
    assert not LessonProgress.objects.filter(enrollment=enrollment, completed_at__isnull=False).exists()


def test_the_sets_own_statement_nested_or_not_never_counts(settings, django_capture_on_commit_callbacks):
    """The set's own 'completed' with the browser's full sum, in a fresh attempt after plenty of time."""
    content, enrollment, lesson, client = _set_lesson(settings, seconds=0)
    url = client.post(f"/belajar/h5p/{lesson.pk}/{content.pk}/percobaan/").json()["statement_url"]
    iri = activities.h5p_iri(lesson.pk, content.pk)
    with django_capture_on_commit_callbacks(execute=True):
        body = _post(client, url, _statement(iri, raw=2, high=2, verb=COMPLETED, response="0")).json()
    assert body["lesson_done"] is False
    own = H5PResult.objects.get()
    assert own.raw == 0 and own.scored_by == "server"


def test_a_question_of_the_set_answered_wrong_then_claimed_right_in_another_attempt(
    settings, django_capture_on_commit_callbacks
):
    """Server scores every question: a wrong index claimed raw=1 in a new attempt stays 0."""
    content, enrollment, lesson, client = _set_lesson(settings, seconds=0)
    iri = activities.h5p_iri(lesson.pk, content.pk)
    endpoint = f"/belajar/h5p/{lesson.pk}/{content.pk}/percobaan/"
    with django_capture_on_commit_callbacks(execute=True):
        for choice in SET_CONTENT["choices"]:
            url = client.post(endpoint).json()["statement_url"]
            for response in ("1", "", "0[,]0", "-1", "01"):
                _post(client, url, _statement(f"{iri}?subContentId={choice['subContentId']}", response=response))
    assert not LessonProgress.objects.filter(enrollment=enrollment, completed_at__isnull=False).exists()


def test_an_attempt_of_another_lesson_or_learner_is_refused_by_the_retry_endpoint(settings):
    content, enrollment, lesson, client = _set_lesson(settings, seconds=0)
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.post(f"/belajar/h5p/{lesson.pk}/{content.pk}/percobaan/").status_code == 403
    assert not H5PAttempt.objects.exists()


# (a) keyed platform ids ---------------------------------------------------------------------------------


def test_a_squatter_holding_both_the_platform_id_and_its_fallback_cannot_block_the_credit(
    django_capture_on_commit_callbacks,
):
    """Were the key known (docs/trust.md's own premise for the fallback): a learner stores session statements
    under the completion's id AND under the fallback id platform_statement_id('taken|<id>'). The platform's
    completion must still be recorded and credited (a learner must not be able to lose or block credit)."""
    from content.tests.factories import make_course
    from lms.tests.test_trust import forged
    from lms.xapi.ids import platform_statement_id
    from lms.xapi.tests.lrs import VERSION_HEADER
    from lms.xapi.transformers import _registry, learning_event_record

    course = make_course(title="Etika ASN", jp="4", lessons=("text", "quiz"))
    learner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
    at = timezone.now().replace(microsecond=0)
    ours = _registry["lms.course.completed"](user=learner, enrollment=enrollment, timestamp=at).statement()
    client = Client()
    client.force_login(learner)
    for sid in (ours["id"], platform_statement_id(f"taken|{ours['id']}")):
        body = {**forged(learner, COMPLETED, activities.course_iri(course.pk)), "id": sid}
        assert (
            client.post(
                "/xapi/statements", json.dumps(body), content_type="application/json", **VERSION_HEADER
            ).status_code
            == 200
        )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            learning_event_record("lms.course.completed", user=learner, enrollment=enrollment, timestamp=at)
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"the platform's completion could not be recorded: {error!r}")
    assert LedgerEntry.objects.filter(user=learner).count() == 1


# (c) video -----------------------------------------------------------------------------------------------


def test_two_watch_sessions_each_half_the_video_do_not_complete():
    from content.tests.factories import make_course
    from lms.video.tests.test_watch import DURATION, lesson_done, open_watch, post, report

    learner = UserFactory()
    course = make_course(title="Tanda Tangan Elektronik", jp="2", lessons=("watch",))
    services.check_enrollment_self(user=learner, course_id=course.pk)
    (lesson,) = course.lessons()
    ((block_id, _value),) = lesson.video_items
    half = DURATION / 2
    _w1, url1 = open_watch(learner, lesson, block_id, seconds_ago=half / 2 + 0.5)
    _w2, url2 = open_watch(learner, lesson, block_id, seconds_ago=half / 2 + 0.5)
    assert post(learner, url1, report(lesson, block_id, segments=f"0[.]{half + 0.5}")).status_code == 200
    # The second page may get the first page's unfinished session back (a reload reuses it): then its report
    # claims more than the time since the last one allows and is refused; either way nothing completes.
    second = post(learner, url2, report(lesson, block_id, segments=f"{half - 0.5}[.]{DURATION}"))
    assert second.status_code in (200, 400), second.content
    assert not lesson_done(learner, lesson)


def test_a_video_report_with_an_inverted_or_overlong_segment_does_not_count():
    from content.tests.factories import make_course
    from lms.video.tests.test_watch import DURATION, lesson_done, open_watch, post, report

    learner = UserFactory()
    course = make_course(title="Tanda Tangan Elektronik", jp="2", lessons=("watch",))
    services.check_enrollment_self(user=learner, course_id=course.pk)
    (lesson,) = course.lessons()
    ((block_id, _value),) = lesson.video_items
    watch, url = open_watch(learner, lesson, block_id, seconds_ago=1)
    for segments in (f"0[.]{DURATION}", f"{DURATION + 0.9}[.]{DURATION + 0.5}", "0[.]1e9", "nan[.]nan"):
        post(learner, url, report(lesson, block_id, segments=segments))
    assert not lesson_done(learner, lesson)


def test_the_video_endpoint_does_not_take_another_lessons_iri(django_capture_on_commit_callbacks):
    from content.tests.factories import make_course
    from lms.video.tests.test_watch import open_watch, post, report

    learner = UserFactory()
    course = make_course(title="Etika", jp="4", lessons=("watch", "text"))
    services.check_enrollment_self(user=learner, course_id=course.pk)
    watch_lesson, text_lesson = course.lessons()
    ((block_id, _value),) = watch_lesson.video_items
    _watch, url = open_watch(learner, watch_lesson, block_id, seconds_ago=100)
    bad = report(watch_lesson, block_id, verb="http://adlnet.gov/expapi/verbs/experienced")
    bad["object"]["id"] = activities.lesson_iri(text_lesson.pk)
    assert post(learner, url, bad).status_code == 400
    assert not LessonProgress.objects.filter(lesson=text_lesson, completed_at__isnull=False).exists()


# (d) HR corrections and revocations ---------------------------------------------------------------------


def test_hr_cannot_revoke_a_reversal_to_reinstate_a_credit(django_capture_on_commit_callbacks):
    from lms.hours.review import check_ledger_revoke
    from lms.hours.services import LedgerError, ledger_correction_create
    from shell.people.tests.factories import UserFactory as U

    employee = U()
    hr = U(is_superuser=True)
    entry = ledger_correction_create(
        by=hr,
        user=employee,
        jp=Decimal("3"),
        date=timezone.localdate(),
        category="teknis",
        form="pelatihan",
        title="x",
        reason="r",
    )
    from lms.hours.services import ledger_revoke

    reversal = ledger_revoke(entry=entry, by=hr, reason="salah")
    with pytest.raises((LedgerError, PermissionError)):
        check_ledger_revoke(entry=reversal, by=hr, reason="balik lagi")
    assert sum(e.jp for e in LedgerEntry.objects.filter(user=employee)) == 0
