import logging
import time

from celery import shared_task
from django.core.cache import cache

from shell import events

logger = logging.getLogger(__name__)


# After a failed publish, requests stop trying for a while: each try costs up to the broker timeout,
# and the work waits safely in the database for the beat's periodic run.
BROKER_BACKOFF_SECONDS = 10
_broker_down_until = 0.0


def queue_coalesced(task, *, flag: str, timeout: int, what: str) -> None:
    """Queue ``task`` unless a run is already queued: for tasks that take all the work there is (the
    task deletes ``flag`` as it starts, so work arriving later asks for a new run). If the broker is
    down nothing is lost: the work stays in the database and the beat's periodic run takes it."""
    global _broker_down_until
    eager = task.app.conf.task_always_eager
    if not eager and time.monotonic() < _broker_down_until:
        return
    if not cache.add(flag, 1, timeout=timeout):
        return
    try:
        task.delay()
    except Exception:
        cache.delete(flag)
        if eager:
            raise  # in-process: a failing task is a bug to see, not a broker outage
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.exception("Could not queue %s; the beat will catch up.", what)


@shared_task(name="shell.dispatch_event", acks_late=True)
def dispatch_event_task(event: str, event_id: str, payload: dict) -> int:
    return events.dispatch(event, event_id, payload)
