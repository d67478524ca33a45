"""Every event the service module publishes (through ``shell.events.publish``), with its payload: the one
place to read them, handed to the shell in ``shell_hooks.py``."""

from __future__ import annotations

from shell.types import EventType

EVENT_REQUEST_DONE = "layanan.request.done"

EVENTS = (
    EventType(
        EVENT_REQUEST_DONE,
        {
            "request_id": int,
            "number": str,
            "service": str,
            "service_code": str,
            "user_id": int,
            "finished_at": str,
            "on_time": bool,
            "url": str,
        },
        "A public-service request was finished; ``user_id`` is the officer who did the work (its assignee), "
        "``on_time`` whether within its SLA.",
    ),
)
