from celery import shared_task
from django.conf import settings


@shared_task(name="layanan.notify_overdue", acks_late=True)
def notify_overdue_task() -> int:
    if "shell.modules.layanan" not in settings.SHELL_MODULES:
        return 0  # the module is switched off: its schedule does nothing
    from .services import requests_notify_overdue

    return requests_notify_overdue()
