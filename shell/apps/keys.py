"""The RSA keys that sign the shell's ID tokens (RS256), kept in the database, encrypted.

One key is current and signs; `python manage.py oidc_rotate_key` makes a new one current and retires
the old one, which stays in the JWKS for OIDC_KEY_RETIRED_SECONDS (at least the life of an ID token
plus the time relying parties may cache the JWKS), so no token it signed stops verifying and nobody
is logged out. Access and refresh tokens are opaque and do not depend on the keys at all.

The private keys are encrypted with Fernet under a key derived from OIDC_KEY_ENCRYPTION_KEY (default:
SECRET_KEY); a database dump alone does not give them away.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json

from cryptography.fernet import Fernet
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from jwcrypto import jwk

from .models import SigningKey


def _fernet() -> Fernet:
    secret = settings.OIDC_KEY_ENCRYPTION_KEY.encode()
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"oidc-signing-keys:" + secret).digest()))


def _jwk(key: SigningKey) -> jwk.JWK:
    pem = _fernet().decrypt(key.private_key.encode())
    return jwk.JWK.from_pem(pem)


def _new_key() -> SigningKey:
    private = jwk.JWK.generate(kty="RSA", size=2048)
    pem = private.export_to_pem(private_key=True, password=None)
    return SigningKey(kid=private.thumbprint(), private_key=_fernet().encrypt(pem).decode())


def retired_keep() -> dt.timedelta:
    return dt.timedelta(seconds=settings.OIDC_KEY_RETIRED_SECONDS)


def signing_key() -> tuple[str, jwk.JWK]:
    """(kid, private key) of the current key; the first one is made on first use."""
    key = SigningKey.objects.filter(current=True).first()
    if key is None:
        try:
            with transaction.atomic():
                key = _new_key()
                key.save()
        except IntegrityError:  # another process made it first
            key = SigningKey.objects.get(current=True)
    return key.kid, _jwk(key)


def published_keys() -> list[SigningKey]:
    """The current key and the retired ones still within their keep time."""
    since = timezone.now() - retired_keep()
    return list(SigningKey.objects.filter(current=True)) + list(
        SigningKey.objects.filter(current__isnull=True, retired_at__gt=since)
    )


def verification_key(kid: str) -> jwk.JWK | None:
    key = next((k for k in published_keys() if k.kid == kid), None)
    return _jwk(key) if key else None


def jwks() -> dict:
    signing_key()  # a fresh installation publishes its first key before it signs anything
    keys = []
    for key in published_keys():
        public = json.loads(_jwk(key).export_public())
        keys.append({**public, "alg": "RS256", "use": "sig", "kid": key.kid})
    return {"keys": keys}


@transaction.atomic
def signing_key_rotate() -> tuple[SigningKey, int]:
    """Make a new current key; the old one is retired (still published). Returns the new key and how
    many keys retired long enough ago were deleted."""
    now = timezone.now()
    SigningKey.objects.select_for_update().filter(current=True).update(current=None, retired_at=now)
    key = _new_key()
    key.save()
    deleted, _ = SigningKey.objects.filter(current__isnull=True, retired_at__lte=now - retired_keep()).delete()
    return key, deleted
