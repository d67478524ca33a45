"""The ids of the statements the platform writes itself."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.utils.crypto import salted_hmac

# uuid5 namespace of the statements the platform generates itself.
STATEMENT_NAMESPACE = uuid.UUID("5b0e7a4e-8f3c-5d44-9a61-2f1d2c6a7b10")


def platform_statement_id(name: str) -> str:
    """The id of the platform's own statement for the event ``name``: the same event always gets the same id
    (recording it again is a no-op), and nobody without the server's key can compute it ahead of time and
    store a statement of their own under it (docs/trust.md)."""
    keyed = salted_hmac(
        "lms.xapi.platform-statement-id", name, secret=settings.XAPI_STATEMENT_ID_KEY, algorithm="sha256"
    )
    return str(uuid.uuid5(STATEMENT_NAMESPACE, keyed.hexdigest()))
