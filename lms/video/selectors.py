"""Reads of lesson videos: which were watched (what lesson completion is decided from: the platform's own
statements), and the signed links to uploaded video files."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from wagtailmedia import get_media_model

from content.models import LessonPage
from lms import activities
from lms.models import Enrollment, LessonProgress
from lms.selectors import course_state
from lms.xapi.constants import VERB_COMPLETED
from lms.xapi.models import Statement, key


def videos_watched(*, enrollment: Enrollment, lesson: LessonPage) -> set[str]:
    """The block ids of the lesson's videos the platform itself recorded as watched for this enrolment."""
    iris = {key(activities.video_iri(lesson.pk, block_id)): block_id for block_id, _value in lesson.video_items}
    if not iris:
        return set()
    keys = Statement.objects.filter(
        source=Statement.Source.PLATFORM,
        verb_key=key(VERB_COMPLETED),
        activity_key__in=list(iris),
        registration=enrollment.registration,
        user_id=enrollment.user_id,
        voided=False,
    ).values_list("activity_key", flat=True)
    return {iris[k] for k in keys}


def video_lesson_done(*, enrollment: Enrollment, lesson: LessonPage) -> bool:
    """Every video that gates the lesson (required and trackable) was watched."""
    gating = {block_id for block_id, value in lesson.video_items if value.gates}
    return not gating or gating <= videos_watched(enrollment=enrollment, lesson=lesson)


def lesson_done(*, enrollment: Enrollment, lesson: LessonPage) -> bool:
    return LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson, completed_at__isnull=False).exists()


def after_lesson_url(*, enrollment: Enrollment, lesson: LessonPage) -> str:
    """Where the learner goes on from a finished lesson: the first other lesson not done, else the course."""
    state = course_state(user=enrollment.user, course=enrollment.course)
    remaining = [row.lesson for row in state.lessons if not row.done and row.lesson.pk != lesson.pk]
    return (remaining[0] if remaining else enrollment.course).url


_FILE_SALT = "lms.video.file"


def video_file_url(*, media, user) -> str:
    """The address of an uploaded video for the user whose page shows it (signed; valid VIDEO_WATCH_MAX_AGE)."""
    token = signing.dumps({"m": media.pk, "u": user.pk}, salt=_FILE_SALT, compress=True)
    return reverse("lms:video_file", args=[token])


def video_file_for(*, token: str, user):
    """The video a link of video_file_url names, when it is this user's and not expired; else None."""
    try:
        data = signing.loads(token, salt=_FILE_SALT, max_age=settings.VIDEO_WATCH_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        return None
    return get_media_model().objects.filter(pk=data.get("m"), type="video").first()
