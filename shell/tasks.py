from celery import shared_task

from shell import events


@shared_task(name="shell.dispatch_event", acks_late=True)
def dispatch_event_task(event: str, event_id: str, payload: dict) -> int:
    return events.dispatch(event, event_id, payload)
