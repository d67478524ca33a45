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


def user_id_sql(actor: dict[str, Any]) -> tuple[str, list[Any]]:
    """The same lookup as user_ids_for_actors as an SQL scalar subquery, for an INSERT that finds the
    statement's user itself (PostgreSQL's lower() matches the Lower(email) index)."""
    table = get_user_model()._meta.db_table
    account = actor.get("account")
    if account and account.get("homePage") == settings.XAPI_ACCOUNT_HOMEPAGE:
        if (value := _as_uuid(account.get("name"))) is not None:
            return f"(SELECT id FROM {table} WHERE uuid = %s)", [value]
    elif (mbox := actor.get("mbox", "")).startswith("mailto:"):
        # an address two accounts share identifies neither
        return (
            f"(SELECT CASE WHEN count(*) = 1 THEN max(id) END FROM {table} WHERE lower(email) = %s)",
            [mbox[len("mailto:") :].lower()],
        )
    return "NULL", []


def _user_ids_from_db(actors: list[dict[str, Any]]) -> dict[str, int]:
    # Plain SQL: this runs for every batch of statements, and the ORM's query building costs more
    # than the two indexed lookups themselves.
    from django.db import connection

    User = get_user_model()
    table, uuid_field = User._meta.db_table, User._meta.get_field("uuid")
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
    with connection.cursor() as cursor:
        if by_uuid:
            values = [uuid_field.get_db_prep_value(v, connection) for v in by_uuid]
            cursor.execute(f"SELECT uuid, id FROM {table} WHERE uuid IN ({', '.join(['%s'] * len(values))})", values)
            for value, pk in cursor.fetchall():
                found[by_uuid[_as_uuid(value)]] = pk
        if by_email:
            cursor.execute(
                f"SELECT lower(email), count(*), max(id) FROM {table}"
                f" WHERE lower(email) IN ({', '.join(['%s'] * len(by_email))}) GROUP BY lower(email)",
                list(by_email),
            )
            for email, n, pk in cursor.fetchall():
                if n == 1:  # an address two accounts share identifies neither
                    found[by_email[email]] = pk
    return found
