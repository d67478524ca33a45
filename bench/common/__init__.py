"""What the benchmarks share (a package, so that `make bench`'s bench/*.py does not run it as one)."""

from __future__ import annotations

import os


def production_env(db_url: str, redis_url: str, *, cache: bool = True, **extra: str) -> dict[str, str]:
    """The environment of production mode on this machine, on a benchmark's own database and Redis db."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shell.settings.production",
        "DATABASE_URL": db_url,
        "CELERY_BROKER_URL": redis_url,
        "SECRET_KEY": "bench-secret-key-not-for-production",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "USE_HTTPS": "false",
        "LOG_LEVEL": "WARNING",
        "DEMO_DATA_ALLOWED": "true",  # a scratch database: load_demo may run
        **extra,
    }
    if cache:
        env["CACHE_URL"] = redis_url.replace("redis://", "rediscache://")
    return env
