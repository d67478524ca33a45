"""Domain events between modules: published inside a transaction, delivered after commit via Celery."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from shell.hooks import get_hooks
from shell.types import EventType

logger = logging.getLogger(__name__)


class EventError(Exception):
    """A programming error: publishing an event no mounted module declares, or a payload that does not
    match its declaration. Raised always (tests, DEBUG and production alike), before anything is kept."""


def declared_events() -> dict[str, EventType]:
    """Every event the mounted modules publish (hook ``event_types``), by name."""
    declared: dict[str, EventType] = {}
    for fn in get_hooks("event_types"):
        for event_type in fn():
            if declared.get(event_type.name, event_type) != event_type:
                raise ImproperlyConfigured(f"Event {event_type.name} is declared twice, differently.")
            declared[event_type.name] = event_type
    return declared


def _type_names(expected) -> str:
    return " or ".join(t.__name__ for t in (expected if isinstance(expected, tuple) else (expected,)))


def event_check(event: str, payload: dict[str, Any]) -> EventType:
    """The declaration of ``event``, once ``payload`` is shown to match it; else EventError naming the key."""
    declaration = declared_events().get(event)
    if declaration is None:
        raise EventError(
            f"Event {event!r} is not declared: the publishing module lists it in its Module(events_published=...)."
        )
    if not isinstance(payload, dict):
        raise EventError(f"Event {event}: the payload is a dict, not {type(payload).__name__}.")
    missing = sorted(set(declaration.fields) - set(payload))
    extra = sorted(set(payload) - set(declaration.fields) - set(declaration.optional))
    if missing or extra:
        raise EventError(f"Event {event}: payload keys missing {missing}, not declared {extra}.")
    for key, value in payload.items():
        expected = declaration.fields.get(key, declaration.optional.get(key))
        # bool is an int to isinstance; a declared int is not a flag.
        wrong_bool = isinstance(value, bool) and bool not in (expected if isinstance(expected, tuple) else (expected,))
        if wrong_bool or not isinstance(value, expected):
            raise EventError(
                f"Event {event}: {key} is {_type_names(expected)}, not {type(value).__name__} ({value!r})."
            )
    return declaration


def handlers_for(event: str):
    return [h for hooks_fn in get_hooks("event_handlers") for h in hooks_fn() if h.event == event]


def publish(event: str, payload: dict[str, Any], *, event_id: str | None = None) -> str:
    """Publish ``event``: kept in the current transaction (shell.outbox), its handlers run in Celery
    once it commits. ``event_id`` makes redelivery detectable: give a deterministic one (e.g. derived
    from the statement id) when the same fact may be published twice; it is then kept once.

    Only events that a mounted module declares (``shell.types.EventType``), with exactly the declared
    payload keys and types: anything else raises ``EventError`` and nothing is kept."""
    from shell.outbox.models import Event

    event_check(event, payload)
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
