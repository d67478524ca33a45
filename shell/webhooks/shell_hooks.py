"""What the webhooks bring to the shell's registry: a handler for each event an app may subscribe to.
(The beat's run that sends the deliveries due is in the shell's own CELERY_BEAT_SCHEDULE.)"""

from shell import hooks
from shell.types import EventHandler


def _handler(event: str) -> EventHandler:
    from . import services

    def handle(event_id: str, payload: dict) -> None:
        services.deliveries_create(event=event, event_id=event_id, payload=payload)

    return EventHandler(event, f"webhooks.deliver:{event}", handle)


def _handlers():
    from .services import WEBHOOK_EVENTS

    return [_handler(event) for event in WEBHOOK_EVENTS]


hooks.register("event_handlers", _handlers)
