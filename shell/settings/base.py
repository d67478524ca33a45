"""Settings shared by every environment. Values come from the environment with safe defaults."""

from django.utils.translation import gettext_lazy as _

from .env import BASE_DIR, env

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# The modules the shell mounts. Each names a Django app whose shell_hooks.py registers
# its tiles, menu items, URLs, notification types and event handlers.
SHELL_MODULES = env.list("SHELL_MODULES", default=["lms"])

INSTALLED_APPS = [
    # the shell: identity, home screen, inbox
    "shell.people",
    "shell.home",
    "shell.inbox",
    # modules
    "lms",
    "lms.xapi",
    "lms.hours",
    "lms.classroom",
    "lms.claims",
    "lms.certificates",
    "content",
    "content.h5p",
    "shell.modules.layanan",
    "shell.modules.kinerja",
    "reports",
    "fixtures",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shell.home.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "shell.urls"
WSGI_APPLICATION = "shell.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "shell.home.context_processors.shell_navigation",
            ],
        },
    },
]

# Database: SQLite by default (make run); DATABASE_URL (PostgreSQL) in production and CI.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a background task writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian first, English available; the city runs on Western Indonesia Time.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A cache that is down is a miss, not a 500; and a hung Redis costs a request one second at most.
    CACHES["default"]["BACKEND"] = "shell.cache.TolerantRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update({"socket_connect_timeout": 1, "socket_timeout": 1})

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Universitas Pemerintahan <noreply@localhost>")

# Celery: with no broker configured, tasks run in-process (the embedded default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing from a web request fails fast when the broker is down (the work is in the database and
# the beat's periodic runs take it); workers keep retrying their own connection as usual.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BEAT_SCHEDULE = {
    # Statements whose projection task was lost (a broker outage, a dead worker) are caught up here.
    "xapi-project-pending": {"task": "xapi.project_pending", "schedule": 300.0},
    # The outbox to the upstream LRS: rows due again after a failure, or whose run was lost (a no-op when off).
    "xapi-forward-outbox": {"task": "xapi.forward_outbox", "schedule": 60.0},
}

# Wagtail
WAGTAIL_SITE_NAME = "Universitas Pemerintahan Kota Tangerang"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "pptx", "ppt", "xlsx", "xls", "txt", "odt", "odp", "ods"]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# Learning
# The activity IRIs of our own statements are rooted here; keep it stable once statements exist.
XAPI_ACTIVITY_ROOT = env("XAPI_ACTIVITY_ROOT", default=f"{SITE_URL}/xapi/activities").rstrip("/")
XAPI_ACCOUNT_HOMEPAGE = env("XAPI_ACCOUNT_HOMEPAGE", default=SITE_URL)
# Defaults used for a year an administrator has not configured yet (DOMAIN.md: configurable).
LEARNING_DEFAULT_TARGET_JP = env.int("LEARNING_DEFAULT_TARGET_JP", default=20)
LEARNING_DEFAULT_MINUTES_PER_JP = env.int("LEARNING_DEFAULT_MINUTES_PER_JP", default=45)
# Forwarding every accepted statement to an upstream LRS (e.g. a national one) through an outbox
# (lms/xapi/forwarding.py). Off by default; the endpoint is the xAPI base URL (…/xapi/).
LRS_FORWARD_ENABLED = env.bool("USE_LRS_FORWARDING", default=False)
LRS_FORWARD_ENDPOINT = env("LRS_FORWARD_ENDPOINT", default="")
LRS_FORWARD_USERNAME = env("LRS_FORWARD_USERNAME", default="")
LRS_FORWARD_PASSWORD = env("LRS_FORWARD_PASSWORD", default="")
LRS_FORWARD_TIMEOUT = env.int("LRS_FORWARD_TIMEOUT", default=10)  # seconds per connect / read
LRS_FORWARD_BATCH = env.int("LRS_FORWARD_BATCH", default=100)  # statements per request

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "celery": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
