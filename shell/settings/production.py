"""Production: PostgreSQL, Redis and real Celery workers, all from the environment."""

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, DATABASES, OAUTH2_PROVIDER, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # no default: refuse to start without one
XAPI_STATEMENT_ID_KEY = env("XAPI_STATEMENT_ID_KEY", default=SECRET_KEY)
# Derived from the production SECRET_KEY, not base.py's development default.
OIDC_KEY_ENCRYPTION_KEY = env("OIDC_KEY_ENCRYPTION_KEY", default=SECRET_KEY)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env.bool(
    "ALLOW_SQLITE_IN_PRODUCTION", default=False
):
    raise RuntimeError("Production needs DATABASE_URL (PostgreSQL).")
if not CELERY_BROKER_URL:
    raise RuntimeError("Production needs CELERY_BROKER_URL (Redis or RabbitMQ).")

STORAGES = {
    "default": {"BACKEND": env("DEFAULT_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A connection broken by a database restart fails the one request that finds it and is then replaced
# (Django closes unusable connections after an error); a SELECT 1 before every request costs more.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_HTTPS = env.bool("USE_HTTPS", default=True)
SESSION_COOKIE_SECURE = USE_HTTPS
CSRF_COOKIE_SECURE = USE_HTTPS
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=USE_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if USE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = USE_HTTPS
SECURE_HSTS_PRELOAD = USE_HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Apps' redirect URIs: https only in production (OIDC_REDIRECT_URI_SCHEMES), unless said otherwise.
OAUTH2_PROVIDER["ALLOWED_REDIRECT_URI_SCHEMES"] = env.list("OIDC_REDIRECT_URI_SCHEMES", default=["https"])
