"""pytest: fast hashing, locmem mail and cache, eager Celery unless a test starts a real worker.

DATABASE_URL and CELERY_BROKER_URL may point at PostgreSQL and Redis (as .ci/run does);
with no environment the suite runs on SQLite alone.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
DEMO_DATA_ALLOWED = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = env("MEDIA_ROOT", default="/tmp/tangerang-test-media")
WAGTAILADMIN_BASE_URL = "http://testserver"

# Static files come from the finders; nothing is collected for tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
