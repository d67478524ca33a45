from celery import shared_task
from django.utils import timezone

from .selectors import jakarta_date
from .services import reminders_send


@shared_task(name="hours.send_reminders", acks_late=True)
def send_reminders_task() -> dict:
    """Safe to run any number of times a day: each reminder is sent once per period."""
    return reminders_send(today=jakarta_date(timezone.now()))
