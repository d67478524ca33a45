"""The course page's pre-test and post-test (content's templates call this; content never imports lms)."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("evaluation/includes/course_tests.html", takes_context=True)
def course_tests(context, course, enrollment=None):
    user = context["request"].user
    if course.pk is None or enrollment is None or not user.is_authenticated:
        return {"tests": []}
    return _tests(user, course, session_id=None)


@register.inclusion_tag("evaluation/includes/course_tests.html", takes_context=True)
def session_tests(context, session, registration=None):
    """A class's pre-test and post-test, for its registered participants."""
    user = context["request"].user
    if registration is None or registration.status != "registered" or not user.is_authenticated:
        return {"tests": []}
    return _tests(user, session.course, session_id=session.pk)


def _tests(user, course, *, session_id):
    pretest, posttest = selectors.test_pair(course=course, session_id=session_id)
    tests = []
    for quiz in (pretest, posttest):
        if quiz is None:
            continue
        attempts = list(selectors.attempts_of(user=user, quiz=quiz))
        tests.append(
            {
                "quiz": quiz,
                "done": any(a.state == a.State.FINISHED for a in attempts),
                "grade": selectors.quiz_grade_of(user=user, quiz=quiz),
            }
        )
    return {"tests": tests, "manages": selectors.manages_bank(user=user, course=course), "course": course}
