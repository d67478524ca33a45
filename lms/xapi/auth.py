"""Who is calling the LRS: an LRS client (HTTP Basic key:secret) or a logged-in learner's browser session."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache

from .actors import actor_for_user, actor_ifi
from .models import LrsClient

_CACHE_SECONDS = 60


def secret_hash(secret: str) -> str:
    """Secrets are long random tokens, so a keyed SHA-256 is enough (and cheap on every request)."""
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()


def client_authority(client: LrsClient) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "name": client.name,
        "account": {"homePage": settings.XAPI_CLIENT_HOMEPAGE, "name": client.key},
    }


@dataclass(frozen=True)
class Principal:
    """The caller, with what it may do."""

    scopes: frozenset[str]
    authority: dict[str, Any]
    client: LrsClient | None = None
    user: Any = None
    # For a session user: the only actor they may write as and read.
    own_ifis: frozenset[str] = field(default_factory=frozenset)

    def can(self, scope: str, *, write: bool = False) -> bool:
        """``scope`` is one of LrsClient.SCOPES' resources: statements, state, profile (xAPI's OAuth scopes)."""
        granted = self.scopes
        if "all" in granted:
            return True
        if scope == "statements":
            return (
                ("statements/write" in granted)
                if write
                else bool({"statements/read", "statements/read/mine", "all/read"} & granted)
            )
        return scope in granted or (not write and "all/read" in granted)

    @property
    def reads_own_only(self) -> bool:
        """Clients with only statements/read/mine, and browser sessions, see their own statements."""
        if self.user is not None:
            return True
        return not ({"all", "all/read", "statements/read"} & self.scopes)


# A few seconds of per-process memory in front of the shared cache: every request of a busy client
# would otherwise cost a cache round trip. A changed or revoked client is seen within _LOCAL_SECONDS.
_LOCAL_SECONDS = 5
_local: dict[str, tuple[float, LrsClient | None]] = {}


def _client_by_key(key: str) -> LrsClient | None:
    now = time.monotonic()
    hit = _local.get(key)
    if hit is not None and now - hit[0] < _LOCAL_SECONDS:
        return hit[1]
    cache_key = f"xapi-client:{hashlib.sha256(key.encode()).hexdigest()}"
    client = cache.get(cache_key)
    if client is None:
        client = LrsClient.objects.filter(key=key, is_active=True).first() or False
        cache.set(cache_key, client, _CACHE_SECONDS)
    if len(_local) > 1000:
        _local.clear()
    _local[key] = (now, client or None)
    return client or None


def forget_client(client: LrsClient) -> None:
    _local.pop(client.key, None)
    cache.delete(f"xapi-client:{hashlib.sha256(client.key.encode()).hexdigest()}")


class AuthError(Exception):
    pass


def authenticate(authorization: str | None, request) -> Principal:
    """Basic credentials win; otherwise a logged-in session. Raises AuthError when neither."""
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "basic":
            raise AuthError("Use HTTP Basic authentication with an LRS client's key and secret.")
        try:
            key, sep, secret = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise AuthError("The Authorization header is not valid Basic credentials.") from None
        client = _client_by_key(key) if sep else None
        if client is None or not hmac.compare_digest(client.secret_hash, secret_hash(secret)):
            raise AuthError("Unknown LRS client key or wrong secret.")
        return Principal(scopes=client.scope_set, authority=client_authority(client), client=client)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        actor = actor_for_user(user)
        ifis = {actor_ifi(actor)}
        if user.email:
            ifis.add(f"mbox:mailto:{user.email.lower()}")
        return Principal(
            scopes=frozenset({"statements/write", "statements/read/mine", "state"}),
            authority=actor,
            user=user,
            own_ifis=frozenset(ifis),
        )
    raise AuthError("Authentication required: HTTP Basic credentials of an LRS client.")
