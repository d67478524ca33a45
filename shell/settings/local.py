"""`make run`: the embedded default (SQLite, in-process Celery) unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=True)  # `make run` loads the demo city

# Serve static files straight from the source folders while developing.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = True
