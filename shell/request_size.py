"""Request bodies larger than their URL accepts are refused by their Content-Length, before a byte
of them is read (Django would otherwise stream a multipart file of any size to a temporary file, and
only then let the form refuse it).

The limit of a path is the first of ``settings.UPLOAD_SIZE_LIMITS`` (URL pattern, bytes of the file
that URL accepts) that matches it, plus ``UPLOAD_FORM_MARGIN`` for the form's other fields and the
multipart framing; any other path takes no file, so ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django's own
limit for a body read into memory). The forms still check the file itself (a body under the limit may
hold a file just over it).

A body without Content-Length (``Transfer-Encoding: chunked``) is refused with 411: under WSGI,
Django reads no body it was not told the length of, so the request would arrive empty.
"""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shell.files import megabytes
from shell.middleware import module_error_response


def upload_limit(path: str) -> tuple[int, int]:
    """(largest body, largest file) for a path; the file's limit is what the message names."""
    for pattern, limit in settings.UPLOAD_SIZE_LIMITS:
        if re.match(pattern, path):  # re keeps the compiled patterns
            return limit + settings.UPLOAD_FORM_MARGIN, limit
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _refusal(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    path, accept = request.path_info, request.headers.get("Accept", "")
    module_answer = module_error_response(path, status, message)  # a mounted URL space's own error shape
    if module_answer is not None:
        response = module_answer
    elif path.startswith("/api/") or ("json" in accept and "html" not in accept):
        response = _json({"detail": message}, status)  # DRF's error shape
    else:
        # No template: the page must not read the session or the database for a request refused unread.
        response = HttpResponse(
            format_html(
                '<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title></head>'
                '<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem">'
                '<h1>{}</h1><p>{}</p><p><a href="{}">{}</a></p></body></html>',
                get_language(),
                title,
                title,
                message,
                request.get_full_path(),
                _("Kembali"),
            ),
            status=status,
        )
    add_never_cache_headers(response)
    return response


def _json(data: dict, status: int) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False), status=status, content_type="application/json")


class RequestSizeLimitMiddleware:
    """Sits after the locale middleware (its message is in the user's language) and before anything
    that reads the body (CsrfViewMiddleware reads a POST's form)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self._refusal(request)
        return refused if refused is not None else self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        raw = request.META.get("CONTENT_LENGTH")
        if not raw:
            if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
                return _refusal(
                    request,
                    411,
                    _("Panjang kiriman tidak diketahui"),
                    _("Kiriman tanpa Content-Length tidak diterima. Kirim ulang dengan panjangnya disebutkan."),
                )
            return None
        try:
            length = int(raw)
        except ValueError:
            return None  # Django reads no body of an unreadable length
        largest, file_limit = upload_limit(request.path_info)
        if length <= largest:
            return None
        return _refusal(
            request,
            413,
            _("Berkas terlalu besar"),
            _(
                "Kiriman ini %(size)s, lebih besar dari yang diterima di sini: berkas paling besar %(limit)s. "
                "Perkecil berkasnya (misalnya pindai dengan resolusi lebih rendah), lalu unggah lagi."
            )
            % {"size": f"{megabytes(length)} MB", "limit": f"{megabytes(file_limit)} MB"},
        )
