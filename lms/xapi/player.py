"""What the platform's in-browser players (H5P, video) share: the signed token of the session the server
opened when it served the player, and finding a player statement already stored (a replay).

A player may only report into a session the server opened for this learner; the token names the session
and the learner, and is good for ``max_age`` seconds."""

from __future__ import annotations

import uuid
from typing import Any

from django.core import signing

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
