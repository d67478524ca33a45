"""A post-test that gates completion: once the platform records it passed, the course may complete (the
lessons may all have been done before). Registered with lms.xapi's projections (platform statements only)."""

from __future__ import annotations

import re

from django.conf import settings

from ..models import Enrollment
from ..projections import course_completion_check
from ..xapi.constants import VERB_PASSED
from ..xapi.models import Statement
from ..xapi.projections import projection
from .models import Quiz


def _quiz_id(iri: str) -> int | None:
    m = re.fullmatch(rf"{re.escape(settings.XAPI_ACTIVITY_ROOT)}/evaluation/quiz/(\d+)", iri or "")
    return int(m.group(1)) if m else None


@projection(VERB_PASSED, own_activities=True)
def posttest_passed(statement: Statement) -> None:
    quiz_id = _quiz_id(statement.activity_id)
    if quiz_id is None or statement.user_id is None or not statement.registration:
        return
    quiz = Quiz.objects.filter(pk=quiz_id, kind=Quiz.Kind.POSTTEST, session__isnull=True, gates_completion=True).first()
    if quiz is None:
        return
    enrollment = (
        Enrollment.objects.select_related("course", "user")
        .filter(user_id=statement.user_id, registration=statement.registration, course_id=quiz.course_id)
        .first()
    )
    if enrollment is not None:
        course_completion_check(enrollment=enrollment, at=statement.timestamp)
