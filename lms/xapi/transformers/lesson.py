from __future__ import annotations

from ... import activities
from ..constants import VERB_EXPERIENCED
from . import Transformer, transformer


@transformer("lms.lesson.experienced")
class LessonExperienced(Transformer):
    verb = VERB_EXPERIENCED

    def object(self):
        lesson = self.extra["lesson"]
        return activities.activity(activities.lesson_iri(lesson.pk), name=lesson.title, kind="lesson")

    def parent_activities(self):
        return [self.course_activity()]
