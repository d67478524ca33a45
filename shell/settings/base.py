"""Settings shared by every environment. Values come from the environment with safe defaults."""

import datetime as dt
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from .env import BASE_DIR, env

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
# The address the platform is served at: every absolute link (QR codes, e-mails, PDFs) is built on it
# (shell/site.py). `make run` sets it from HOST and PORT.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=sorted({"127.0.0.1", "localhost", "testserver", urlsplit(SITE_URL).hostname or ""} - {""})
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The modules the shell mounts. Each names a Django app whose shell_hooks.py registers
# its tiles, menu items, URLs, notification types and event handlers.
SHELL_MODULES = env.list(
    "SHELL_MODULES", default=["lms", "content", "shell.modules.layanan", "shell.modules.kinerja", "reports"]
)

INSTALLED_APPS = [
    # the shell: identity, home screen, inbox
    "shell.people",
    "shell.home",
    "shell.inbox",
    "shell.outbox",
    "shell.apps",
    "shell.webhooks",
    # modules
    "lms",
    "lms.xapi",
    "lms.hours",
    "lms.classroom",
    "lms.claims",
    "lms.certificates",
    "lms.h5p",
    "lms.courses",
    "lms.surveys",
    "content",
    "content.h5p",
    "lms.video",
    "lms.evaluation",
    "lms.planning",
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
    "wagtailmedia",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # the REST API for the mobile app
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # the OpenID Connect provider for the city's external apps (shell/apps)
    "oauth2_provider",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database outage is a 503 with Retry-After; outside every middleware that may read the database.
    "shell.middleware.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shell.home.middleware.IndonesianFirstLocaleMiddleware",
    # A body larger than its URL accepts is refused by its Content-Length, unread (UPLOAD_SIZE_LIMITS).
    "shell.request_size.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Video lessons (content.video, lms.video). Embedded players are allowed from these hosts only (the editor
# refuses a link from any other, and the CSP below lets their frames in); YouTube links are embedded from
# www.youtube-nocookie.com (or www.youtube.com when only that is listed), Vimeo's from player.vimeo.com. Their
# players report progress through their own scripts, which a lesson page showing such a player allows
# (www.youtube.com, player.vimeo.com: content.models.LessonPage.serve). A video counts as watched once the learner watched this share of it (percent), at no
# more than VIDEO_MAX_PLAYBACK_RATE times real time (the watch session's server clock is the limit).
VIDEO_EMBED_HOSTS = [
    h.strip().lower()
    for h in env.list("VIDEO_EMBED_HOSTS", default=["www.youtube-nocookie.com", "player.vimeo.com"])
    if h.strip()
]
VIDEO_COMPLETION_PERCENT = env.int("VIDEO_COMPLETION_PERCENT", default=90)
VIDEO_MAX_PLAYBACK_RATE = env.float("VIDEO_MAX_PLAYBACK_RATE", default=2.0)
# How long a watch session (opened when the lesson page is served) accepts the player's reports, in seconds.
VIDEO_WATCH_MAX_AGE = env.int("VIDEO_WATCH_MAX_AGE", default=12 * 3600)
# A report of the video player credits at most this many seconds of wall time since the previous report
# (times VIDEO_MAX_PLAYBACK_RATE): the player reports as the video plays, a late report claims little.
VIDEO_REPORT_MAX_GAP = env.int("VIDEO_REPORT_MAX_GAP", default=15)
# The largest video file a trainer may upload to the CMS's media library (bytes).
VIDEO_MAX_UPLOAD_BYTES = env.int("VIDEO_MAX_UPLOAD_BYTES", default=500 * 1024 * 1024)
_VIDEO_FRAMES = [f"https://{host}" for host in VIDEO_EMBED_HOSTS]

# Content-Security-Policy (django-csp) for the platform's own pages: scripts only from our origin (no
# inline scripts or handlers), frames only our own (the H5P player, which sets its own, stricter policy
# with its sandbox) and the video players of VIDEO_EMBED_HOSTS, never framed by other sites. The Wagtail
# and Django admins and the API docs run their vendors' inline scripts and keep Django's other protections
# (X-Frame-Options, nosniff).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/cms/", "/django-admin/", "/api/docs/", "/api/redoc/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # style attributes in templates
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *_VIDEO_FRAMES],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

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
            # Dates and numbers as shell/formatting.py writes them: |short_date, |number, |percent, |jp ...
            "builtins": ["shell.templatetags.formatting"],
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
# django-axes first: it refuses a login locked out after repeated failures before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Login rate limiting: 5 failures for the same username from the same address lock that pair out for
# 15 minutes (429 with a page that says so); a success resets the count. Counted per username AND
# address, so an attacker cannot lock a colleague out from elsewhere. The same for the API's token.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Password spraying: this many failures from one address, over any usernames within the cool-off, lock
# that address out (shell/people/lockout.py). Higher than an account's: an office may share one address.
# 0 turns it off.
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_HANDLER = "shell.people.lockout.AccountAndAddressLockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)  # reverse proxies in front of gunicorn
AXES_VERBOSE = False

# Single sign-on with the city's OpenID Connect identity provider (off by default). Users are matched
# to existing employees by NIP (OIDC_NIP_CLAIM) and then by e-mail; unknown people are refused unless
# OIDC_CREATE_USER is on.
USE_OIDC = env.bool("USE_OIDC", default=False)
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid email profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_OP_LOGOUT_ENDPOINT = env("OIDC_OP_LOGOUT_ENDPOINT", default="")
OIDC_NIP_CLAIM = env("OIDC_NIP_CLAIM", default="nip")
OIDC_CREATE_USER = env.bool("OIDC_CREATE_USER", default=False)
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
LOGIN_REDIRECT_URL_FAILURE = "/masuk/?sso=gagal"

# The shell as the OpenID Connect provider of the city's external apps (shell/apps, docs/apps.md), on
# django-oauth-toolkit. The issuer is <site>/oauth (discovery at /oauth/.well-known/openid-configuration);
# set OIDC_PROVIDER_ISSUER when the public address differs from what requests say. Access and ID tokens
# are short-lived, refresh tokens rotate (a reused one revokes its family). ID tokens are signed with
# RSA keys kept encrypted in the database under OIDC_KEY_ENCRYPTION_KEY (default SECRET_KEY; changing it
# makes the stored keys unreadable: rotate afterwards); `manage.py oidc_rotate_key` rotates them, a
# retired key stays in the JWKS for OIDC_KEY_RETIRED_SECONDS.
OIDC_KEY_ENCRYPTION_KEY = env("OIDC_KEY_ENCRYPTION_KEY", default=SECRET_KEY)
OIDC_KEY_RETIRED_SECONDS = env.int("OIDC_KEY_RETIRED_SECONDS", default=24 * 3600)
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"  # the library's own (not swapped)
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"  # likewise (shell.apps.LaunchCode points at it)
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": env("OIDC_PROVIDER_ISSUER", default="").rstrip("/"),
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    # With a valid id_token_hint the app's logout needs no second click; without one, the user confirms.
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    # RFC 9700 (OAuth 2.0 Security BCP): the `iss` authorization-response parameter (RFC 9207), and
    # access and refresh tokens stored hashed, never in plain text.
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "OIDC_JWKS_MAX_AGE_SECONDS": env.int("OIDC_JWKS_MAX_AGE_SECONDS", default=3600),
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OIDC_ACCESS_TOKEN_SECONDS", default=300),
    "ID_TOKEN_EXPIRE_SECONDS": env.int("OIDC_ID_TOKEN_SECONDS", default=300),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env.int("OIDC_REFRESH_TOKEN_SECONDS", default=8 * 3600),
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    # Third-party apps ask once; a later login with the same scopes while a token lives is not asked again.
    "REQUEST_APPROVAL_PROMPT": "auto",
    "ALLOWED_REDIRECT_URI_SCHEMES": env.list("OIDC_REDIRECT_URI_SCHEMES", default=["https", "http"]),
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "client_credentials", "refresh_token"],
    "SCOPES": {
        "openid": _("Masuk dengan akun Tangerang Ayo Anda"),
        "profile": _("Nama dan nama pengguna Anda"),
        "email": _("Alamat e-mail Anda"),
        "employee": _("NIP, unit kerja, jabatan, dan status kepegawaian Anda"),
        "roles": _("Peran Anda di Tangerang Ayo"),
        "notifications:write": _("Mengirim notifikasi ke kotak masuk pegawai"),
        "badges:write": _("Mengatur angka pada ubin aplikasi di beranda pegawai"),
        "kinerja:write": _("Mencatat aktivitas e-Kinerja pegawai"),
    },
    "DEFAULT_SCOPES": ["openid"],
    "SCOPES_BACKEND_CLASS": "shell.apps.oidc.AppScopes",
    "OAUTH2_VALIDATOR_CLASS": "shell.apps.oidc.CityValidator",
}
if USE_OIDC:
    AUTHENTICATION_BACKENDS.append("shell.auth.CityOIDCBackend")
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
# One way to write dates and numbers (shell/formatting.py): "8 Des 2026", "1.234,5". Integers are not
# grouped unless asked (|number, |intcomma): a year or an id printed as "2.026" would be wrong.
FORMAT_MODULE_PATH = ["shell.formats"]
USE_THOUSAND_SEPARATOR = False
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
# Password reset by e-mail (shell.people.views): how long a link holds, and at most one e-mail per address
# this often (the form cannot flood an inbox). In development the console backend prints the e-mail.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=2 * 3600)
PASSWORD_RESET_EMAIL_INTERVAL = env.int("PASSWORD_RESET_EMAIL_INTERVAL", default=300)

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
# The shell's own periodic tasks; each mounted module adds its own (Module.periodic_tasks, see shell/celery.py).
CELERY_BEAT_SCHEDULE = {
    # Domain events whose delivery was lost (a broker outage, a dead worker) are delivered from the outbox.
    "shell-dispatch-pending-events": {"task": "shell.dispatch_pending_events", "schedule": 60.0},
    # Webhook deliveries to the city's apps that are due: retries with backoff, and first sends that were lost.
    "webhooks-deliver-due": {"task": "webhooks.deliver_due", "schedule": 30.0},
}

# The REST API for the mobile app: token (Authorization: Token <key>) or the browser's session.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "shell.api.exceptions.exception_handler",
    # The inbound API of the city's apps (shell/api/inbound.py), per app; an app may have its own limit.
    "DEFAULT_THROTTLE_RATES": {"apps": env("APPS_API_RATE", default="600/min")},
}
# Webhooks to the city's apps (shell/webhooks): seconds an app has to answer, and how many attempts
# (with exponential backoff from 30 s to 6 h between them) before a delivery is given up.
WEBHOOK_TIMEOUT = env.int("WEBHOOK_TIMEOUT", default=10)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=10)
SPECTACULAR_SETTINGS = {
    "TITLE": "Tangerang Ayo API",
    "DESCRIPTION": "The super app's API for the mobile app: the shell (profile, tiles, inbox) and every mounted module.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation's error answers documented (shell/api/schema.py), for /api/schema/ and `manage.py spectacular`.
    "DEFAULT_GENERATOR_CLASS": "shell.api.schema.SchemaGenerator",
    "PREPROCESSING_HOOKS": ["shell.api.schema.only_api_endpoints"],
    "ENUM_NAME_OVERRIDES": {
        "ServiceRequestStatusEnum": "shell.modules.layanan.models.ServiceRequest.Status",
        "ActivityStatusEnum": "shell.modules.kinerja.models.Activity.Status",
        "SkpStatusEnum": "shell.modules.kinerja.models.Skp.Status",
    },
}

# e-Kinerja: approved activities pushed to the city's external e-Kinerja system (off by default).
EKINERJA_PUSH_ENABLED = env.bool("USE_EKINERJA_PUSH", default=False)
EKINERJA_PUSH_URL = env("EKINERJA_PUSH_URL", default="")
EKINERJA_PUSH_TOKEN = env("EKINERJA_PUSH_TOKEN", default="")
EKINERJA_PUSH_TIMEOUT = env.int("EKINERJA_PUSH_TIMEOUT", default=10)  # seconds per connect / read
EKINERJA_PUSH_MAX_RETRIES = env.int("EKINERJA_PUSH_MAX_RETRIES", default=8)

# Wagtail
WAGTAIL_SITE_NAME = "Universitas Pemerintahan Kota Tangerang"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "pptx", "ppt", "xlsx", "xls", "txt", "odt", "odp", "ods"]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# The admin calls no outside service: no Gravatar (it would send a hash of every employee's e-mail address
# abroad), no update check against wagtail.org, no "what's new" banner; the help menu that links to the
# English editor guide is removed in content/wagtail_hooks.py. The admin speaks Indonesian: Wagtail's own
# "id_ID" catalogues are not found for the language "id", so locale/id holds them, completed
# (`python manage.py admin_messages`, content/management/commands/admin_messages.py).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

# Video files uploaded in the CMS (wagtailmedia): only what browsers play; the duration is read from the file.
WAGTAILMEDIA = {
    "MEDIA_FORM_BASE": "content.forms.MediaForm",
    "VIDEO_EXTENSIONS": ["mp4", "m4v", "webm", "ogv"],
    "AUDIO_EXTENSIONS": ["mp3", "m4a", "ogg"],
}

# Learning
# Our xAPI IRIs (activities, our people's and LRS clients' accounts) are identifiers kept in every
# statement, not links: keep them stable once statements exist. Rooted at XAPI_IRI_BASE, which is SITE_URL
# unless set; the local settings fix it, so that `make run PORT=...` (a new SITE_URL) keeps them.
XAPI_IRI_BASE = env("XAPI_IRI_BASE", default=SITE_URL).rstrip("/")
XAPI_ACTIVITY_ROOT = env("XAPI_ACTIVITY_ROOT", default=f"{XAPI_IRI_BASE}/xapi/activities").rstrip("/")
XAPI_ACCOUNT_HOMEPAGE = env("XAPI_ACCOUNT_HOMEPAGE", default=XAPI_IRI_BASE)
XAPI_CLIENT_HOMEPAGE = f"{XAPI_IRI_BASE}/xapi/clients"  # the account home page of our LRS clients
# Keys the ids of the platform's own statements (docs/trust.md): unguessable, yet the same event always
# gets the same id. Keep it for the life of the data (a new key gives events recorded again new ids).
XAPI_STATEMENT_ID_KEY = env("XAPI_STATEMENT_ID_KEY", default=SECRET_KEY)
# Defaults used for a year an administrator has not configured yet (docs/domain/jp-ledger.md: configurable).
LEARNING_DEFAULT_TARGET_JP = env.int("LEARNING_DEFAULT_TARGET_JP", default=20)
LEARNING_DEFAULT_MINUTES_PER_JP = env.int("LEARNING_DEFAULT_MINUTES_PER_JP", default=45)
# Classroom check-in: the trainer's code changes every WINDOW seconds; a code typed just after it changed
# is still accepted for GRACE seconds. A learner's personal one-time QR (sessions in the personal_qr
# mode) is renewed every PERSONAL_QR seconds and counts for that window and the next. Unclosed classes
# are closed AUTO_CLOSE_DAYS after their last day.
CLASSROOM_CHECKIN_WINDOW_SECONDS = env.int("CLASSROOM_CHECKIN_WINDOW_SECONDS", default=30)
CLASSROOM_CHECKIN_GRACE_SECONDS = env.int("CLASSROOM_CHECKIN_GRACE_SECONDS", default=10)
CLASSROOM_PERSONAL_QR_SECONDS = env.int("CLASSROOM_PERSONAL_QR_SECONDS", default=60)
CLASSROOM_AUTO_CLOSE_DAYS = env.int("CLASSROOM_AUTO_CLOSE_DAYS", default=3)
# Participants' surveys (lms/surveys): answers are shown only for groups of at least this many responses;
# the level-3 follow-up goes out this many weeks after completion (not to completions more than
# SURVEY_FOLLOWUP_MAX_LATE_DAYS past that point), with one reminder after SURVEY_FOLLOWUP_REMINDER_DAYS.
SURVEY_MIN_GROUP_SIZE = env.int("SURVEY_MIN_GROUP_SIZE", default=5)
SURVEY_FOLLOWUP_WEEKS = env.int("SURVEY_FOLLOWUP_WEEKS", default=8)
SURVEY_FOLLOWUP_MAX_LATE_DAYS = env.int("SURVEY_FOLLOWUP_MAX_LATE_DAYS", default=30)
SURVEY_FOLLOWUP_REMINDER_DAYS = env.int("SURVEY_FOLLOWUP_REMINDER_DAYS", default=14)
CLAIM_EVIDENCE_MAX_BYTES = env.int("CLAIM_EVIDENCE_MAX_BYTES", default=5 * 1024 * 1024)
# JP reminders also go by e-mail (to employees with an address) when on; the inbox always gets them.
LEARNING_REMINDER_EMAIL = env.bool("USE_REMINDER_EMAIL", default=False)
# Forwarding every accepted statement to an upstream LRS (e.g. a national one) through an outbox
# (lms/xapi/forwarding.py). Off by default; the endpoint is the xAPI base URL (…/xapi/).
LRS_FORWARD_ENABLED = env.bool("USE_LRS_FORWARDING", default=False)
LRS_FORWARD_ENDPOINT = env("LRS_FORWARD_ENDPOINT", default="")
LRS_FORWARD_USERNAME = env("LRS_FORWARD_USERNAME", default="")
LRS_FORWARD_PASSWORD = env("LRS_FORWARD_PASSWORD", default="")
LRS_FORWARD_TIMEOUT = env.int("LRS_FORWARD_TIMEOUT", default=10)  # seconds per connect / read
LRS_FORWARD_BATCH = env.int("LRS_FORWARD_BATCH", default=100)  # statements per request
# H5P packages (content.h5p): limits checked before anything is inflated or stored.
H5P_MAX_PACKAGE_BYTES = env.int("H5P_MAX_PACKAGE_BYTES", default=100 * 1024 * 1024)
H5P_MAX_UNCOMPRESSED_BYTES = env.int("H5P_MAX_UNCOMPRESSED_BYTES", default=300 * 1024 * 1024)
H5P_MAX_FILES = env.int("H5P_MAX_FILES", default=5000)
# e-Kinerja evidence and service-request attachments: the largest file (bytes).
KINERJA_EVIDENCE_MAX_BYTES = env.int("KINERJA_EVIDENCE_MAX_BYTES", default=5 * 1024 * 1024)
LAYANAN_ATTACHMENT_MAX_BYTES = env.int("LAYANAN_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)
# Request bodies are refused by their Content-Length before they are read (413, shell/request_size.py):
# the first pattern matching the path gives the largest file it takes, plus UPLOAD_FORM_MARGIN for the
# form's other fields; any other path takes no file and at most DATA_UPLOAD_MAX_MEMORY_SIZE.
UPLOAD_FORM_MARGIN = env.int("UPLOAD_FORM_MARGIN", default=256 * 1024)
UPLOAD_SIZE_LIMITS = [
    (r"/belajar/klaim/", CLAIM_EVIDENCE_MAX_BYTES),
    (r"/kinerja/", KINERJA_EVIDENCE_MAX_BYTES),
    (r"/layanan/", LAYANAN_ATTACHMENT_MAX_BYTES),
    # Lesson videos (wagtailmedia), larger than anything else the CMS takes.
    (r"/cms/media/", VIDEO_MAX_UPLOAD_BYTES),
    # H5P packages (the CMS's images and documents are uploaded there too).
    (r"/cms/", H5P_MAX_PACKAGE_BYTES),
]
# How long a player link (the sandboxed frame and its signed file URLs) stays valid, in seconds.
H5P_PLAYER_TOKEN_MAX_AGE = env.int("H5P_PLAYER_TOKEN_MAX_AGE", default=12 * 3600)
# A person needs a few seconds per question: results sent sooner after the player opened are kept, not counted.
H5P_MIN_SECONDS_PER_ITEM = env.int("H5P_MIN_SECONDS_PER_ITEM", default=5)
# HR's anomaly list (lms/hours/anomalies.py): an employee credited more than ANOMALY_BURST_JP JP within any
# ANOMALY_BURST_HOURS hours is listed for BKPSDM to look at.
ANOMALY_BURST_HOURS = env.int("ANOMALY_BURST_HOURS", default=24)
ANOMALY_BURST_JP = env.int("ANOMALY_BURST_JP", default=16)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO").upper()},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "celery": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# `load_demo` (published passwords, an LRS client with a published secret) runs only where this is on:
# local and test settings; production only when asked for, for a throwaway database (bench/).
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=False)

# Reports: exported files are kept this long; exports of more employees than this are built in the
# background (Celery); the dashboard's figures are cached per scope this many seconds (warmed every minute).
REPORTS_EXPORT_KEEP_HOURS = env.int("REPORTS_EXPORT_KEEP_HOURS", default=72)
REPORTS_SYNC_MAX_ROWS = env.int("REPORTS_SYNC_MAX_ROWS", default=2000)
REPORTS_CACHE_SECONDS = env.int("REPORTS_CACHE_SECONDS", default=120)
# The home screen is kept rendered per user (shell.home.services); a change behind a badge drops it at once,
# anything else is at most this old. 0 renders it for every request.
HOME_CACHE_SECONDS = env.int("HOME_CACHE_SECONDS", default=30)
# Sessions are read from the cache (Redis in production) and written through to the database, so a
# request does not query PostgreSQL for its session, and a cache outage or restart logs nobody out.
SESSION_ENGINE = "shell.sessions"
