from celery import shared_task

from .services import follow_ups_send, holds_release_unblocked


@shared_task(name="surveys.follow_ups_send", acks_late=True)
def follow_ups_send_task() -> dict:
    """Safe twice: one follow-up row per learner, course and role; the reminder is marked under a lock.
    Also issues certificates that no longer wait (the survey answered while its hold was being written,
    or no longer required)."""
    run = follow_ups_send()
    return {"sent": run.sent, "reminded": run.reminded, "released": holds_release_unblocked()}
