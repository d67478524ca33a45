"""Actors: how our users appear in statements, and how a statement's actor is found again."""

from __future__ import annotations

import time
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


def _as_uuid(value):
    import uuid

    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


# IFI -> (when, user id or None): the same learners report over and over; an account's new e-mail
# address is picked up within _USER_SECONDS.
_USER_SECONDS = 60
_users: dict[str, tuple[float, int | None]] = {}


def user_ids_for_actors(actors: list[dict[str, Any]]) -> dict[str, int]:
    """IFI -> user id for the actors that denote a platform user, in at most two queries however many
    actors: our own accounts by uuid, and mbox by a unique (case-insensitive) e-mail."""
    now = time.monotonic()
    found: dict[str, int] = {}
    unknown = []
    for actor in actors:
        hit = _users.get(actor_ifi(actor))
        if hit is not None and now - hit[0] < _USER_SECONDS:
            if hit[1] is not None:
                found[actor_ifi(actor)] = hit[1]
        else:
            unknown.append(actor)
    if unknown:
        looked_up = _user_ids_from_db(unknown)
        if len(_users) > 50000:
            _users.clear()
        for actor in unknown:
            ifi = actor_ifi(actor)
            _users[ifi] = (now, looked_up.get(ifi))
        found.update(looked_up)
    return found


def forget_user_ids() -> None:
    _users.clear()


def _user_ids_from_db(actors: list[dict[str, Any]]) -> dict[str, int]:
    from django.db.models import Count, Max
    from django.db.models.functions import Lower

    User = get_user_model()
    by_uuid: dict[Any, str] = {}
    by_email: dict[str, str] = {}
    for actor in actors:
        account = actor.get("account")
        if account and account.get("homePage") == settings.XAPI_ACCOUNT_HOMEPAGE:
            if (value := _as_uuid(account.get("name"))) is not None:
                by_uuid[value] = actor_ifi(actor)
        elif (mbox := actor.get("mbox", "")).startswith("mailto:"):
            by_email[mbox[len("mailto:") :].lower()] = actor_ifi(actor)
    found: dict[str, int] = {}
    if by_uuid:
        for value, pk in User.objects.filter(uuid__in=list(by_uuid)).values_list("uuid", "pk"):
            found[by_uuid[value]] = pk
    if by_email:
        rows = (
            User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=list(by_email))
            .values("email_lower")
            .annotate(n=Count("pk"), pk=Max("pk"))
        )
        for row in rows:
            if row["n"] == 1:  # an address two accounts share identifies neither
                found[by_email[row["email_lower"]]] = row["pk"]
    return found
