from __future__ import annotations

from typing import Any

from ..actors import actor_ifi
from ..constants import EXT_CATEGORY, EXT_FORM, EXT_JP, VERB_COMPLETED, VERB_LAUNCHED, VERB_REGISTERED
from . import Transformer, transformer


class CourseTransformer(Transformer):
    def object(self) -> dict[str, Any]:
        return self.course_activity()


@transformer("lms.course.registered")
class CourseRegistered(CourseTransformer):
    verb = VERB_REGISTERED

    def id_key(self, actor, object_id):
        # One registration per enrolment, however often it is recorded.
        return f"{self.verb}|{actor_ifi(actor)}|{object_id}|{self.enrollment.registration}"


@transformer("lms.course.launched")
class CourseLaunched(CourseTransformer):
    verb = VERB_LAUNCHED


@transformer("lms.course.completed")
class CourseCompleted(CourseTransformer):
    """Carries the course's JP, category and form as they were at completion, so the hours ledger
    can be rebuilt from statements alone."""

    verb = VERB_COMPLETED

    def id_key(self, actor, object_id):
        # A course is completed once per enrolment, whichever lesson triggered the check.
        return f"{self.verb}|{actor_ifi(actor)}|{object_id}|{self.enrollment.registration}"

    def result(self):
        return {"completion": True, "success": True}

    def extensions(self):
        course = self.enrollment.course
        return {EXT_JP: float(course.jp), EXT_CATEGORY: course.category, EXT_FORM: course.development_form}
