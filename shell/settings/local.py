"""`make run`: the embedded default (SQLite, in-process Celery) unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=True)  # `make run` loads the demo city

# Serve static files straight from the source folders while developing.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = True

# `make run` sets SITE_URL from HOST and PORT; our xAPI IRIs must not follow it (a demo database
# served on another port would no longer recognise its own statements). They keep the address the
# demo has always had, unless XAPI_IRI_BASE (or the two below) says otherwise.
XAPI_IRI_BASE = env("XAPI_IRI_BASE", default="http://127.0.0.1:8000").rstrip("/")
XAPI_ACTIVITY_ROOT = env("XAPI_ACTIVITY_ROOT", default=f"{XAPI_IRI_BASE}/xapi/activities").rstrip("/")
XAPI_ACCOUNT_HOMEPAGE = env("XAPI_ACCOUNT_HOMEPAGE", default=XAPI_IRI_BASE)
XAPI_CLIENT_HOMEPAGE = f"{XAPI_IRI_BASE}/xapi/clients"
