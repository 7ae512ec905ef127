"""OpsPortal settings: one module, everything from the environment (django-environ).

With DATABASE_URL / REDIS_URL unset the defaults point at the embedded PostgreSQL and
Redis that `python -m opsportal.devstack` starts under var/ (unix sockets), so the code
path is the same whether the servers are real or embedded.
"""

from pathlib import Path
from urllib.parse import unquote

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# Local state (embedded servers, uploads); OPSPORTAL_VAR_DIR moves it (the smoke test uses a temp dir).
VAR_DIR = Path(env("OPSPORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

# Where the embedded servers listen when no URL is given (see opsportal/devstack.py).
EMBEDDED_PG_DIR = VAR_DIR / "pg"
EMBEDDED_REDIS_SOCKET = VAR_DIR / "redis" / "redis.sock"
EMBEDDED_DATABASE_URL = f"postgres://postgres@{str(EMBEDDED_PG_DIR).replace('/', '%2F')}/opsportal"
EMBEDDED_REDIS_URL = f"unix://{EMBEDDED_REDIS_SOCKET}?db=0"

DEBUG = env.bool("DEBUG", default=False)
# The default is for development only; `check --deploy` rejects it (django-insecure- prefix).
# A production-mode server (wsgi/asgi with DEBUG off) refuses to start with it (opsportal/security.py).
DEV_SECRET_KEY = "django-insecure-dev-only-key-0f3b9c7e1d5a4b2c8e6f0a9d7c5b3e1f"
SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Our apps first: for translations the first app wins, and third-party catalogues (e.g.
# django-celery-beat's "Name" = 任务名) must not override ours.
# The foundation and engines come first, then the modules in the order they build on each
# other; a module added later (any apps/<name>/apps.py) joins after them without editing this file.
PORTAL_APPS = [
    "apps.core",
    "apps.accounts",
    "apps.departments",
    "apps.notifications",
    "apps.policies",
    "apps.processes",
    "apps.kpis",
    "apps.appraisals",
    "apps.scheduling",
]
PORTAL_APPS += sorted(
    f"apps.{path.parent.name}"
    for path in (BASE_DIR / "apps").glob("*/apps.py")
    if f"apps.{path.parent.name}" not in [*PORTAL_APPS, "apps.audit"]
)
# Last: the audit trail tracks the models of every app loaded before it.
PORTAL_APPS.append("apps.audit")
INSTALLED_APPS = [
    *PORTAL_APPS,
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "csp",
    "pgtrigger",
    "pghistory",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (whitenoise serves static files already compressed, before this runs).
    # BREACH: Django pads every gzipped body with random bytes, and the CSRF token is masked
    # afresh on every response, so a secret never compresses the same way twice.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "apps.core.middleware.PrivatePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.core.middleware.RejectNulBytesMiddleware",
    "apps.audit.middleware.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "opsportal.urls"
WSGI_APPLICATION = "opsportal.wsgi.application"
ASGI_APPLICATION = "opsportal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.portal",
            ],
        },
    },
]

# --- Database: PostgreSQL only -------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default=EMBEDDED_DATABASE_URL)}
# A unix-socket directory arrives percent-encoded in the URL's host part.
DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST") or "")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default=None)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker ---------------------------------------------------
REDIS_URL = env("REDIS_URL", default=EMBEDDED_REDIS_URL)


def celery_redis_url(url: str) -> str:
    """Celery spells a unix-socket Redis as redis+socket:///path?virtual_host=N."""
    if url.startswith("unix://"):
        path, _sep, query = url[len("unix://") :].partition("?")
        db = dict(p.split("=", 1) for p in query.split("&") if "=" in p).get("db", "0")
        return f"redis+socket://{path}?virtual_host={db}"
    return url


CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="opsportal"),
        "TIMEOUT": 300,
    }
}

# The top bar's per-person figures from Redis, under generations that every write bumps
# (apps/core/usercache.py); off only in the test suite.
LAYOUT_CACHE = env.bool("LAYOUT_CACHE", default=True)

CELERY_BROKER_URL = celery_redis_url(REDIS_URL)
CELERY_RESULT_BACKEND = celery_redis_url(REDIS_URL)
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="opsportal")
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 3600
# A job is acknowledged only when it finished; a worker killed mid-job hands it back.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# Redis hands an unacknowledged task to another worker after the visibility timeout: that
# is how long a job whose worker died waits before it runs again. No task may outlive the
# hard time limit, so the limit plus a minute is enough (a shorter timeout would start a
# second copy of a job that is still running; a longer one only delays the recovery).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 60)
# Workers look for such tasks every CELERY_RESTORE_INTERVAL seconds (kombu's default is
# every ~100 s), so recovery after a dead worker takes at most timeout + interval (7.5 min).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=30),
    "unacked_restore_throttle": 1,
}
# One beat at a time (apps/scheduling/beat_lock.py): a second one waits as a standby.
BEAT_LOCK_TTL = env.int("BEAT_LOCK_TTL", default=60)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = env("TIME_ZONE", default="Asia/Shanghai")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# AUTHENTICATION_BACKENDS: see "Sign-in" at the end of this file.
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ----------------------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# Filter lists: the empty choice of a filter reads 全部 / All, not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Imports of a file this large or larger are read by a Celery worker with a progress page.
IMPORT_ASYNC_FROM_BYTES = env.int("IMPORT_ASYNC_FROM_BYTES", default=256 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Every spreadsheet import and document upload (apps/core/spreadsheets.py): size of the file,
# rows and columns read, and what an .xlsx/.docx (a zip) may unpack to.
SPREADSHEET_MAX_UPLOAD_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
SPREADSHEET_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20000)
SPREADSHEET_MAX_COLUMNS = 60
SPREADSHEET_MAX_UNZIPPED_BYTES = env.int("UPLOAD_MAX_UNZIPPED_BYTES", default=100 * 1024 * 1024)

# --- Mail -----------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="OpsPortal <opsportal@localhost>")
# Links in mail need the portal's address (mail is sent by workers, outside any request).
# Not $PORT: honcho gives every Procfile process a PORT of its own (web 8000, worker 8100…).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default=f"http://127.0.0.1:{env('OPSPORTAL_PORT', default='8000')}").rstrip(
    "/"
)

# --- Security (all on when DEBUG is off; `check --deploy` passes with production env) ---
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): every script and asset is vendored under static/ and
# no template carries inline script or event handlers. Inline style attributes remain in
# templates and Bootstrap, so styles allow 'unsafe-inline' (styles cannot run code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The audit trail (apps/audit): database triggers, installed by `migrate` (not kept in each
# app's migrations, so a tracked model needs no migration of its own for them).
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True
PGHISTORY_DEFAULT_TRACKERS = None
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

PORTAL_NAME = _("OpsPortal")
# Demo logins exist only where DEBUG is on; `seed_demo` refuses otherwise.
DEMO_PASSWORD = env("DEMO_PASSWORD", default="opsportal-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {"apps": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO"), "propagate": False}},
}

# --- Sign-in: lockout, activation/reset mail, directory (LDAP/AD), single sign-on (OIDC) ---
# All read from the environment by apps/signin/conf.py (README "Configuration"); with none
# of its variables set, local passwords only. Sets AUTHENTICATION_BACKENDS (django-axes first).
from apps.signin.conf import signin_settings  # noqa: E402

vars().update(signin_settings(env))
INSTALLED_APPS += ["axes"]
MIDDLEWARE += [
    "apps.signin.middleware.SignInMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the "sign-in paused" page
]
# --- end Sign-in ---------------------------------------------------------------------------
