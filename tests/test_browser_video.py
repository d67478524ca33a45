"""A learner on a phone watches a video lesson: the platform's own player plays the uploaded video, and the
lesson completes only once the platform counted the watched share (no "mark as done" button)."""

import pytest

from content.tests.factories import make_course
from lms import activities
from lms.models import Enrollment, LessonProgress
from lms.video.models import VideoWatch
from lms.xapi.constants import VERB_COMPLETED
from lms.xapi.models import Statement, key
from shell.people.tests.factories import UserFactory
from tests.browser import ARTIFACTS, login, phone_page


def _done(learner, lesson) -> bool:
    return LessonProgress.objects.filter(enrollment__user=learner, lesson=lesson, completed_at__isnull=False).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_video_lesson_completes_only_after_the_video_was_watched(live_server):
    learner = UserFactory(username="siti", full_name="Siti Rahmawati")
    course = make_course(title="Tanda Tangan Elektronik", jp="1", lessons=("watch", "text"))
    video_lesson, text_lesson = course.lessons()
    ((block_id, _value),) = video_lesson.video_items
    base = live_server.url

    with phone_page() as page:
        login(page, base, "siti", "secret-pass-123")
        page.goto(f"{base}{course.url}")
        page.get_by_test_id("enroll").click()
        page.get_by_test_id("continue").click()
        page.wait_for_url(f"**{video_lesson.url}")

        video = page.locator("video")
        assert video.is_visible()
        assert page.get_by_test_id("lesson-done").count() == 0  # nothing to tap instead of watching
        assert "Tonton minimal 90%" in page.get_by_test_id("video-rule").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.wait_for_function("() => document.querySelector('video').readyState >= 1")
        assert page.evaluate("document.querySelector('video').duration") == pytest.approx(12, abs=0.1)

        # A few seconds watched, then paused: counted, not enough.
        page.evaluate(
            "() => { const v = document.querySelector('video'); v.muted = true; v.playbackRate = 2; return v.play(); }"
        )
        page.wait_for_function("() => document.querySelector('video').currentTime >= 3")
        page.evaluate("document.querySelector('video').pause()")
        page.wait_for_function(
            "() => /Ditonton: [1-9]/.test(document.querySelector('[data-testid=video-status]').textContent)"
        )
        assert not _done(learner, video_lesson)
        assert page.get_by_test_id("lesson-complete").is_hidden()

        # Watched on to the end: the platform completes the lesson and the page says so.
        page.evaluate("() => { const v = document.querySelector('video'); v.playbackRate = 2; return v.play(); }")
        page.get_by_test_id("lesson-complete").wait_for(state="visible", timeout=60000)
        assert "Video selesai ditonton" in page.get_by_test_id("video-status").inner_text()
        assert _done(learner, video_lesson)
        watch = VideoWatch.objects.get(user=learner, completed_at__isnull=False)
        assert watch.progress >= 0.9
        completion = Statement.objects.get(
            source=Statement.Source.PLATFORM,
            verb_key=key(VERB_COMPLETED),
            activity_key=key(activities.video_iri(video_lesson.pk, block_id)),
        )
        assert completion.user == learner
        assert Statement.objects.filter(sender=learner, source=Statement.Source.PLAYER).count() >= 3
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "video-lesson-phone.png"), full_page=True)

        page.get_by_test_id("video-next").click()
        page.wait_for_url(f"**{text_lesson.url}")
        page.get_by_test_id("lesson-done").click()
        page.get_by_test_id("course-completed").wait_for()
        assert Enrollment.objects.get(user=learner, course=course).completed_at is not None
