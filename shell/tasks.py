import logging

from celery import shared_task
from django.core.cache import cache

from shell import events

logger = logging.getLogger(__name__)


def queue_coalesced(task, *, flag: str, timeout: int, what: str) -> None:
    """Queue ``task`` unless a run is already queued: for tasks that take all the work there is (the
    task deletes ``flag`` as it starts, so work arriving later asks for a new run). If the broker is
    down nothing is lost: the work stays in the database and the beat's periodic run takes it."""
    if not cache.add(flag, 1, timeout=timeout):
        return
    try:
        task.delay()
    except Exception:
        cache.delete(flag)
        if task.app.conf.task_always_eager:
            raise  # in-process: a failing task is a bug to see, not a broker outage
        logger.exception("Could not queue %s; the beat will catch up.", what)


@shared_task(name="shell.dispatch_event", acks_late=True)
def dispatch_event_task(event: str, event_id: str, payload: dict) -> int:
    return events.dispatch(event, event_id, payload)


@shared_task(name="shell.dispatch_pending_events", acks_late=True)
def dispatch_pending_events_task() -> int:
    return events.dispatch_pending()
