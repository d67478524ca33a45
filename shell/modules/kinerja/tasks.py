from celery import shared_task
from django.conf import settings

from .push import PushRetryable, push_enabled, push_send, pushes_due


@shared_task(name="kinerja.push_activity", bind=True, acks_late=True, max_retries=None)
def push_activity_task(self, push_id: int) -> str:
    try:
        return push_send(push_id=push_id)
    except PushRetryable as exc:
        if self.request.is_eager or self.request.retries >= settings.EKINERJA_PUSH_MAX_RETRIES:
            return "failed"  # in-process (no broker): the beat's push_pending tries again
        raise self.retry(exc=exc, countdown=min(3600, 30 * 2**self.request.retries)) from exc


@shared_task(name="kinerja.push_pending", acks_late=True)
def push_pending_task() -> int:
    if not push_enabled() or "shell.modules.kinerja" not in settings.SHELL_MODULES:
        return 0
    due = pushes_due()
    for push_id in due:
        push_activity_task.delay(push_id)
    return len(due)
