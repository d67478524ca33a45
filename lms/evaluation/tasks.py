from celery import shared_task

from .services import attempts_close_overdue


@shared_task(name="evaluation.close_overdue", acks_late=True)
def close_overdue_task() -> int:
    """Submitting an attempt twice scores it once (the row is locked and its state checked)."""
    return attempts_close_overdue()
