"""The database out of reach (PostgreSQL restarting or failing over, no connection slot left) is a
503 with Retry-After, not a 500: a short message in the user's language, JSON for the API and the LRS.

- A view's error (most of them: the session and the user are read lazily, from the view) comes to
  ``process_exception``.
- An error in another middleware (e.g. SessionMiddleware saving the session on the way out) never
  reaches this one as an exception: Django turns it into a 500 response in the layer where it
  happens. While handling it Django sends ``got_request_exception``; the request is marked then, and
  its 500 is replaced here on the way out. So this middleware sits outside every middleware that may
  touch the database.

The broken connection is closed before the answer leaves (Django also closes it when the request
finishes), so the next request in that thread connects afresh: a restarted database needs nothing
restarted here. The page is built without templates or context processors, which read the database.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import gettext as _

from shell.hooks import get_hooks

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# Django wraps the driver's errors in its own; the driver's are listed for code that used it directly.
DATABASE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
try:
    import psycopg
except ImportError:  # SQLite only
    pass
else:
    DATABASE_ERRORS += (psycopg.OperationalError, psycopg.InterfaceError)

_MARK = "_database_unavailable"


def is_database_outage(error: BaseException | None) -> bool:
    if not isinstance(error, DATABASE_ERRORS):
        return False
    if isinstance(error.__cause__, sqlite3.Error):
        # SQLite calls a missing table an OperationalError too: only a busy or unopenable file is an outage.
        return any(words in str(error) for words in ("database is locked", "unable to open"))
    return True


def _note_database_error(sender, request: HttpRequest | None = None, **kwargs) -> None:
    """Django sends this while it turns an uncaught exception into a 500, from inside the ``except``."""
    error = sys.exc_info()[1]
    if request is not None and is_database_outage(error):
        setattr(request, _MARK, error)


def _drop_broken_connections() -> None:
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and conn.errors_occurred and not conn.in_atomic_block and not conn.is_usable():
            conn.close()


def _language(request: HttpRequest) -> str:
    # As IndonesianFirstLocaleMiddleware chooses it: the ID/EN switch's cookie, else Indonesian.
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    with translation.override(language):
        title = _("Layanan sedang tidak tersedia")
        message = _("Sistem sedang tidak dapat menjangkau basis datanya. Coba lagi dalam beberapa detik.")
        retry = _("Coba lagi")
    path, accept = request.path_info, request.headers.get("Accept", "")
    # A mounted URL space with its own error shape first (e.g. the LRS's), then DRF's, then a page.
    response = module_error_response(path, 503, message)
    if response is None and (path.startswith("/api/") or ("json" in accept and "html" not in accept)):
        response = _json({"detail": message})  # DRF's error shape
    elif response is None:
        response = HttpResponse(
            format_html(
                '<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title></head>'
                '<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem">'
                '<h1>{}</h1><p>{}</p><p><a href="{}">{}</a></p></body></html>',
                language,
                title,
                title,
                message,
                request.get_full_path(),
                retry,
            ),
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Content-Language"] = language
    add_never_cache_headers(response)
    return response


def module_error_response(path: str, status: int, message: str) -> HttpResponse | None:
    """The answer of a mounted URL space with its own error shape (``ModuleUrls.error_response``)."""
    for fn in get_hooks("urls"):
        mounted = fn()
        if mounted.error_response is not None and path.startswith(f"/{mounted.prefix}"):
            return mounted.error_response(status, message)
    return None


def _json(data: dict) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False), status=503, content_type="application/json")


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(_note_database_error, dispatch_uid="shell.middleware.database_outage")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        error = getattr(request, _MARK, None)
        if error is not None and response.status_code == 500:
            return self._unavailable(request, error)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_outage(exception):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request: HttpRequest, error: BaseException) -> HttpResponse:
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path, error)
        _drop_broken_connections()
        return database_unavailable_response(request)
