"""An attempt and each of its answers as the platform's own xAPI statements (docs/trust.md): written when the
server has scored the attempt, with ids keyed by the attempt and the question, so writing them again (a retry,
a second submit) stores nothing new.

- ``answered`` per question: object the question (a cmi.interaction), ``result.response`` what the learner
  gave, score and success (full mark) as the server scored it.
- ``passed`` / ``failed`` per attempt: object the quiz, the attempt's score. A lesson's quiz is recorded as
  the lesson's quiz (``lms.quiz.*``), so that lesson progress, completion and JP follow as before.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.conf import settings

from ..activities import activity, course_iri
from ..models import Enrollment
from ..xapi.actors import actor_for_user
from ..xapi.constants import ACTIVITY_TYPE_ASSESSMENT, PLATFORM, VERB_ANSWERED, VERB_DISPLAY, VERB_FAILED, VERB_PASSED
from ..xapi.ids import platform_statement_id
from ..xapi.projections import project_statements
from ..xapi.services import format_timestamp, statement_record
from ..xapi.transformers import learning_event_record
from .models import Attempt, AttemptQuestion, QuestionKind

ACTIVITY_TYPE_INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
EXT_ATTEMPT = "https://w3id.org/xapi/cmi5/context/extensions/attempt"  # informative: the attempt's number
_INTERACTION = {
    QuestionKind.SINGLE: "choice",
    QuestionKind.MULTIPLE: "choice",
    QuestionKind.TRUE_FALSE: "true-false",
    QuestionKind.SHORT: "fill-in",
    QuestionKind.NUMERIC: "numeric",
    QuestionKind.MATCHING: "matching",
    QuestionKind.ORDERING: "sequencing",
    QuestionKind.ESSAY: "long-fill-in",
}


def quiz_iri(quiz_id: int) -> str:
    return f"{settings.XAPI_ACTIVITY_ROOT}/evaluation/quiz/{quiz_id}"


def question_iri(quiz_id: int, question_id: int) -> str:
    return f"{quiz_iri(quiz_id)}/question/{question_id}"


def response_text(kind: str, response: Any) -> str:
    """xAPI's response formats: choices ``a[,]b``, matching ``l[.]r[,]...``, sequencing ``a[,]b``."""
    if response is None:
        return ""
    if kind == QuestionKind.SINGLE:
        return str(response)
    if kind in (QuestionKind.MULTIPLE, QuestionKind.ORDERING):
        return "[,]".join(str(i) for i in response)
    if kind == QuestionKind.TRUE_FALSE:
        return "true" if response else "false"
    if kind == QuestionKind.MATCHING:
        return "[,]".join(f"{left}[.]{right}" for left, right in sorted(response.items(), key=lambda kv: int(kv[0])))
    return str(response)


def _score(raw: Decimal, maximum: Decimal) -> dict[str, Any]:
    scaled = float(raw / maximum) if maximum else 0.0
    return {"raw": float(raw), "min": 0, "max": float(maximum), "scaled": round(scaled, 4)}


def _context(attempt: Attempt, parents: list[dict]) -> dict[str, Any]:
    context: dict[str, Any] = {
        "platform": PLATFORM,
        "language": "id-ID",
        "contextActivities": {"parent": parents},
        "extensions": {EXT_ATTEMPT: attempt.number},
    }
    if attempt.registration:
        context["registration"] = str(attempt.registration)
    return context


def _quiz_activity(attempt: Attempt) -> dict[str, Any]:
    return activity(quiz_iri(attempt.quiz_id), name=attempt.quiz.title, kind="quiz")


def _answered(attempt: Attempt, aq: AttemptQuestion) -> dict[str, Any]:
    version = aq.version
    question = version.question
    result: dict[str, Any] = {"response": response_text(question.kind, aq.response), "completion": True}
    if aq.fraction is not None:
        result["score"] = _score(aq.fraction * version.mark, version.mark)
        result["success"] = aq.fraction >= 1
    return {
        "id": platform_statement_id(f"evaluation|answered|{aq.pk}"),
        "actor": actor_for_user(attempt.user),
        "verb": {"id": VERB_ANSWERED, "display": VERB_DISPLAY[VERB_ANSWERED]},
        "object": {
            "objectType": "Activity",
            "id": question_iri(attempt.quiz_id, question.pk),
            "definition": {
                "type": ACTIVITY_TYPE_INTERACTION,
                "name": {"id-ID": question.name},
                "interactionType": _INTERACTION[question.kind],
            },
        },
        "result": result,
        "context": _context(attempt, [_quiz_activity(attempt)]),
        "timestamp": format_timestamp(aq.answered_at or attempt.submitted_at),
    }


def _finished(attempt: Attempt) -> dict[str, Any]:
    verb = VERB_PASSED if attempt.passed else VERB_FAILED
    return {
        "id": platform_statement_id(f"evaluation|attempt|{attempt.pk}|{verb}"),
        "actor": actor_for_user(attempt.user),
        "verb": {"id": verb, "display": VERB_DISPLAY[verb]},
        "object": {
            "objectType": "Activity",
            "id": quiz_iri(attempt.quiz_id),
            "definition": {"type": ACTIVITY_TYPE_ASSESSMENT, "name": {"id-ID": attempt.quiz.title}},
        },
        "result": {"score": _score(attempt.raw, attempt.max), "success": bool(attempt.passed), "completion": True},
        "context": _context(attempt, [activity_for_course(attempt)]),
        "timestamp": format_timestamp(attempt.submitted_at),
    }


def activity_for_course(attempt: Attempt) -> dict[str, Any]:
    return activity(course_iri(attempt.quiz.course_id), name=attempt.quiz.course.title, kind="course")


def attempt_statements_record(*, attempt: Attempt) -> None:
    """The statements of a finished attempt (scored in full), then their projections."""
    questions = list(attempt.questions.select_related("version__question"))
    ids = []
    for aq in questions:
        recorded = statement_record(statement=_answered(attempt, aq))
        if recorded.created:
            ids.append(recorded.id)
    recorded = statement_record(statement=_finished(attempt))
    if recorded.created:
        ids.append(recorded.id)
    if ids:
        project_statements(ids)
    if attempt.lesson_id is not None:
        _lesson_quiz_record(attempt, questions)


def _lesson_quiz_record(attempt: Attempt, questions: list[AttemptQuestion]) -> None:
    enrollment = (
        Enrollment.objects.select_related("course").filter(user=attempt.user, registration=attempt.registration).first()
    )
    if enrollment is None:
        return
    event = dict(
        user=attempt.user,
        enrollment=enrollment,
        lesson=attempt.lesson,
        raw=float(attempt.raw),
        max=float(attempt.max),
        scaled=float(attempt.scaled),
        timestamp=attempt.submitted_at,
    )
    response = json.dumps(
        [response_text(aq.version.question.kind, aq.response) for aq in questions], ensure_ascii=False
    )
    learning_event_record("lms.quiz.answered", response=response, **event)
    learning_event_record("lms.quiz.passed" if attempt.passed else "lms.quiz.failed", **event)
