from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from shell.home.services import home_refresh

from .models import Notification


def notification_create(
    *, user, kind: str, title: str, body: str = "", url: str = "", dedupe_key: str | None = None
) -> Notification:
    """Put a message in the user's inbox, once per ``dedupe_key``."""
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=user, kind=kind, title=title[:255], body=body, url=url, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return Notification.objects.get(dedupe_key=dedupe_key)


def notification_mark_read(*, user, notification_id: int) -> int:
    home_refresh([user.pk])  # the unread count on the kept home page
    return Notification.objects.filter(user=user, pk=notification_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, user) -> int:
    """Everything the user can see in the inbox (a switched-off module's notes stay as they were)."""
    from .selectors import visible_kinds_q

    home_refresh([user.pk])
    return Notification.objects.filter(visible_kinds_q(), user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_create_bulk(
    *,
    user_ids: list[int],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_prefix: str,
    batch_size: int = 1000,
) -> int:
    """Put one message in many inboxes (a module's announcement to thousands), in a few INSERTs: once per
    user and ``dedupe_prefix`` (``<prefix>:<user id>``), so a retried run adds nothing. Returns how many
    users were addressed."""
    ids = sorted(set(user_ids))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=pk, kind=kind, title=title[:255], body=body, url=url, dedupe_key=f"{dedupe_prefix}:{pk}"
                )
                for pk in chunk
            ],
            ignore_conflicts=True,
        )
        home_refresh(chunk)  # bulk_create sends no post_save: the unread count on their kept home pages
    return len(ids)
