from celery import shared_task

from . import services


@shared_task(name="webhooks.deliver", acks_late=True)
def deliver_task(delivery_id: int, replay: bool = False) -> bool:
    """One attempt (safe to run twice: the attempt claims the delivery first)."""
    return services.delivery_attempt(delivery_id=delivery_id, replay=replay) is not None


@shared_task(name="webhooks.deliver_due", acks_late=True)
def deliver_due_task() -> int:
    return services.deliveries_due_queue()
