"""Pages (content) show the learner's progress through these tags; content never imports lms."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def course_state(context, course):
    return selectors.course_state(user=context["request"].user, course=course)


@register.simple_tag(takes_context=True)
def lesson_state(context, lesson):
    course = lesson.get_parent().specific
    state = selectors.course_state(user=context["request"].user, course=course)
    return {"course": state, "row": state.row_for(lesson)}
