"""What the platform's in-browser players (H5P, video) share: the signed token of the session the server
opened when it served the player, and finding a player statement already stored (a replay).

A player may only report into a session the server opened for this learner; the token names the session
and the learner, and is good for ``max_age`` seconds."""

from __future__ import annotations

import uuid
from typing import Any

from django.core import signing

from lms import activities

from .constants import PLATFORM
from .models import Statement


def player_session_token(*, salt: str, session_id: uuid.UUID, user_id: int) -> str:
    """The signed token of a player session (``salt``: one per kind of player)."""
    return signing.dumps({"s": str(session_id), "u": user_id}, salt=salt, compress=True)


def player_session_id(*, token: str | None, salt: str, user_id: int, max_age: int) -> uuid.UUID | None:
    """The id of the session ``token`` names, if it is genuine, recent and this learner's; else None."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
        session_id = uuid.UUID(str(data.get("s")))
    except (signing.BadSignature, ValueError, TypeError, AttributeError):
        return None
    return session_id if data.get("u") == user_id else None


def player_replayed(*, user, registration: uuid.UUID, statement: Any) -> Statement | None:
    """This learner's player statement in ``registration``, already stored under the id sent (whatever
    else it says now)."""
    try:
        sid = uuid.UUID(str(statement.get("id"))) if isinstance(statement, dict) and statement.get("id") else None
    except ValueError:
        return None
    if sid is None:
        return None
    return Statement.objects.filter(
        pk=sid, sender=user, source=Statement.Source.PLAYER, registration=registration
    ).first()


def player_statement_stamp(data: dict, *, lesson, enrollment, now, category: str | None = None) -> dict:
    """What the platform sets on a player's statement whatever the player said: the server's time, the
    lesson and course it belongs to (added to ``grouping``, with ``category`` if given), the enrolment's
    registration and our platform; the statement's own ``authority`` and ``stored`` are dropped. Returns
    the context, for the caller to add its own extensions."""
    data["timestamp"] = now.isoformat()
    context = dict(data["context"]) if isinstance(data.get("context"), dict) else {}
    if not isinstance(context.get("contextActivities") or {}, dict):
        return context  # not stamped: the caller's validation refuses it (contextActivities must be an object)
    groups = dict(context.get("contextActivities") or {})
    course = lesson.get_parent().specific
    ours = [
        activities.activity(activities.lesson_iri(lesson.pk), name=lesson.title, kind="lesson"),
        activities.activity(activities.course_iri(course.pk), name=course.title, kind="course"),
    ]
    grouping = _as_list(groups.get("grouping"))
    known = {g.get("id") for g in grouping if isinstance(g, dict)}
    groups["grouping"] = grouping + [a for a in ours if a["id"] not in known]
    if category:
        categories = _as_list(groups.get("category"))
        if not any(isinstance(c, dict) and c.get("id") == category for c in categories):
            categories.append({"objectType": "Activity", "id": category})
        groups["category"] = categories
    context["contextActivities"] = groups
    context["registration"] = str(enrollment.registration)
    context["platform"] = PLATFORM
    data["context"] = context
    data.pop("authority", None)
    data.pop("stored", None)
    return context


def _as_list(value) -> list:
    """A context activity group as a list (an object alone is a list of one; anything else is kept for the
    validation to refuse)."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
