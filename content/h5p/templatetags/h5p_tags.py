from __future__ import annotations

import json

from django import template
from django.urls import reverse

from lms import activities
from lms.xapi.actors import actor_for_user

from ..views import player_url

register = template.Library()


@register.simple_tag(takes_context=True)
def h5p_player(context, content, lesson=None, enrollment=None) -> dict:
    """What the lesson page needs to embed one H5P item: the frame's URL and, for a learner in a lesson,
    where statements, quarantined statements and the saved state go."""
    request = context["request"]
    lesson_id = lesson.pk if lesson is not None and enrollment is not None else None
    player = {"src": player_url(content=content, lesson_id=lesson_id, user=request.user), "tracked": False}
    if lesson_id:
        player.update(
            tracked=True,
            statement_url=reverse("h5p:statement", args=[lesson_id, content.pk]),
            quarantine_url=reverse("h5p:quarantine", args=[lesson_id, content.pk]),
            state_url=reverse("xapi:state"),
            activity_id=activities.h5p_iri(lesson_id, content.pk),
            agent_json=json.dumps(actor_for_user(request.user)),
            registration=str(enrollment.registration),
        )
    return player
