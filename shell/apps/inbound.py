"""The inbound API's writes: what a registered app's server may do for an employee (client credentials,
one scope per capability): put a notice in their inbox, set the number on its own tile on their home
screen, record an e-Kinerja activity.

Every write is kept under the app's own id (``InboundRequest``): the same id with the same body gets
the same answer and is recorded once, whatever the timing; the same id with another body is refused.
An app reaches only the employees in its audience, and links only to its own registered origins.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from shell import events
from shell.home.services import home_refresh
from shell.inbox.services import notification_create

from .events import ACTIVITY_RECORDED, NOTIFICATION_KIND
from .models import AppBadge, ExternalApp, InboundRequest

NOTIFICATIONS = "notifications"
BADGES = "badges"
ACTIVITIES = "activities"

# The launcher's query parameter naming the page of the app to open (a notice's link).
TARGET_PARAM = "ke"


@dataclass(frozen=True)
class Answer:
    """What the API answers; ``replayed``/``conflict`` say how it came about (for the audit trail)."""

    status: int
    body: dict[str, Any]
    replayed: bool = False
    conflict: bool = False
    employee_id: int | None = field(default=None, compare=False)


def body_hash(body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def inbound_previous(*, app: ExternalApp, endpoint: str, key: str, body: Any) -> Answer | None:
    """The answer already given to this id, or a 409 when the id was used for another body."""
    row = InboundRequest.objects.filter(app=app, endpoint=endpoint, key=key).first()
    if row is None:
        return None
    if row.body_hash != body_hash(body):
        message = _("id %(key)s sudah dipakai untuk permintaan lain dengan isi berbeda.") % {"key": key}
        return Answer(409, {"id": [message]}, conflict=True)
    return Answer(row.status_code, row.response, replayed=True)


def inbound_record(*, app: ExternalApp, endpoint: str, key: str, body: Any, perform: Callable[[], Answer]) -> Answer:
    """Run ``perform`` and keep its answer under the app's id, in one transaction. Of two concurrent
    calls with one id, one records; the other's work is rolled back and it gets the first one's answer."""
    try:
        with transaction.atomic():
            answer = perform()
            InboundRequest.objects.create(
                app=app,
                endpoint=endpoint,
                key=key,
                body_hash=body_hash(body),
                status_code=answer.status,
                response=answer.body,
            )
        return answer
    except IntegrityError:
        previous = inbound_previous(app=app, endpoint=endpoint, key=key, body=body)
        if previous is None:
            raise
        return previous


# Links into the app ----------------------------------------------------------------------------------


def app_origins(*, app: ExternalApp) -> set[str]:
    """The app's registered origins (scheme, host and port): its launch URL and its redirect URIs."""
    origins = set()
    for uri in [app.launch_url, *app.client.redirect_uris.split()]:
        parts = urlsplit(uri)
        if parts.scheme in ("https", "http") and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}".lower())
    return origins


def app_url_allowed(*, app: ExternalApp, url: str) -> bool:
    """An absolute http(s) URL on one of the app's registered origins, nothing else (no javascript:, no
    other host, no credentials or control characters smuggled into it)."""
    if not url or any(ch in url for ch in "\\\r\n\t\x00") or url != url.strip():
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    if parts.scheme not in ("https", "http") or not parts.netloc or "@" in parts.netloc:
        return False
    return f"{parts.scheme}://{parts.netloc}".lower() in app_origins(app=app)


def app_url_check(*, app: ExternalApp, url: str, field_name: str = "url") -> str:
    if not app_url_allowed(app=app, url=url):
        raise ValidationError(
            {
                field_name: _("Tautan harus alamat http(s) pada asal yang terdaftar untuk aplikasi ini: %(origins)s.")
                % {"origins": ", ".join(sorted(app_origins(app=app)))}
            }
        )
    return url


def app_link(*, app: ExternalApp, url: str = "") -> str:
    """The shell's link to a page of the app: through its launcher, which checks again, when it is followed,
    that the app is still on, the employee still in its audience and the page on its origins."""
    launcher = reverse("apps:launch", kwargs={"slug": app.slug})
    return f"{launcher}?{urlencode({TARGET_PARAM: url})}" if url else launcher


# The three capabilities ------------------------------------------------------------------------------


def app_notification_send(*, app: ExternalApp, user, key: str, title: str, body: str = "", url: str = "") -> Answer:
    if url:
        app_url_check(app=app, url=url)
    notification_create(
        user=user,
        kind=NOTIFICATION_KIND,
        title=title,
        body=body,
        url=app_link(app=app, url=url),
        dedupe_key=f"app:{app.pk}:{key}",
    )
    return Answer(201, {"id": key, "status": "created"}, employee_id=user.pk)


def app_badge_set(*, app: ExternalApp, user, key: str, count: int) -> Answer:
    """The number on the app's own tile on ``user``'s home screen (0: no number)."""
    AppBadge.objects.update_or_create(app=app, user=user, defaults={"count": count})
    home_refresh([user.pk])  # the kept home page shows the new number at once
    return Answer(200, {"id": key, "nip": user.nip or "", "count": count}, employee_id=user.pk)


def app_activity_record(
    *,
    app: ExternalApp,
    user,
    key: str,
    title: str,
    date: dt.date,
    quantity: Decimal,
    output_unit: str,
    description: str = "",
    url: str = "",
) -> Answer:
    """An e-Kinerja activity for work done in the app. The shell does not know e-Kinerja: it publishes
    ``apps.activity.recorded`` (kept with this transaction), which the kinerja module turns into the
    employee's activity once per (app, id)."""
    if url:
        app_url_check(app=app, url=url)
    payload = {
        "user_id": user.pk,
        "app": app.slug,
        "app_name": app.name,
        "activity_id": key,
        "title": title,
        "date": date.isoformat(),
        "quantity": str(quantity),
        "output_unit": output_unit,
    }
    if description:
        payload["description"] = description
    if url:
        payload["url"] = url
    events.publish(ACTIVITY_RECORDED, payload, event_id=f"{ACTIVITY_RECORDED}:{app.pk}:{key}")
    return Answer(202, {"id": key, "status": "accepted"}, employee_id=user.pk)
