"""Liveness and readiness for load balancers and orchestrators.

- ``/healthz``: the process answers (no dependency is touched, so a database outage does not get
  every web process restarted);
- ``/readyz``: the database, the Celery broker and the file storage answer; 503 naming what does not,
  so traffic goes elsewhere until it is back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 2


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "in-process"  # the embedded default: tasks run in the web process
    from shell.celery import app

    with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)
    return "ok"


def _storage() -> str:
    default_storage.exists("readyz-probe")  # a read: a local folder, or a HEAD on S3
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {"database": _database, "broker": _broker, "storage": _storage}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # any failure of a dependency means "not ready", never a 500
            logger.warning("readyz: %s is not reachable: %s", name, error)
            results[name] = f"error: {type(error).__name__}"
    ready = all(not value.startswith("error") for value in results.values())
    response = JsonResponse({"status": "ok" if ready else "unavailable", **results}, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = "5"
    return response
