"""The lesson page plays the video: the uploaded file through a signed, ranged link; an embed from an allowed
host, which the content security policy lets in; and a watch session opened for the learner."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from content.models import LessonPage
from content.tests.factories import DEMO_VIDEO, make_course
from lms import services
from lms.video.models import VideoWatch
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page_of(client, lesson) -> str:
    response = client.get(lesson.url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_lesson_page_plays_the_uploaded_video_and_opens_a_watch_session():
    learner = UserFactory()
    course = make_course(lessons=("watch",))
    services.check_enrollment_self(user=learner, course_id=course.pk)
    (lesson,) = course.lessons()
    client = Client()
    client.force_login(learner)
    html = page_of(client, lesson)
    assert 'data-testid="lesson-done"' not in html  # no "mark as done" for a video that must be watched
    assert "Tonton minimal 90% video ini" in html
    watch = VideoWatch.objects.get(user=learner, lesson=lesson)
    assert watch.duration == 12.0
    src = re.search(r'<video[^>]* src="([^"]+)"', html).group(1)
    assert f'data-session="{watch.pk}"' in html and "js/video-tracking.js" in html

    whole = client.get(src)
    assert whole.status_code == 200 and whole["Content-Type"] == "video/webm"
    assert b"".join(whole.streaming_content) == DEMO_VIDEO.read_bytes()
    part = client.get(src, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-199/{DEMO_VIDEO.stat().st_size}"
    assert part.content == DEMO_VIDEO.read_bytes()[100:200]

    # The link is this learner's: another user (or nobody) gets nothing.
    other = Client()
    other.force_login(UserFactory())
    assert other.get(src).status_code == 404
    assert Client().get(src).status_code == 302  # to the login page


def policy_of(response, directive: str) -> list[str]:
    return re.search(rf"{directive} ([^;]+)", response["Content-Security-Policy"]).group(1).split()


def test_an_allowed_embed_is_framed_and_the_policy_lets_its_host_in():
    learner = UserFactory()
    course = make_course(lessons=("video",))
    services.check_enrollment_self(user=learner, course_id=course.pk)
    (lesson,) = course.lessons()
    tracked = course.add_child(
        instance=LessonPage(
            title="Video YouTube wajib",
            slug="youtube-wajib",
            body=[("video", {"url": "https://youtu.be/abcdefghijk", "duration": "5:30", "required": True})],
        )
    )
    client = Client()
    client.force_login(learner)
    response = client.get(lesson.url)
    html = response.content.decode()
    assert 'src="https://www.youtube-nocookie.com/embed/abcdefghijk?' in html
    assert policy_of(response, "frame-src") == [
        "'self'",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ]
    # An optional embed without a known duration is not tracked: no player script, the learner marks it done.
    assert policy_of(response, "script-src") == ["'self'"]
    assert 'data-testid="lesson-done"' in html and not VideoWatch.objects.exists()

    # A required YouTube video with its duration is tracked through YouTube's own script, on its page only.
    response = client.get(tracked.url)
    html = response.content.decode()
    assert policy_of(response, "script-src") == ["'self'", "https://www.youtube.com"]
    assert 'data-video-player="youtube"' in html and 'data-duration="330.000"' in html
    assert 'data-testid="lesson-done"' not in html
    assert VideoWatch.objects.get(lesson=tracked).duration == 330


def test_a_visitor_not_enrolled_sees_no_video_and_opens_no_session():
    course = make_course(lessons=("watch",))
    (lesson,) = course.lessons()
    client = Client()
    client.force_login(UserFactory())
    html = page_of(client, lesson)
    assert "<video" not in html and not VideoWatch.objects.exists()
