from __future__ import annotations

import json

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from content.h5p.views import player_url
from lms import activities
from lms.xapi.actors import actor_for_user

from ..services import h5p_attempt_open

register = template.Library()


@register.simple_tag(takes_context=True)
def h5p_player(context, content, lesson=None, enrollment=None) -> dict:
    """What the lesson page needs to embed one H5P item: the frame's URL and, for a learner in a lesson,
    where statements (within the attempt opened now), quarantined statements and the saved state go."""
    request = context["request"]
    tracked = lesson is not None and enrollment is not None and enrollment.user_id == request.user.pk
    lesson_id = lesson.pk if tracked else None
    object_iri = activities.h5p_iri(lesson_id, content.pk) if tracked else None
    player = {"src": player_url(content=content, user=request.user, object_iri=object_iri), "tracked": False}
    if tracked:
        token = h5p_attempt_open(user=request.user, enrollment=enrollment, lesson=lesson, content=content)
        player.update(
            tracked=True,
            statement_url=reverse("lms:h5p_statement", args=[lesson_id, content.pk])
            + "?"
            + urlencode({"attempt": token}),
            quarantine_url=reverse("lms:h5p_quarantine", args=[lesson_id, content.pk]),
            state_url=reverse("xapi:state"),
            activity_id=object_iri,
            agent_json=json.dumps(actor_for_user(request.user)),
            registration=str(enrollment.registration),
        )
    return player
