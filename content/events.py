"""Every event the course content publishes (through ``shell.events.publish``), with its payload: the one
place to read them. The Wagtail moderation workflow is where they start (``content.review``); the
declarations are handed to the shell in ``content/shell_hooks.py``."""

from __future__ import annotations

from shell.types import EventType

EVENT_REVIEW_SUBMITTED = "content.review.submitted"
EVENT_REVIEW_DECIDED = "content.review.decided"

APPROVED = "approved"
CHANGES_REQUESTED = "changes_requested"

EVENTS = (
    EventType(
        EVENT_REVIEW_SUBMITTED,
        {"task_state_id": int, "page_id": int, "title": str, "submitted_by": int},
        "A course or lesson (a Wagtail page) waits in a moderation task: its reviewers are told. Once per task "
        "state (a resubmission after changes were requested is a new one).",
    ),
    EventType(
        EVENT_REVIEW_DECIDED,
        {"task_state_id": int, "page_id": int, "title": str, "decision": str, "comment": str, "reviewer_id": int},
        "A reviewer approved (``decision`` 'approved': the whole workflow, so the page is published) or asked "
        "for changes ('changes_requested'), with their comment (may be empty). Once per task state.",
    ),
)
