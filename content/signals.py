"""Wagtail's moderation signals, handed to the services that publish the content module's events."""

from __future__ import annotations

from .events import APPROVED, CHANGES_REQUESTED
from .services import review_decided_publish, review_submitted_publish


def task_submitted(sender, instance, user=None, **kwargs) -> None:
    review_submitted_publish(task_state=instance, user=user)


def task_rejected(sender, instance, user=None, **kwargs) -> None:
    review_decided_publish(task_state=instance, decision=CHANGES_REQUESTED, user=user)


def workflow_approved(sender, instance, user=None, **kwargs) -> None:
    if instance.current_task_state_id:
        review_decided_publish(task_state=instance.current_task_state.specific, decision=APPROVED, user=user)
