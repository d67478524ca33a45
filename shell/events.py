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
    """Publish ``event`` once the current transaction commits. ``event_id`` makes redelivery detectable:
    give a deterministic one (e.g. derived from the statement id) when the same fact may be published twice."""
    from shell.tasks import dispatch_event_task

    event_id = event_id or str(uuid.uuid4())
    transaction.on_commit(lambda: dispatch_event_task.delay(event, event_id, payload))
    return event_id


def dispatch(event: str, event_id: str, payload: dict[str, Any]) -> int:
    """Run every handler of ``event``; returns how many ran. Handlers are idempotent by contract."""
    handlers = handlers_for(event)
    for handler in handlers:
        logger.debug("event %s (%s) -> %s", event, event_id, handler.name)
        handler.handle(event_id, payload)
    return len(handlers)
