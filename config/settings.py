"""Settings from the environment, with defaults that run one machine on SQLite."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Served over plain HTTP on this machine (`make run`): production settings otherwise, so the
# demo shows what a deployment shows (Russian error pages, collected static files), without the
# HTTPS redirect, Secure-only cookies and HSTS that need a certificate.
PLAIN_HTTP = env_bool("PLAIN_HTTP", False)
LOCAL = DEBUG or PLAIN_HTTP

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and LOCAL:
    # This machine only: a key per checkout, kept in a file so that sessions survive restarts.
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(get_random_secret_key())
    SECRET_KEY = key_file.read_text().strip()
# Without DEBUG the key is required: Django refuses to sign anything (sessions, CSRF, links)
# while it is empty, and `check --deploy` names it; commands that sign nothing still run.

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if LOCAL else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The reverse proxy in front (nginx on the same machine: 127.0.0.1); it names the client in
# X-Real-IP (operations/proxy.py). Empty — no proxy, the header is ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
CSRF_FAILURE_VIEW = "config.csrf.csrf_failure"
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Before django_q: its `qcluster` command is replaced by one that stops cleanly on SIGTERM
    # (notifications/worker.py), as staticfiles replaces `runserver`.
    "notifications",
    "django_q",
    "axes",
    "csp",
    "ninja",  # serves Swagger UI from its own static files, no CDN needed
    "participants",
    "events",
    "surveys",
    "planning",
    "indicators",
    "operations",  # /healthz, log hygiene, backup and restore
    "loadtest",  # manage.py generate_region, prepare_load: measuring, never serving
    "practices",
    "portfolio",
]

MIDDLEWARE = [
    # First: everything after it (brakes, django-axes) sees the client's own address.
    "operations.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outermost but one: it sees every answer of /api/v1/, whoever made it.
    "config.api_errors.ApiErrorMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as its documentation asks: it turns a lockout raised by authenticate() into a page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "indicators.context.menu",
            ],
        },
    },
]

# Database: DATABASE_URL, or an SQLite file next to the project.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, its health check without a round trip (config/postgresql).
    DATABASES["default"]["ENGINE"] = "config.postgresql"
    # No JIT: it compiles the feed's and the reports' queries (hundreds of functions) on every
    # request, 1.3 s of a 1.4 s feed at a region's size (README «Регион»); the plans are small.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Parameters bound by the server, and a statement a connection runs again prepared (after
    # psycopg's 5 runs): the server stops parsing and planning the same statements on every
    # request, half of its work for a registration (README, registration over HTTP on
    # PostgreSQL). Not behind a pooler in transaction mode, whose connections do not keep a
    # session's prepared statements; after a migration the site is restarted (README «Обновление»).
    DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work beside one writer; IMMEDIATE transactions take the write lock at
    # BEGIN, so concurrent writers queue instead of failing mid-transaction with "database is
    # locked". config.sqlite queues the writers of one process on a lock of its own before BEGIN
    # (they start the moment the previous one commits, instead of sleeping in SQLite's busy
    # handler); SQLite's busy timeout is left to writers of other processes (the qcluster).
    # Connections are kept (CONN_MAX_AGE above) like on PostgreSQL: opening one costs a few
    # milliseconds, and closing the last one checkpoints the WAL, ~10 ms a request.
    DATABASES["default"]["ENGINE"] = "config.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 10,
        "write_queue_timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Teachers sign in by a one-time e-mail link (django-sesame); staff with a password.
AUTHENTICATION_BACKENDS = [
    # First: it refuses password guesses from a locked-out client before any other backend.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "sesame.backends.ModelBackend",
]
SESAME_MAX_AGE = 60 * 60
SESAME_ONE_TIME = True
# Only the current token format: there are no links of an older one to honour.
SESAME_TOKENS = ["sesame.tokens_v2"]

# Brakes on guessing (see README «Безопасность и персональные данные»).
# Password logins (/admin/login/, /login/): django-axes, per account and client address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# Per (account, address): a guesser from one address is stopped, while staff elsewhere behind
# the same school NAT still sign in, and nobody can lock an account out from everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "participants/lockout.html"
# Successful logins are not kept: a log of who signed in when is personal data we do not need.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Other brakes (sign-in requests, survey posts, check-in codes, API tokens): django-ratelimit
# counting in the cache below. Limits are "N/period"; see participants/brakes.py.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
# The counters must be shared by every web process: a per-process memory cache would give each
# process its own count. Redis when there is one; otherwise a table in the project's database
# (made by a migration, participants/0xxx_cache_table). Django's database cache increments by
# read-then-write, so under a burst of parallel requests a count or two can be lost: a limit of 5
# may let 6 or 7 through. That is enough to stop guessing by the thousand, which is the point;
# django-ratelimit's check that flags this backend is silenced for that reason.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    } if os.environ.get("REDIS_URL") else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cache_entries",
    }
}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Content-Security-Policy (django-csp 4): our own origin only, nothing inline. No page has an
# inline script or style attribute; a template that needs one uses the nonce
# (`{{ request.csp_nonce }}`, "'nonce'" then goes into script-src). Swagger UI (django-ninja's
# bundled copy) loads from our static files; its settings are a JSON block, which CSP allows.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Russian only, whatever the browser asks for: no LocaleMiddleware, one language. An English
# admin around Russian data helps nobody, and every text of ours is written in Russian.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Stored in UTC; shown in the zone of each municipality.
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Moscow")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (evidence of plan items): never served as static files, only through views
# that check who asks (events/plan/views.py).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads in an S3-compatible store (django-storages, `pip install ".[s3]"`) when a bucket is
# named; the files stay private (signed links that expire) and are still handed out only by views
# that check who asks. Otherwise the file system under MEDIA_ROOT.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
# The largest file of a practice's materials (a video of a lesson is the usual large one).
PRACTICE_MATERIAL_MAX_MB = int(os.environ.get("PRACTICE_MATERIAL_MAX_MB", "20"))
# Sites that may show the bank's embeddable list in a frame (CSP frame-ancestors of that page
# only; every other page keeps 'none'). Space-separated origins, e.g. "https://uo.example.ru".
PRACTICE_EMBED_ANCESTORS = os.environ.get("PRACTICE_EMBED_ANCESTORS", "*").split()

# E-mail: SMTP when EMAIL_HOST is set; otherwise the console, where a sign-in letter shows as a
# framed link and other letters are only counted (notifications/console.py).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
# Seconds for each SMTP reply but the last; the reply to the end of DATA waits 10 minutes, as
# RFC 5321 §4.5.3.2.6 asks (notifications/smtp_backend.py says why).
EMAIL_TIMEOUT = 30
EMAIL_FINAL_REPLY_TIMEOUT = 600
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "notifications.smtp_backend.EmailBackend"
    if EMAIL_HOST
    else "notifications.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Школа наставничества <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# ORGANIZER of calendar invitations when a municipality has no curator with an e-mail
# (e.g. "Методический кабинет <mk@example.ru>"); empty — the sender above.
CALENDAR_ORGANIZER_EMAIL = os.environ.get("CALENDAR_ORGANIZER_EMAIL", "")

# django-q2: the ORM broker on the project's database, or Redis when REDIS_URL is set.
# `timeout` stays below `retry`, or a slow task is handed out a second time while it still runs;
# and above EMAIL_FINAL_REPLY_TIMEOUT, or the cluster kills a worker that waits for a server's
# last reply, and the letter goes twice. A delivery task itself stops claiming after a minute
# (NOTIFICATIONS_TASK_BUDGET_SECONDS), so the long timeout only bounds a hung server.
Q_CLUSTER = {
    "name": "mentoring",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": 660,
    "retry": 720,
    "max_attempts": 3,
    "catch_up": False,
    "save_limit": 500,
    "label": "Фоновые задачи",
}
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# An uploaded roster not applied within this many days is deleted (it holds personal data).
IMPORT_BATCH_RETENTION_DAYS = int(os.environ.get("IMPORT_BATCH_RETENTION_DAYS", "7"))

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_CLASS = "config.pagination.Pagination"

# Production hardening; each one is on unless DEBUG or PLAIN_HTTP.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not LOCAL)
# Monitoring asks the web server directly on the loopback, without TLS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not LOCAL
CSRF_COOKIE_SECURE = not LOCAL
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if LOCAL else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Logs: every line passes operations.logs.ScrubFilter (no link tokens, e-mails or phones);
# JSON lines in production (journald and collectors read them), plain text on this machine.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if LOCAL else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "operations.logs.ScrubFilter"}},
    "formatters": {"json": {"()": "operations.logs.JsonFormatter"},
                   "text": {"format": "%(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["scrub"],
                             "formatter": "json" if LOG_FORMAT == "json" else "text"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"},
                # `make run` sets WARNING: the worker's two lines a minute per schedule bury
                # what the developer looks for.
                "django-q": {"level": os.environ.get("Q_LOG_LEVEL", "INFO")}},
}
