"""Two submits of one attempt at the same moment (PostgreSQL, real row locks): scored once, one set of
statements; and two starts at the same moment open one attempt."""

import pytest

from conftest import run_at_once
from lms.evaluation import services
from lms.evaluation.models import Attempt, Category
from lms.evaluation.statements import quiz_iri
from lms.xapi.constants import VERB_ANSWERED, VERB_PASSED
from lms.xapi.models import Statement, key
from shell.people.tests.factories import UserFactory

from .factories import enrol, make_bank, make_quiz, right_response


def _setup(**fields):
    course, _ = make_bank(kinds=("single", "truefalse", "numeric"))
    quiz = make_quiz(
        course=course, slots=[(c, c.questions.count()) for c in Category.objects.filter(course=course)], **fields
    )
    learner = UserFactory()
    enrollment = enrol(learner, course)
    return quiz, learner, enrollment


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_two_submits_of_one_attempt_at_once_score_it_once():
    for _round in range(3):
        quiz, learner, enrollment = _setup()
        attempt = services.attempt_start(quiz=quiz, user=learner, registration=enrollment.registration)
        for aq in attempt.questions.select_related("version__question"):
            services.answer_save(attempt=attempt, position=aq.position, response=right_response(aq))
        results, errors = run_at_once(lambda attempt=attempt: services.attempt_submit(attempt=attempt).submitted_at)
        assert errors == []
        assert len(set(results)) == 1  # both see the one submission
        attempt.refresh_from_db()
        assert attempt.state == Attempt.State.FINISHED and attempt.scaled == 1
        assert Statement.objects.filter(activity_key=key(quiz_iri(quiz.pk)), verb_key=key(VERB_PASSED)).count() == 1
        assert Statement.objects.filter(user=learner, verb_key=key(VERB_ANSWERED)).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_two_starts_at_once_open_one_attempt():
    quiz, learner, enrollment = _setup(attempts_allowed=1)
    results, errors = run_at_once(
        lambda: services.attempt_start(quiz=quiz, user=learner, registration=enrollment.registration).pk, count=3
    )
    assert errors == []
    assert len(set(results)) == 1
    assert Attempt.objects.filter(quiz=quiz, user=learner).count() == 1
