"""Production settings plus one extra URL, the baseline of bench/peak.py: a bare Django view doing one
indexed PostgreSQL read, served by the same gunicorn, middleware and database as the platform's pages."""

from shell.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.morning_peak.urls"
