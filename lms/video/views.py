"""A lesson video's endpoints: the player's reports (the lesson page relays them here) and the uploaded file."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lms.xapi.http import XapiError, parse_json
from shell.files import ranged_file_response

from . import selectors, services


def _json_body(request: HttpRequest):
    try:
        return parse_json(request.body or b"null")
    except XapiError:
        return None


@login_required
@require_POST
def statement(request: HttpRequest, lesson_id: int, block_id: str) -> JsonResponse:
    """One statement of the player, within the watch session named by ?watch=; answers how much of the video
    the platform counts as watched, and whether the lesson is done."""
    try:
        report = services.video_statement_record(
            user=request.user,
            lesson_id=lesson_id,
            block_id=block_id,
            watch_token=request.GET.get("watch"),
            statement=_json_body(request),
        )
    except services.VideoReportRefused as refused:
        return JsonResponse({"error": refused.message}, status=refused.status)
    watch, placement = report.watch, report.placement
    body = {
        "id": str(report.statement.id),
        "progress": round(watch.progress, 4),
        "watched": watch.completed_at is not None,
        "lesson_done": selectors.lesson_done(enrollment=placement.enrollment, lesson=placement.lesson),
    }
    if body["lesson_done"]:
        body["next_url"] = selectors.after_lesson_url(enrollment=placement.enrollment, lesson=placement.lesson)
    return JsonResponse(body)


@login_required
@require_GET
def video_file(request: HttpRequest, token: str) -> HttpResponse:
    """An uploaded lesson video, for the user whose page it was placed on (a signed, expiring link); byte
    ranges are answered, so the player can seek."""
    media = selectors.video_file_for(token=token, user=request.user)
    if media is None:
        return HttpResponse(_("Tautan video ini tidak sah atau kedaluwarsa; muat ulang halaman."), status=404)
    content_type = mimetypes.guess_type(media.file.name)[0] or "application/octet-stream"
    if not content_type.startswith("video/"):
        content_type = "application/octet-stream"
    response = ranged_file_response(request, name=media.file.name, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
