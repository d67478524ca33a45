"""Domain events between modules: published inside a transaction, delivered after commit via Celery."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.db import transaction

from shell.hooks import get_hooks

logger = logging.getLogger(__name__)


def handlers_for(event: str):
    return [h for hooks_fn in get_hooks("event_handlers") for h in hooks_fn() if h.event == event]


def publish(event: str, payload: dict[str, Any], *, event_id: str | None = None) -> str:
    """Publish ``event``: kept in the current transaction (shell.outbox), its handlers run in Celery
    once it commits. ``event_id`` makes redelivery detectable: give a deterministic one (e.g. derived
    from the statement id) when the same fact may be published twice; it is then kept once."""
    from shell.outbox.models import Event

    event_id = event_id or str(uuid.uuid4())
    Event.objects.bulk_create([Event(id=event_id, name=event, payload=payload)], ignore_conflicts=True)
    transaction.on_commit(lambda: _send(event, event_id, payload))
    return event_id


def _send(event: str, event_id: str, payload: dict[str, Any]) -> None:
    from shell.tasks import broker_send, dispatch_event_task

    # When the broker is down the event waits in the outbox; the beat's periodic run delivers it.
    broker_send(
        lambda: dispatch_event_task.delay(event, event_id, payload),
        what=f"event {event} ({event_id})",
        eager=dispatch_event_task.app.conf.task_always_eager,
    )


def dispatch(event: str, event_id: str, payload: dict[str, Any]) -> int:
    """Run every handler of ``event``; returns how many ran. Handlers are idempotent by contract, so a
    redelivered event changes nothing; the outbox row records the delivery (or the failure)."""
    from django.db.models import F
    from django.utils import timezone

    from shell.outbox.models import Event

    handlers = handlers_for(event)
    try:
        for handler in handlers:
            logger.debug("event %s (%s) -> %s", event, event_id, handler.name)
            handler.handle(event_id, payload)
    except Exception as error:
        Event.objects.filter(pk=event_id).update(attempts=F("attempts") + 1, last_error=repr(error)[:2000])
        raise
    Event.objects.filter(pk=event_id, dispatched_at__isnull=True).update(
        dispatched_at=timezone.now(), attempts=F("attempts") + 1
    )
    return len(handlers)


MAX_ATTEMPTS = 10
KEEP_DAYS = 30


def dispatch_pending(*, older_than_seconds: int = 30, limit: int = 500) -> int:
    """Deliver the events whose immediate delivery was lost (broker down, worker killed): the beat runs
    this every minute. Events given up on after MAX_ATTEMPTS stay for an operator (admin) to see.
    Delivered events older than KEEP_DAYS are removed."""
    import datetime as dt

    from django.utils import timezone

    from shell.outbox.models import Event

    now = timezone.now()
    pending = Event.objects.filter(
        dispatched_at__isnull=True,
        attempts__lt=MAX_ATTEMPTS,
        created_at__lt=now - dt.timedelta(seconds=older_than_seconds),
    ).order_by("created_at")[:limit]
    delivered = 0
    for row in pending:
        try:
            dispatch(row.name, row.id, row.payload)
            delivered += 1
        except Exception:
            logger.exception("Event %s (%s) failed again (attempt %s).", row.name, row.id, row.attempts + 1)
    Event.objects.filter(dispatched_at__lt=now - dt.timedelta(days=KEEP_DAYS)).delete()
    return delivered
