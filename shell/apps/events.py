"""The events the app registry publishes (declared through ``shell/apps/shell_hooks.py``).

``apps.activity.recorded``: a registered app recorded work an employee did in it (the inbound API,
``POST /api/apps/<app>/activities/``). The shell core does not know e-Kinerja: the kinerja
module handles the event, once per ``(app, activity_id)``.
"""

from __future__ import annotations

from shell.types import EventType

ACTIVITY_RECORDED = "apps.activity.recorded"

# The inbox kind of the notices the city's apps send (POST /api/apps/<app>/notifications/).
NOTIFICATION_KIND = "app"

EVENTS = (
    EventType(
        ACTIVITY_RECORDED,
        {
            "user_id": int,
            "app": str,  # the app's slug
            "app_name": str,
            "activity_id": str,  # the app's own id of the activity: unique per app
            "title": str,
            "date": str,  # ISO date, Asia/Jakarta
            "quantity": str,  # a decimal, as text
            "output_unit": str,
        },
        description="A registered app recorded an e-Kinerja activity for an employee.",
        optional={"description": str, "url": str},
    ),
)
