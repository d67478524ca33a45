from __future__ import annotations

from ... import activities
from ...video.segments import segments_text
from ..actors import actor_ifi
from ..constants import (
    EXT_VIDEO_COMPLETION_THRESHOLD,
    EXT_VIDEO_LENGTH,
    EXT_VIDEO_PLAYED_SEGMENTS,
    EXT_VIDEO_PROGRESS,
    EXT_VIDEO_SESSION,
    VERB_COMPLETED,
    VIDEO_PROFILE,
)
from . import Transformer, transformer


@transformer("lms.video.completed")
class VideoCompleted(Transformer):
    """The platform's own word that a lesson video was watched: written when the segments a watch session
    received cover the share that counts (lms.video.services). extra: placement, watch, share."""

    verb = VERB_COMPLETED

    def object(self):
        placement = self.extra["placement"]
        return activities.activity(placement.iri, name=placement.title, kind="video")

    def parent_activities(self):
        lesson = self.extra["placement"].lesson
        return [activities.activity(activities.lesson_iri(lesson.pk), name=lesson.title, kind="lesson")]

    def result(self):
        watch = self.extra["watch"]
        return {
            "completion": True,
            "extensions": {
                EXT_VIDEO_PROGRESS: round(watch.progress, 3),
                EXT_VIDEO_PLAYED_SEGMENTS: segments_text(watch.segments),
            },
        }

    def extensions(self):
        watch = self.extra["watch"]
        return {
            EXT_VIDEO_SESSION: str(watch.pk),
            EXT_VIDEO_LENGTH: round(watch.duration, 3),
            EXT_VIDEO_COMPLETION_THRESHOLD: self.extra["share"],
        }

    def id_key(self, actor, object_id):
        # One completion per watch session: recording it again changes nothing.
        return f"{self.verb}|{actor_ifi(actor)}|{object_id}|watch:{self.extra['watch'].pk}"

    def statement(self):
        statement = super().statement()
        groups = statement["context"].setdefault("contextActivities", {})
        groups["grouping"] = [self.course_activity()]
        groups["category"] = [{"objectType": "Activity", "id": VIDEO_PROFILE}]
        return statement
