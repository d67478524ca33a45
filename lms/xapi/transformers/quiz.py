from __future__ import annotations

from ... import activities
from ..constants import VERB_ANSWERED, VERB_FAILED, VERB_PASSED
from . import Transformer, transformer


class QuizTransformer(Transformer):
    """extra: lesson, raw (correct answers), max (questions), scaled (0..1)."""

    def object(self):
        lesson = self.extra["lesson"]
        return activities.activity(activities.quiz_iri(lesson.pk), name=lesson.title, kind="quiz")

    def parent_activities(self):
        lesson = self.extra["lesson"]
        return [
            activities.activity(activities.lesson_iri(lesson.pk), name=lesson.title, kind="lesson"),
            self.course_activity(),
        ]

    def score(self):
        return {"raw": self.extra["raw"], "min": 0, "max": self.extra["max"], "scaled": round(self.extra["scaled"], 4)}


@transformer("lms.quiz.answered")
class QuizAnswered(QuizTransformer):
    verb = VERB_ANSWERED

    def result(self):
        return {"score": self.score(), "response": self.extra["response"], "completion": True}


@transformer("lms.quiz.passed")
class QuizPassed(QuizTransformer):
    verb = VERB_PASSED

    def result(self):
        return {"score": self.score(), "success": True, "completion": True}


@transformer("lms.quiz.failed")
class QuizFailed(QuizTransformer):
    verb = VERB_FAILED

    def result(self):
        return {"score": self.score(), "success": False, "completion": True}
