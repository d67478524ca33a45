"""The demo brings a bank, a pre-test and a post-test with attempts to one online course, once."""

import pytest

from fixtures.demo import load_demo
from lms.evaluation import selectors
from lms.evaluation.demo import COURSE_TITLE, evaluation_demo_load
from lms.evaluation.models import Attempt, Question, Quiz

pytestmark = pytest.mark.django_db


def test_the_demo_of_evaluation(django_capture_on_commit_callbacks):
    load_demo()
    with django_capture_on_commit_callbacks(execute=True):
        assert COURSE_TITLE in evaluation_demo_load()
    assert Question.objects.filter(category__course__title=COURSE_TITLE).count() == 9
    pre = Quiz.objects.get(kind=Quiz.Kind.PRETEST)
    post = Quiz.objects.get(kind=Quiz.Kind.POSTTEST)
    assert Attempt.objects.filter(quiz=pre, state=Attempt.State.FINISHED).count() == 8
    gain = selectors.gain_of(pretest=pre, posttest=post)
    assert len(gain.learners) == 8 and gain.post_mean > gain.pre_mean
    count, rows = selectors.item_analysis(quiz=post)
    assert count == 8 and rows
    assert evaluation_demo_load() is None  # once
    assert Quiz.objects.count() == 2
