"""Fieldbook settings.

Everything that differs between machines comes from the environment (a
`.env` file in the project root is loaded first, for local work). See
`.env.example` for every variable and its default.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

from config import backends

BASE_DIR = Path(__file__).resolve().parent.parent

load_dotenv(BASE_DIR / ".env")


def envbool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envlist(name, default=""):
    value = os.environ.get(name, default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", False)
TESTING = envbool("FIELDBOOK_TESTING", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        # Only for local development and tests: never used in production,
        # where a missing key stops the app from starting.
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# Public base URL, used to build absolute links shown to users (webhook
# URLs to paste into Retell and Thumbtack, links in emails).
# When unset, pages use the address of the request itself.
SITE_URL_CONFIGURED = bool(os.environ.get("FIELDBOOK_SITE_URL"))
SITE_URL = (os.environ.get("FIELDBOOK_SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

# The project's own apps, one per domain. The home dashboard asks each for
# its summary (see config/views.py).
# Listed from the lowest layer up: an app imports only apps above it in this
# list, and demo data (`seed_demo`) is made in this order.
FIELDBOOK_APPS = [
    "core",  # shared rules (phones, money, time); imports no other app of the project
    "account",
    "api",  # the JSON API base; imports only core and account
    "customers",  # customers and their addresses; bookings and leads link to them
    "leads",
    "booking",  # a booking may come from a lead: booking imports leads, never the reverse
    "online",  # the public booking page and customers' own links; composes booking and leads
    "notify",  # confirmations and reminders: reacts to booking events, links the customer's page
    "restaurants",
    "contact",
    "call",
    "track",  # logging a CALL interaction moves the restaurant's call plan
    "crm",  # the restaurant CRM's pages and demo data; composes the four apps above
    "webhooks",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks",
    "django_tasks_db",
    *FIELDBOOK_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "account.middleware.BusinessMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "account.context_processors.business",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DJANGO_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Behind PgBouncer in transaction mode (README "Deployment"): a server-side
# cursor (QuerySet.iterator()) cannot outlive the transaction there.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = envbool(
    "DJANGO_DB_DISABLE_SERVER_SIDE_CURSORS", False
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite keeps connections per thread; a persistent connection buys nothing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Usable under concurrent writes: WAL lets readers and one writer work at
    # once; IMMEDIATE takes the write lock when a transaction starts, so two
    # writers queue (up to `timeout` seconds) instead of failing with
    # "database is locked" when a read turns into a write.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "account.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "account.backends.UsernameOrEmailBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account:login"

# Failed logins: locked per account and per IP after this many failures,
# for this long. The HTML login and the JSON token endpoint share the
# counter, and an account is counted under its lower-cased username whatever
# was typed (username in any case, or email), see account.backends.
AXES_FAILURE_LIMIT = envint("FIELDBOOK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("FIELDBOOK_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_USERNAME_CALLABLE = "account.backends.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "account.views.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_ENABLED = envbool("FIELDBOOK_AXES_ENABLED", True)
AXES_IPWARE_PROXY_COUNT = envint("FIELDBOOK_PROXY_COUNT", 0) or None
AXES_VERBOSE = False

# --- Sessions and cache: shared by every process and machine -----------------------
# (config/backends.py decides; README "Deployment".) The cache holds the
# counters of account.ratelimit and other short-lived shared values:
# - REDIS_URL set: Redis (Django's own backend, `redis` package); sessions
#   in the database and cached in Redis (`cached_db`).
# - otherwise in production: a table in the database (`fieldbook_cache`,
#   created by `migrate`), shared by every process; sessions in the database.
# - development and tests (DJANGO_DEBUG=1, the test suite), or
#   FIELDBOOK_CACHE=memory: local memory, each process counting on its own.
# FIELDBOOK_CACHE=redis|database|memory overrides the choice.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_CHOICE = backends.cache_choice(os.environ, development=DEBUG or TESTING)
CACHES = backends.caches(CACHE_CHOICE, os.environ)
SESSION_ENGINE = backends.session_engine(CACHE_CHOICE)

# Thumbtack webhook (HTTP Basic): wrong credentials are counted per username
# and per client address; after this many in the window, 429 with
# Retry-After until the cool-off ends (see webhooks.auth for the policy).
THUMBTACK_AUTH_FAILURE_LIMIT = envint("FIELDBOOK_THUMBTACK_FAILURE_LIMIT", 10)
THUMBTACK_AUTH_COOLOFF = timedelta(minutes=envint("FIELDBOOK_THUMBTACK_COOLOFF_MINUTES", 15))

# Server key of the keyed digests (HMAC-SHA256) that store generated machine
# secrets such as the Thumbtack password. Empty: derived from SECRET_KEY, so
# a new SECRET_KEY (without the old one in SECRET_KEY_FALLBACKS) means every
# business must generate a new Thumbtack password; set it to avoid that.
CREDENTIAL_DIGEST_KEY = os.environ.get("FIELDBOOK_CREDENTIAL_KEY", "")

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880

# --- File storages: uploads (logos) and private files (invoice PDFs) -----------------
# (config/backends.py decides; README "Deployment", "Media storage".)
# - default: local directories, DJANGO_MEDIA_ROOT (served under /media/) and
#   FIELDBOOK_PRIVATE_ROOT (never served, and never inside the media root).
#   With several app servers both must be one shared volume, or use:
# - FIELDBOOK_S3_BUCKET: an S3-compatible bucket (django-storages), uploads
#   under media/, private files under private/ of FIELDBOOK_S3_PRIVATE_BUCKET
#   (default: the same bucket), written without ACLs. Logos keep /media/ URLs
#   on the app's own origin (the app reads them from the bucket) unless
#   FIELDBOOK_S3_CUSTOM_DOMAIN names a CDN for them. Private files have no
#   URL: only the signed-in views hand them out.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
PRIVATE_ROOT = Path(os.environ.get("FIELDBOOK_PRIVATE_ROOT") or BASE_DIR / "private")
_media_storage, _private_storage, MEDIA_ORIGIN = backends.storages(
    os.environ, media_root=MEDIA_ROOT, private_root=PRIVATE_ROOT
)
# With a CDN, media URLs are absolute on its domain (the PDF renderer reads
# those through the storage too, see booking.pdf).
MEDIA_URL = f"{MEDIA_ORIGIN}/{backends.S3_MEDIA_PREFIX}/" if MEDIA_ORIGIN else "/media/"
# The app serves /media/ itself unless a web server or CDN does; with a
# bucket and no CDN it must (FIELDBOOK_SERVE_MEDIA=0 is then ignored).
SERVE_MEDIA = envbool("FIELDBOOK_SERVE_MEDIA", True) or (
    _media_storage["BACKEND"] == backends.S3_MEDIA and not MEDIA_ORIGIN
)
STORAGES = {
    "default": _media_storage,
    "private": _private_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
FORMS_URLFIELD_ASSUME_HTTPS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Fieldbook <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work -------------------------------------------------------------------
# Run at once by default; the database backend with `manage.py db_worker` in
# production (FIELDBOOK_TASKS_BACKEND=database), as many workers on as many
# machines as needed: each task row is claimed by one worker.
TASKS_BACKEND = os.environ.get("FIELDBOOK_TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
# The inbox and the delivery log, not the queue, are the source of truth: a
# sweep (webhooks/sweep.py; a periodic task the workers run, or
# `manage.py webhooks_sweep` from cron) re-enqueues webhook events still
# unprocessed SWEEP_AFTER after they arrived and outbound deliveries whose
# time has come, when no task for them is queued. SWEEP_AFTER is also how
# long a started delivery attempt may take before another may start.
WEBHOOK_SWEEP_INTERVAL = timedelta(seconds=envint("FIELDBOOK_SWEEP_INTERVAL_SECONDS", 60))
WEBHOOK_SWEEP_AFTER = timedelta(seconds=envint("FIELDBOOK_SWEEP_AFTER_SECONDS", 300))
# How often the workers look for due reminders (notify/tasks.py `notify_due`).
NOTIFY_INTERVAL = timedelta(seconds=envint("FIELDBOOK_NOTIFY_INTERVAL_SECONDS", 300))
# How often the workers add the visits of recurring series that come into
# their horizon (booking.tasks.top_up_series; `manage.py series_topup` from cron).
SERIES_TOPUP_INTERVAL = timedelta(seconds=envint("FIELDBOOK_SERIES_TOPUP_INTERVAL_SECONDS", 3600))

# Outbound integrations may target private addresses only when allowed
# (development and tests); production refuses them.
INTEGRATIONS_ALLOW_PRIVATE_TARGETS = envbool("FIELDBOOK_ALLOW_PRIVATE_WEBHOOK_TARGETS", DEBUG)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.JWTAuthentication",
        "api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasBusiness"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON through config.parsers (too deep, non-finite or non-UTF-8 bodies are 400).
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.schema.FieldbookAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # No `?format=` override: an unknown query parameter is ignored like any
    # other instead of answering 404 (the Accept header chooses the format).
    "URL_FORMAT_OVERRIDE": None,
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=7),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    # Tokens are issued by api.auth_views, which records the sign-in
    # (last login, lockout reset) through Django's user_logged_in signal.
    "UPDATE_LAST_LOGIN": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Fieldbook API",
    "DESCRIPTION": "Restaurant accounts, contacts, interactions and call plans.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components: a response component lists
    # every field it always has as required (api.schema.FieldbookAutoSchema).
    "COMPONENT_SPLIT_REQUEST": True,
    # Request bodies are declared as JSON only, so generated clients get one
    # body type per operation (the browsable API still posts its forms).
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    # Swagger UI is served from our own static files (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Without deep links Swagger UI renders each operation's path as text, not as
    # a link nested inside the operation's toggle button (a nested-interactive
    # violation under WCAG 4.1.2).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "ENUM_NAME_OVERRIDES": {
        "RestaurantStatusEnum": "restaurants.models.RestaurantStatus",
        "InteractionTypeEnum": "track.models.InteractionType",
        "FrequencyEnum": "call.models.Frequency",
    },
}

# Production hardening. SSL redirect can be switched off when a proxy that
# terminates TLS already redirects; the proxy header is trusted only when set.
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
if envbool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- Web hardening: private files, security headers ---------------------------
# Cached invoice PDFs live in the "private" storage, which no URL serves; the
# signed-in PDF view hands them out (STORAGES above).

# Content-Security-Policy, Permissions-Policy (config/middleware.py). The
# same shape as Django 6's SECURE_CSP, so the built-in middleware can take
# over later. Every script and stylesheet is a file under /static/: no
# inline <script>, no style="" attributes, no event handler attributes.
# data: images are Bootstrap's icons inside its CSS (form controls, toggler).
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if MEDIA_ORIGIN:
    # Logos served by a CDN (FIELDBOOK_S3_CUSTOM_DOMAIN, STORAGES above).
    SECURE_CSP["img-src"].append(MEDIA_ORIGIN)
# The public booking page (/book/<slug>/…) alone may be framed, by these
# origins (space-separated CSP sources; "*" = any http(s) site): see online.framing.
FIELDBOOK_BOOKING_PAGE_FRAME_ANCESTORS = os.environ.get(
    "FIELDBOOK_BOOKING_PAGE_FRAME_ANCESTORS", "*"
).split()
# Customer links (/c/<token>/) expire this many days after they are sent.
FIELDBOOK_CUSTOMER_LINK_DAYS = envint("FIELDBOOK_CUSTOMER_LINK_DAYS", 120)
# Posts to a booking page per client address per hour (bookings; saved progress).
FIELDBOOK_BOOKING_PAGE_POSTS_PER_HOUR = envint("FIELDBOOK_BOOKING_PAGE_POSTS_PER_HOUR", 20)
FIELDBOOK_BOOKING_PAGE_SAVES_PER_HOUR = envint("FIELDBOOK_BOOKING_PAGE_SAVES_PER_HOUR", 120)
SECURE_CSP_REPORT_ONLY = {}
if envbool("FIELDBOOK_CSP_REPORT_ONLY", False):
    # Report violations in the browser console without blocking anything.
    SECURE_CSP, SECURE_CSP_REPORT_ONLY = {}, SECURE_CSP
# Browser features the app never uses are switched off for every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "config.middleware.SecurityHeadersMiddleware",
)
# --- end of web hardening --------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "ERROR"},
    },
}
