"""The course page's pre-test and post-test (content's templates call this; content never imports lms)."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("evaluation/includes/course_tests.html", takes_context=True)
def course_tests(context, course, enrollment=None):
    user = context["request"].user
    if course.pk is None or enrollment is None or not user.is_authenticated:
        return {"tests": []}
    pretest, posttest = selectors.test_pair(course=course)
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
