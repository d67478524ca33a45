"""Pages (content) show the learner's progress through these tags; content never imports lms."""

from decimal import Decimal

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


@register.filter
def jp(value) -> str:
    """12.50 -> '12,5' in Indonesian, '12.5' in English (via floatformat-like trimming)."""
    if value is None:
        return "0"
    text = f"{Decimal(value).normalize():f}"
    from django.utils.translation import get_language

    return text.replace(".", ",") if (get_language() or "id").startswith("id") else text
