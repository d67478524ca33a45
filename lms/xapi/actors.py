"""Actors: how our users appear in statements, and how a statement's actor is found again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model


def actor_for_user(user) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "name": user.display_name,
        "account": {"homePage": settings.XAPI_ACCOUNT_HOMEPAGE, "name": str(user.uuid)},
    }


def actor_ifi(actor: dict[str, Any]) -> str:
    """The canonical inverse functional identifier of an Agent or identified Group."""
    if "mbox" in actor:
        return f"mbox:{actor['mbox'].lower()}"
    if "mbox_sha1sum" in actor:
        return f"mbox_sha1sum:{actor['mbox_sha1sum'].lower()}"
    if "openid" in actor:
        return f"openid:{actor['openid']}"
    if "account" in actor:
        account = actor["account"]
        return f"account:{account['homePage']}|{account['name']}"
    return ""


def user_for_actor(actor: dict[str, Any]):
    """The platform user an actor denotes, or None (a statement about someone we do not know)."""
    User = get_user_model()
    account = actor.get("account")
    if account and account.get("homePage") == settings.XAPI_ACCOUNT_HOMEPAGE:
        return (
            User.objects.filter(uuid=_as_uuid(account.get("name"))).first() if _as_uuid(account.get("name")) else None
        )
    mbox = actor.get("mbox", "")
    if mbox.startswith("mailto:"):
        matches = list(User.objects.filter(email__iexact=mbox[len("mailto:") :])[:2])
        return matches[0] if len(matches) == 1 else None
    return None


def _as_uuid(value):
    import uuid

    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None
