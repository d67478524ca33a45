import logging
import time

from celery import shared_task
from django.core.cache import cache

from shell import events

logger = logging.getLogger(__name__)


# After a failed publish, requests stop trying for a while: each try costs up to the broker timeout,
# and the work waits safely in the database (statements, the event outbox) for the beat's periodic run.
BROKER_BACKOFF_SECONDS = 10
_broker_down_until = 0.0


def broker_send(send, *, what: str, eager: bool) -> bool:
    """Call ``send`` (which publishes to the broker) unless the broker was found down moments ago;
    returns whether it was sent. In-process (eager) a failure is a bug to see and is raised."""
    global _broker_down_until
    if not eager and time.monotonic() < _broker_down_until:
        return False
    try:
        send()
        return True
    except Exception:
        if eager:
            raise
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.exception("Could not queue %s; the beat will catch up.", what)
        return False


def queue_coalesced(task, *, flag: str, timeout: int, what: str) -> None:
    """Queue ``task`` unless a run is already queued: for tasks that take all the work there is (the
    task deletes ``flag`` as it starts, so work arriving later asks for a new run). If the broker is
    down nothing is lost: the work stays in the database and the beat's periodic run takes it."""
    eager = task.app.conf.task_always_eager
    if not eager and time.monotonic() < _broker_down_until:
        return
    if not cache.add(flag, 1, timeout=timeout):
        return
    if not broker_send(task.delay, what=what, eager=eager):
        cache.delete(flag)


@shared_task(name="shell.dispatch_event", acks_late=True)
def dispatch_event_task(event: str, event_id: str, payload: dict) -> int:
    return events.dispatch(event, event_id, payload)


@shared_task(name="shell.dispatch_pending_events", acks_late=True)
def dispatch_pending_events_task() -> int:
    return events.dispatch_pending()
