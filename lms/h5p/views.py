"""The H5P player's statement endpoint (the lesson page relays the sandboxed player's statements here), and a
fresh attempt for the lesson page's "try again"."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from content.h5p.views import player_url
from lms import activities
from lms.xapi.actors import actor_for_user
from lms.xapi.http import XapiError, parse_json

from . import selectors, services


def tracked_player(*, user, lesson, content, enrollment) -> dict:
    """What the lesson page needs to embed one item for its learner: the frame's URL and where the player's
    statements go, within an attempt opened now (its token rides in the statement URL)."""
    iri = activities.h5p_iri(lesson.pk, content.pk)
    token = services.h5p_attempt_open(user=user, enrollment=enrollment, lesson=lesson, content=content)
    return {
        "src": player_url(content=content, user=user, object_iri=iri),
        "tracked": True,
        "statement_url": reverse("lms:h5p_statement", args=[lesson.pk, content.pk])
        + "?"
        + urlencode({"attempt": token}),
        "quarantine_url": reverse("lms:h5p_quarantine", args=[lesson.pk, content.pk]),
        "attempt_url": reverse("lms:h5p_attempt", args=[lesson.pk, content.pk]),
        "state_url": reverse("xapi:state"),
        "activity_id": iri,
        "agent_json": json.dumps(actor_for_user(user)),
        "registration": str(enrollment.registration),
    }


def _too_fast_message() -> str:
    return _(
        "Jawaban terlalu cepat untuk dihitung (kurang dari %(seconds)s detik per soal). Coba lagi dengan membaca "
        "soalnya."
    ) % {"seconds": settings.H5P_MIN_SECONDS_PER_ITEM}


def _json_body(request: HttpRequest):
    """The body as JSON, or None when it is not JSON the LRS could store (e.g. it holds U+0000)."""
    try:
        return parse_json(request.body or b"null")
    except XapiError:
        return None


@login_required
def statement(request: HttpRequest, lesson_id: int, content_id: int) -> JsonResponse:
    """POST: one statement from the player, within the attempt named by ?attempt=. GET: the lesson's status."""
    try:
        placement = services.h5p_placement(user=request.user, lesson_id=lesson_id, content_id=content_id)
        if request.method == "POST":
            recorded = services.h5p_statement_record(
                user=request.user,
                lesson_id=lesson_id,
                content_id=content_id,
                attempt_token=request.GET.get("attempt"),
                statement=_json_body(request),
            )
        elif request.method != "GET":
            return JsonResponse({"error": _("Metode tidak didukung.")}, status=405)
    except services.StatementRefused as refused:
        return JsonResponse({"error": refused.message}, status=refused.status)
    done, best, attempts = selectors.h5p_lesson_status(enrollment=placement.enrollment, lesson=placement.lesson)
    body = {"lesson_done": done, "best_score": float(best) if best is not None else None, "attempts": attempts}
    if request.method == "POST":
        body["id"] = str(recorded.id)
        # Kept but not counted: the learner is told, and may try again within a new attempt.
        body["too_fast"] = selectors.h5p_result_set_aside(statement=recorded)
        if body["too_fast"]:
            body["message"] = _too_fast_message()
            body["retry_url"] = reverse("lms:h5p_attempt", args=[lesson_id, content_id])
    return JsonResponse(body)


@login_required
@require_POST
@never_cache
def attempt(request: HttpRequest, lesson_id: int, content_id: int) -> JsonResponse:
    """A new attempt for the learner's item (the lesson page reloads the player with it): the player's frame
    URL and the statement URL carrying the new attempt's token."""
    try:
        placement = services.h5p_placement(user=request.user, lesson_id=lesson_id, content_id=content_id)
    except services.StatementRefused as refused:
        return JsonResponse({"error": refused.message}, status=refused.status)
    player = tracked_player(
        user=request.user, lesson=placement.lesson, content=placement.content, enrollment=placement.enrollment
    )
    return JsonResponse({"src": player["src"], "statement_url": player["statement_url"]}, status=201)


@login_required
@require_POST
def quarantine(request: HttpRequest, lesson_id: int, content_id: int) -> JsonResponse:
    body = _json_body(request)
    if not isinstance(body, dict) or "statement" not in body:
        return JsonResponse({"error": _("Kirim {statement, reason} sebagai JSON.")}, status=400)
    try:
        row = services.h5p_statement_quarantine(
            user=request.user,
            lesson_id=lesson_id,
            content_id=content_id,
            statement=body["statement"],
            reason=str(body.get("reason") or ""),
        )
    except services.StatementRefused as refused:
        return JsonResponse({"error": refused.message}, status=refused.status)
    return JsonResponse({"quarantined": row.pk}, status=201)
