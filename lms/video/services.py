"""A lesson video's player reports (the xAPI video profile); the platform decides from them whether the video
was watched (docs/trust.md, "Videos").

The player's statements are believed only as far as the server can check them: they come through the
video's own endpoint, for an enrolled learner on a live lesson, within a watch session the server opened when
it served the page; their played segments are merged into that session, clamped to the video's duration as the
platform knows it (read from the uploaded file, or as the trainer gave it for an embedded player), and they
must add up: no more video watched than the session's server time allows at VIDEO_MAX_PLAYBACK_RATE. Once the
merged segments cover VIDEO_COMPLETION_PERCENT of the video, the platform records its own ``completed``
statement, and that is what completes the lesson. A statement sent to /xapi/statements completes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from content.blocks import VideoValue
from content.models import LessonPage
from lms import activities
from lms.models import Enrollment
from lms.xapi.actors import actor_for_user
from lms.xapi.constants import (
    EXT_VIDEO_LENGTH,
    EXT_VIDEO_PLAYED_SEGMENTS,
    EXT_VIDEO_SESSION,
    VERB_COMPLETED,
    VERB_INITIALIZED,
    VERB_PAUSED,
    VERB_PLAYED,
    VERB_PROGRESSED,
    VERB_SEEKED,
    VERB_TERMINATED,
    VIDEO_PROFILE,
)
from lms.xapi.models import Statement
from lms.xapi.player import player_replayed, player_session_id, player_session_token, player_statement_stamp
from lms.xapi.services import StatementError, statements_record
from lms.xapi.transformers import learning_event_record
from lms.xapi.validation import XapiValidationError, validate_statement

from .models import VideoWatch
from .segments import VideoReportRefused, segments_length, segments_merge, segments_parse

VIDEO_VERBS = (
    VERB_INITIALIZED,
    VERB_PLAYED,
    VERB_PROGRESSED,
    VERB_PAUSED,
    VERB_SEEKED,
    VERB_COMPLETED,
    VERB_TERMINATED,
)
_WATCH_SALT = "lms.video.watch"
# Seconds of slack for a report's segments against the session's clock (the player's clock and rounding).
_CLOCK_SLACK = 2.0


@dataclass(frozen=True)
class VideoPlacement:
    lesson: LessonPage
    block_id: str
    value: VideoValue
    enrollment: Enrollment

    @property
    def iri(self) -> str:
        return activities.video_iri(self.lesson.pk, self.block_id)

    @property
    def title(self) -> str:
        media = self.value.get("media")
        return self.value.get("caption") or (media.title if media is not None else "") or self.lesson.title


def completion_share() -> float:
    return max(1, min(100, settings.VIDEO_COMPLETION_PERCENT)) / 100


def video_placement(*, user, lesson_id: int, block_id: str) -> VideoPlacement:
    """The video as placed in a live lesson of a course the user is enrolled in, trackable; else 403."""
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    value = None
    if lesson is not None:
        value = next((v for bid, v in lesson.video_items if bid == block_id), None)
    if value is None or not value.trackable:
        raise VideoReportRefused(403, _("Video ini tidak ada di pelajaran tersebut."))
    enrollment = Enrollment.objects.filter(user=user, course_id=lesson.get_parent().pk).first()
    if enrollment is None:
        raise VideoReportRefused(403, _("Anda belum terdaftar di kursus pelajaran ini."))
    return VideoPlacement(lesson, block_id, value, enrollment)


# --- Watch sessions -------------------------------------------------------------------------------------


def video_watch_open(*, user, enrollment: Enrollment, lesson: LessonPage, block_id: str, seconds: float) -> VideoWatch:
    """The watch session for the page being served, with the duration the platform knows: the learner's
    unfinished session of this video (opened within VIDEO_WATCH_MAX_AGE, with the same duration) again, else
    a new one. A reload (or a script reloading) adds no row, and the player of every tab of the lesson reports
    into one session: its reports share one clock."""
    now = timezone.now()
    fields = {"user": user, "enrollment": enrollment, "lesson": lesson, "block_id": block_id, "duration": seconds}
    open_ = (
        VideoWatch.objects.filter(
            **fields, completed_at__isnull=True, opened_at__gt=now - dt.timedelta(seconds=settings.VIDEO_WATCH_MAX_AGE)
        )
        .order_by("-opened_at")
        .first()
    )
    return open_ or VideoWatch.objects.create(**fields, opened_at=now)


def video_watches_purge() -> int:
    """Delete the unfinished watch sessions no token can reach any more (older than VIDEO_WATCH_MAX_AGE);
    a finished one stays with the platform's completion statement it led to. Returns how many went."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.VIDEO_WATCH_MAX_AGE)
    deleted, _ = VideoWatch.objects.filter(completed_at__isnull=True, opened_at__lt=cutoff).delete()
    return deleted


def video_watch_token(*, watch: VideoWatch) -> str:
    """The session's signed token: the lesson page sends it back with every report of this player."""
    return player_session_token(salt=_WATCH_SALT, session_id=watch.pk, user_id=watch.user_id)


def _watch(*, token: str | None, user, placement: VideoPlacement) -> VideoWatch:
    reload = _("Sesi menonton ini tidak dikenal atau kedaluwarsa; muat ulang halaman pelajaran.")
    watch_id = player_session_id(token=token, salt=_WATCH_SALT, user_id=user.pk, max_age=settings.VIDEO_WATCH_MAX_AGE)
    too_old = timezone.now() - dt.timedelta(seconds=settings.VIDEO_WATCH_MAX_AGE)
    watch = watch_id and (
        VideoWatch.objects.select_for_update()
        .filter(
            Q(completed_at__isnull=False) | Q(opened_at__gt=too_old),
            pk=watch_id,
            user=user,
            lesson=placement.lesson,
            block_id=placement.block_id,
            enrollment=placement.enrollment,
        )
        .first()
    )
    if not watch:
        raise VideoReportRefused(403, reload)
    return watch


def _prepare(*, user, placement: VideoPlacement, watch: VideoWatch, statement: Any, now: dt.datetime) -> dict:
    """What the player sent, made ours: the learner as actor, this video as object, a video-profile verb, the
    session, lesson, course and enrolment as context, and the server's time."""
    if not isinstance(statement, dict):
        raise VideoReportRefused(400, "The statement must be a JSON object.")
    data = dict(statement)
    data["actor"] = actor_for_user(user)
    try:
        data["id"] = str(uuid.UUID(str(data.get("id") or uuid.uuid4())))
    except ValueError:
        raise VideoReportRefused(400, "id: not a UUID.") from None
    verb = data.get("verb")
    if not isinstance(verb, dict) or verb.get("id") not in VIDEO_VERBS:
        raise VideoReportRefused(400, "verb.id: not a verb of the xAPI video profile this endpoint takes.")
    obj = data.get("object")
    if not isinstance(obj, dict) or obj.get("id") != placement.iri:
        raise VideoReportRefused(400, f"object.id must be this video ({placement.iri}).")
    result = data.get("result")
    if result is not None and not isinstance(result, dict):
        raise VideoReportRefused(400, "result: not an object.")
    context = player_statement_stamp(
        data, lesson=placement.lesson, enrollment=placement.enrollment, now=now, category=VIDEO_PROFILE
    )
    extensions = dict(context.get("extensions") or {}) if isinstance(context.get("extensions"), dict) else {}
    extensions[EXT_VIDEO_SESSION] = str(watch.pk)
    extensions[EXT_VIDEO_LENGTH] = round(watch.duration, 3)
    context["extensions"] = extensions
    try:
        validate_statement(data, path="statement")
    except XapiValidationError as error:
        raise VideoReportRefused(400, str(error)) from None
    return data


def _replayed(*, user, placement: VideoPlacement, statement: Any) -> Statement | None:
    return player_replayed(user=user, registration=placement.enrollment.registration, statement=statement)


def _segments_credit(*, watch: VideoWatch, reported: list, budget: float) -> list[list[float]]:
    """The session's segments with what the report adds beyond them, in the video's order, up to ``budget``
    seconds (the rest waits for a later report, which carries the player's segments again)."""
    merged = [list(s) for s in watch.segments]
    for start, end in segments_merge(reported):
        if budget <= 0:
            break
        position = start
        for have_start, have_end in segments_merge(merged):
            if have_end <= position or end <= position:
                continue
            if have_start > position:
                piece = min(have_start, end) - position
                take = min(piece, budget)
                merged.append([position, position + take])
                budget -= take
                if take < piece or budget <= 0:
                    break
            position = max(position, have_end)
        else:
            if budget > 0 and end > position:
                take = min(end - position, budget)
                merged.append([position, position + take])
                budget -= take
        merged = segments_merge(merged)
    return segments_merge(merged)


def _segments_merge_checked(*, watch: VideoWatch, data: dict, now: dt.datetime) -> None:
    """Merge the report's segments into the session as far as real time allows: a report that claims more
    video than the session's server time allows at the fastest playback that counts is refused, and one
    report credits at most the wall time since the previous report (at most VIDEO_REPORT_MAX_GAP seconds of
    it) at that rate, so the video counts only from reports that arrive as it plays (docs/trust.md)."""
    previous = watch.last_report_at or watch.opened_at
    watch.last_report_at = now
    reported = ((data.get("result") or {}).get("extensions") or {}).get(EXT_VIDEO_PLAYED_SEGMENTS)
    if reported is None:
        return
    segments = segments_parse(reported, duration=watch.duration)
    rate = settings.VIDEO_MAX_PLAYBACK_RATE
    claimed = segments_length(segments_merge(watch.segments, segments))
    elapsed = max(0.0, (now - watch.opened_at).total_seconds())
    if claimed > elapsed * rate + _CLOCK_SLACK:
        raise VideoReportRefused(
            400,
            f"{EXT_VIDEO_PLAYED_SEGMENTS}: {claimed:.1f} s of video watched within {elapsed:.1f} s of the watch "
            f"session (at most {rate:g}x): they do not add up.",
        )
    gap = min(max(0.0, (now - previous).total_seconds()), float(settings.VIDEO_REPORT_MAX_GAP))
    watch.segments = _segments_credit(watch=watch, reported=segments, budget=gap * rate)
    watch.watched = segments_length(watch.segments)


@dataclass(frozen=True)
class VideoReport:
    statement: Statement
    watch: VideoWatch
    placement: VideoPlacement


def video_statement_record(
    *, user, lesson_id: int, block_id: str, watch_token: str | None, statement: Any
) -> VideoReport:
    """Check and store one report of the player; the platform completes the video itself once the session's
    segments cover the share that counts. The same statement again changes nothing."""
    placement = video_placement(user=user, lesson_id=lesson_id, block_id=block_id)
    with transaction.atomic():
        watch = _watch(token=watch_token, user=user, placement=placement)
        replayed = _replayed(user=user, placement=placement, statement=statement)
        if replayed is not None:
            return VideoReport(replayed, watch, placement)
        now = timezone.now()
        data = _prepare(user=user, placement=placement, watch=watch, statement=statement, now=now)
        _segments_merge_checked(watch=watch, data=data, now=now)
        try:
            stored = statements_record(statements=[data], source=Statement.Source.PLAYER, sender=user)[0].statement
        except StatementError as error:
            raise VideoReportRefused(400, str(error)) from None
        if watch.completed_at is None and watch.progress >= completion_share() - 1e-9:
            watch.completed_at = now
            learning_event_record(
                "lms.video.completed",
                user=user,
                enrollment=placement.enrollment,
                timestamp=now,
                placement=placement,
                watch=watch,
                share=completion_share(),
            )
        watch.save(update_fields=["segments", "watched", "last_report_at", "completed_at"])
    return VideoReport(stored, watch, placement)
