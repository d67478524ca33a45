"""Outbound webhooks to the city's registered apps.

A shell event an app subscribed to becomes one ``Delivery`` per subscription (once per event, however
often the event is delivered to this handler), with its JSON body fixed. A Celery task POSTs it, signed;
a 2xx answer delivers it, anything else (an error status, a timeout, a refused connection) is logged as
an ``Attempt`` and tried again later with exponential backoff, until WEBHOOK_MAX_ATTEMPTS. The beat
sends what is due (``deliveries_due_queue``), so a retry waits in the database, not in the broker. An
administrator can replay any delivery (the same body under the same id, freshly signed).

Signature (docs/apps.md): header ``X-Ayo-Signature: t=<unix seconds>,v1=<hex>``, where ``<hex>`` is
HMAC-SHA256 under the subscription's secret of ``"<t>." + body``. Receivers check it, refuse a ``t`` more
than five minutes off, and drop a ``X-Ayo-Delivery`` id they have already processed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import random
import time

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shell.people import events as people_events
from shell.tasks import broker_send

from .models import Attempt, Delivery, Subscription

logger = logging.getLogger(__name__)

# The shell's events an app may subscribe to.
WEBHOOK_EVENTS = (
    people_events.EMPLOYEE_JOINED,
    people_events.EMPLOYEE_UNIT_CHANGED,
    people_events.EMPLOYEE_LEFT,
    people_events.UNIT_CHANGED,
)
# The shell's internal ids stay inside: apps know employees by ``sub`` (as in the ID token) and NIP.
PRIVATE_KEYS = frozenset({"user_id"})

SIGNATURE_HEADER = "X-Ayo-Signature"
EVENT_HEADER = "X-Ayo-Event"
DELIVERY_HEADER = "X-Ayo-Delivery"
SIGNATURE_TOLERANCE_SECONDS = 300
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 6 * 3600


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret=secret, timestamp=timestamp, body=body)}"


def signature_verify(*, secret: str, header: str, body: bytes, now: float | None = None) -> bool:
    """What a receiver does (docs/apps.md has the same in a few lines for app teams)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret=secret, timestamp=timestamp, body=body), parts.get("v1", ""))


def backoff_seconds(attempts: int) -> float:
    """After the n-th failed attempt: 30 s, 1 min, 2 min, ... up to 6 h, less up to a fifth at random (so
    that many deliveries to an app that was down do not all come back at the same second)."""
    base = min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)
    return base * random.uniform(0.8, 1.0)


def _queue(delivery_ids: list[int], *, replay: bool = False) -> None:
    from .tasks import deliver_task

    for pk in delivery_ids:
        broker_send(
            lambda pk=pk: deliver_task.delay(pk, replay),
            what=f"webhook delivery {pk}",
            eager=deliver_task.app.conf.task_always_eager,
        )


def deliveries_create(*, event: str, event_id: str, payload: dict) -> list[int]:
    """One delivery of ``event`` per enabled subscription to it (kept once per event id), sent after commit."""
    subscriptions = [
        s
        for s in Subscription.objects.filter(enabled=True, app__enabled=True).select_related("app")
        if event in s.events
    ]
    if not subscriptions:
        return []
    data = {k: v for k, v in payload.items() if k not in PRIVATE_KEYS}
    now = timezone.now()
    rows = []
    for subscription in subscriptions:
        row = Delivery(subscription=subscription, event_id=event_id, event=event)
        row.body = json.dumps(
            {"id": str(row.uuid), "event": event, "created_at": now.isoformat(), "data": data},
            ensure_ascii=False,
            sort_keys=True,
        )
        rows.append(row)
    with transaction.atomic():
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        # Only the rows this call made are new and pending with no attempt; a redelivered event finds its own.
        ids = list(
            Delivery.objects.filter(
                event_id=event_id, subscription__in=subscriptions, status=Delivery.Status.PENDING, attempts=0
            ).values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: _queue(ids))
    return ids


def _claim(delivery_id: int, *, now: dt.datetime) -> bool:
    """Take the delivery for one attempt (a lease past the HTTP timeout): two workers never send it at once."""
    lease = now + dt.timedelta(seconds=settings.WEBHOOK_TIMEOUT + 30)
    return bool(
        Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now).update(
            next_attempt_at=lease
        )
    )


def delivery_attempt(*, delivery_id: int, replay: bool = False) -> Delivery | None:
    """One attempt at a due delivery; returns it updated, or None when it was not due (or taken)."""
    now = timezone.now()
    if not _claim(delivery_id, now=now):
        return None
    delivery = Delivery.objects.select_related("subscription__app").get(pk=delivery_id)
    subscription = delivery.subscription
    if not (subscription.enabled and subscription.app.enabled):
        Delivery.objects.filter(pk=delivery_id).update(
            status=Delivery.Status.FAILED, last_error="subscription or app switched off"
        )
        return None
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "TangerangAyo-Webhooks/1",
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.uuid),
        SIGNATURE_HEADER: signature_header(secret=subscription.secret, body=body),
    }
    started = time.monotonic()
    status_code, error = None, ""
    try:
        answer = requests.post(
            subscription.url, data=body, headers=headers, timeout=settings.WEBHOOK_TIMEOUT, allow_redirects=False
        )
        status_code = answer.status_code
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    duration = int((time.monotonic() - started) * 1000)
    finished = timezone.now()
    attempts = delivery.attempts + 1
    with transaction.atomic():
        Attempt.objects.create(
            delivery=delivery,
            attempted_at=finished,
            status_code=status_code,
            error=error,
            duration_ms=duration,
            replay=replay,
        )
        update = {"attempts": attempts, "last_status_code": status_code, "last_error": error}
        if not error:
            update.update(status=Delivery.Status.DELIVERED, delivered_at=finished, next_attempt_at=finished)
        elif attempts >= settings.WEBHOOK_MAX_ATTEMPTS and not replay:
            update.update(status=Delivery.Status.FAILED, next_attempt_at=finished)
            logger.warning("Webhook delivery %s given up after %s attempts: %s", delivery.pk, attempts, error)
        else:
            update["next_attempt_at"] = finished + dt.timedelta(seconds=backoff_seconds(attempts))
        Delivery.objects.filter(pk=delivery.pk).update(**update)
    delivery.refresh_from_db()
    return delivery


def deliveries_due_queue(*, limit: int = 500) -> int:
    """The beat's run: queue the deliveries whose next attempt is due (retries, and any whose first send
    was lost). Each task claims its delivery, so queueing one twice sends it once."""
    ids = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    _queue(ids)
    return len(ids)


def delivery_replay(*, delivery: Delivery) -> None:
    """An administrator sends a delivery again now (delivered, failed or waiting): the same body and id."""
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.PENDING, next_attempt_at=timezone.now())
        transaction.on_commit(lambda: _queue([delivery.pk], replay=True))
