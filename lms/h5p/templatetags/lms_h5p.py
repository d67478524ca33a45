from __future__ import annotations

from django import template

from content.h5p.views import player_url

from ..views import tracked_player

register = template.Library()


@register.simple_tag(takes_context=True)
def h5p_player(context, content, lesson=None, enrollment=None) -> dict:
    """What the lesson page needs to embed one H5P item: the frame's URL and, for a learner in a lesson,
    where statements (within the attempt opened now), quarantined statements and the saved state go."""
    request = context["request"]
    if lesson is not None and enrollment is not None and enrollment.user_id == request.user.pk:
        return tracked_player(user=request.user, lesson=lesson, content=content, enrollment=enrollment)
    return {"src": player_url(content=content, user=request.user, object_iri=None), "tracked": False}
