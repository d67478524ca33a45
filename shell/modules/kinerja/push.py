"""Outbound adapter: approved activities to the city's external e-Kinerja system over HTTP.

Off unless USE_EKINERJA_PUSH and EKINERJA_PUSH_URL are set. Each approved activity gets one outbox row
(``ActivityPush``, one per activity); the sender locks the row, skips it once sent, and sends the
activity's uuid as ``Idempotency-Key`` so a crash between the receiver's answer and our commit cannot
make the receiver book it twice. Network errors and 5xx answers are retried by Celery with backoff;
a 4xx is a permanent failure shown in the admin (a 409 means the receiver already has it)."""

from __future__ import annotations

import datetime as dt
import logging

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Activity, ActivityPush

logger = logging.getLogger(__name__)


class PushRetryable(Exception):
    pass


def push_enabled() -> bool:
    return bool(settings.EKINERJA_PUSH_ENABLED and settings.EKINERJA_PUSH_URL)


def activity_push_enqueue(*, activity: Activity) -> ActivityPush | None:
    if not push_enabled():
        return None
    push, created = ActivityPush.objects.get_or_create(activity=activity)
    if created:
        from .tasks import push_activity_task

        transaction.on_commit(lambda: push_activity_task.delay(push.pk))
    return push


def activity_payload(activity: Activity) -> dict:
    user = activity.user
    return {
        "id": str(activity.uuid),
        "nip": user.nip,
        "name": user.display_name,
        "date": activity.date.isoformat(),
        "title": activity.title,
        "description": activity.description,
        "kind": activity.kind,
        "quantity": str(activity.quantity),
        "unit": activity.output_unit,
        "jp": str(activity.jp) if activity.jp is not None else None,
        "plan_result": activity.result.text if activity.result_id else None,
        "approved_by_nip": activity.reviewer.nip if activity.reviewer_id else None,
        "approved_at": activity.reviewed_at.isoformat() if activity.reviewed_at else None,
        "evidence": [{"kind": e.kind, "label": e.label, "url": e.url} for e in activity.evidence.all()],
    }


def push_send(*, push_id: int) -> str:
    """Send one outbox row; returns its status. Raises PushRetryable when trying later may help."""
    with transaction.atomic():
        push = (
            ActivityPush.objects.select_for_update(of=("self",))
            .select_related("activity__user", "activity__reviewer", "activity__result")
            .get(pk=push_id)
        )
        if push.status == ActivityPush.Status.SENT:
            return push.status
        push.attempts += 1
        headers = {"Idempotency-Key": str(push.activity.uuid)}
        if settings.EKINERJA_PUSH_TOKEN:
            headers["Authorization"] = f"Bearer {settings.EKINERJA_PUSH_TOKEN}"
        timeout = settings.EKINERJA_PUSH_TIMEOUT
        error, retry = "", False
        try:
            response = requests.post(
                settings.EKINERJA_PUSH_URL,
                json=activity_payload(push.activity),
                headers=headers,
                timeout=(timeout, timeout),
            )
        except requests.RequestException as exc:
            error, retry = f"{type(exc).__name__}: {exc}", True
        else:
            if response.status_code < 300 or response.status_code == 409:
                push.status, push.sent_at, push.last_error = ActivityPush.Status.SENT, timezone.now(), ""
                try:
                    push.external_id = str((response.json() or {}).get("id", ""))[:100]
                except ValueError:
                    pass
            else:
                error, retry = f"HTTP {response.status_code}: {response.text[:500]}", response.status_code >= 500
        if error:
            push.status, push.last_error = ActivityPush.Status.FAILED, error
        push.save()
    if error:
        logger.warning("e-Kinerja push %s failed (attempt %s): %s", push_id, push.attempts, error)
        if retry:
            raise PushRetryable(error)
    return push.status


def pushes_due() -> list[int]:
    """Rows to try again: pending ones whose task was lost, failed ones that may still succeed."""
    return list(
        ActivityPush.objects.exclude(status=ActivityPush.Status.SENT)
        .filter(
            attempts__lt=settings.EKINERJA_PUSH_MAX_RETRIES, created_at__lt=timezone.now() - dt.timedelta(minutes=1)
        )
        .values_list("pk", flat=True)[:500]
    )
