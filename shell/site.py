"""The platform's own address: every absolute link we hand out (QR codes, e-mails, printed PDFs, the
demo's hints) is built here, from the one setting SITE_URL (`make run` sets it from HOST and PORT).

Links are built when they are shown, never stored: a certificate issued before the platform moved still
prints and shows a working verification link. Our xAPI IRIs are identifiers, not links, and do not come
from here (settings: XAPI_IRI_BASE)."""

from __future__ import annotations

from django.conf import settings


def site_url(path: str = "/") -> str:
    """``path`` (from ``reverse()``, starting with "/") on the platform's address."""
    if not path.startswith("/"):
        raise ValueError(f"site_url() takes a path starting with '/', not {path!r}")
    return settings.SITE_URL + path
