from celery import shared_task
from django.core.cache import cache

from . import projections


@shared_task(name="xapi.project_statements", acks_late=True)
def project_statements_task(statement_ids: list[str]) -> int:
    return projections.project_statements(statement_ids)


@shared_task(name="xapi.project_pending", acks_late=True)
def project_pending_task() -> int:
    from .services import PROJECTION_SCHEDULED

    cache.delete(PROJECTION_SCHEDULED)  # statements stored from now on ask for a new run
    return projections.project_pending()


# The sender stops starting batches after FORWARD_BUDGET seconds; one request waits at most
# LRS_FORWARD_TIMEOUT per socket operation. Rows it could not reach go to the next run.
FORWARD_BUDGET = 40
FORWARD_SOFT_TIME_LIMIT = 90
FORWARD_TIME_LIMIT = 120


@shared_task(
    bind=True,
    name="xapi.forward_outbox",
    acks_late=True,
    soft_time_limit=FORWARD_SOFT_TIME_LIMIT,
    time_limit=FORWARD_TIME_LIMIT,
    max_retries=8,
)
def forward_outbox_task(self) -> int:
    """Send the due rows of the outbox to the upstream LRS (see forwarding.py). An upstream failure is kept
    on the rows (attempts, error, backoff) and the task retries when they are due again; in-process (eager)
    it does not wait: the next statement or the beat tries again."""
    from . import forwarding

    cache.delete(forwarding.FORWARD_SCHEDULED)  # statements stored from now on ask for a new run
    if not forwarding.enabled():
        return 0
    report = forwarding.send_pending(budget_seconds=FORWARD_BUDGET)
    if report.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=report.retry_in, exc=forwarding.ForwardingError(report.error))
    if report.more:
        forwarding.schedule_forwarding()
    return report.sent
