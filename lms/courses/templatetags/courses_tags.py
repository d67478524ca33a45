"""The course page (content) shows its prerequisites, due date and announcements through this tag;
content never imports lms."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("courses/includes/course_extras.html", takes_context=True)
def course_extras(context, course, enrollment=None):
    user = context["request"].user
    if course.pk is None:  # the editor's preview of a course never saved: nothing of it is stored yet
        return {"course": course}
    if user.is_authenticated:
        prerequisites = selectors.prerequisite_states(user=user, course=course)
    else:
        prerequisites = [(c, False) for c in selectors.course_prerequisites(course=course)]
    follows = user.is_authenticated and selectors.learner_scope_q(viewer=user, course=course) is not None
    shows_announcements = selectors.announcements_visible_to(user=user, course=course)
    return {
        "course": course,
        "enrollment": enrollment,
        "prerequisites": prerequisites,
        # The course's own due date, unless the learner's enrolment has one (shown with their progress).
        "course_due": course.due_date if not (enrollment and enrollment.due_date) else None,
        "announcements": selectors.course_announcements(course=course) if shows_announcements else [],
        "shows_announcements": shows_announcements,
        "follows": follows,
        "is_trainer": follows and selectors.course_is_trainer(user=user, course=course),
    }
