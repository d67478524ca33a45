"""The H5P player's statement endpoint (the lesson page relays the sandboxed player's statements here)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.xapi.http import XapiError, parse_json

from . import selectors, services


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
    return JsonResponse(body)


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
