from __future__ import annotations

import json

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from lms import activities
from lms.xapi.actors import actor_for_user

from ..selectors import lesson_done, video_file_url
from ..services import completion_share, video_watch_open, video_watch_token

register = template.Library()


@register.simple_tag(takes_context=True)
def video_player(context, value, block_id=None, lesson=None, enrollment=None) -> dict:
    """What the lesson page needs to play one video block: the file's signed address or the embedded player's,
    and, for a learner in a lesson, a watch session opened now and where its reports go."""
    request = context["request"]
    media, embed = value.get("media"), value.embed
    player: dict = {"kind": "missing", "tracked": False}
    if media is not None and request.user.is_authenticated:
        player.update(kind="file", src=video_file_url(media=media, user=request.user), title=media.title)
    elif embed is not None:
        src = embed.src
        if embed.provider == "youtube":
            src += "&" + urlencode({"origin": f"{request.scheme}://{request.get_host()}"})
        player.update(kind="embed", src=src, provider=embed.provider)
    tracked = bool(
        player["kind"] != "missing"
        and block_id
        and lesson
        and enrollment
        and enrollment.user_id == request.user.pk
        and value.trackable
    )
    if tracked:
        watch = video_watch_open(
            user=request.user, enrollment=enrollment, lesson=lesson, block_id=block_id, seconds=value.seconds
        )
        player.update(
            tracked=True,
            gates=value.gates,
            statement_url=reverse("lms:video_statement", args=[lesson.pk, block_id])
            + "?"
            + urlencode({"watch": video_watch_token(watch=watch)}),
            activity_id=activities.video_iri(lesson.pk, block_id),
            agent_json=json.dumps(actor_for_user(request.user)),
            registration=str(enrollment.registration),
            session=str(watch.pk),
            duration=f"{watch.duration:.3f}",
            share=f"{completion_share():.4f}",
            percent=round(completion_share() * 100),
            max_rate=f"{settings.VIDEO_MAX_PLAYBACK_RATE:g}",
            done=lesson_done(enrollment=enrollment, lesson=lesson),
        )
    return player
