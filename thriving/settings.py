"""Settings for Thriving Workplaces, read from environment variables.

With nothing set the app runs on the embedded default: SQLite, tasks executed
in-process, local-memory cache, email printed to the console. DATABASE_URL and
REDIS_URL switch to PostgreSQL and Redis. Nothing here touches the disk or
imports local overrides at import time.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from thriving.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only for the embedded default on a developer's machine.
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production-3f9a1c"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "accounts",
    "factors",
    "seekers",
    "employers",
    "practitioners",
    "reports",
    "outcomes",
    "matches",
    "axes",  # last: sign-in lockouts (docs/security.md)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a refused sign-in into the lockout page
]

# The load test (docs/performance.md) measures server time from a Server-Timing header.
if env_bool("SERVER_TIMING", default=False):
    MIDDLEWARE.insert(0, "thriving.timing.ServerTimingMiddleware")

ROOT_URLCONF = "thriving.urls"
WSGI_APPLICATION = "thriving.wsgi.application"

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
                "django.template.context_processors.csp",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker and cache ------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---------------------------------------------------------------------
# Without a broker, tasks run in-process so the embedded default needs nothing else.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = "UTC"

# Never lose a job (docs/reports.md, "Never lost"). A message is acknowledged only
# after its task finished (late ack); a pool child killed mid-task (out of memory,
# kill -9) puts it back on the queue; a worker takes one job at a time.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = True  # failures are recorded on the report row
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Every task has time limits; report renders take well under a second.
REPORTS_SOFT_TIME_LIMIT = env_int("REPORTS_SOFT_TIME_LIMIT", 60)
REPORTS_TIME_LIMIT = env_int("REPORTS_TIME_LIMIT", 90)
CELERY_TASK_SOFT_TIME_LIMIT = REPORTS_SOFT_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = REPORTS_TIME_LIMIT
# Transient failures retry with exponential backoff (5, 10, 20 s ... at most 60 s);
# a report gets at most this many attempts, worker kills included, then fails.
REPORTS_RETRY_BACKOFF = env_int("REPORTS_RETRY_BACKOFF", 5)
REPORTS_RETRY_BACKOFF_MAX = env_int("REPORTS_RETRY_BACKOFF_MAX", 60)
REPORTS_MAX_ATTEMPTS = env_int("REPORTS_MAX_ATTEMPTS", 4)
# A rendering worker writes a heartbeat on the row; a row whose heartbeat is older
# than four beats belongs to a dead worker and may be taken over.
REPORTS_HEARTBEAT_SECONDS = env_int("REPORTS_HEARTBEAT_SECONDS", 5)
# Redis keeps a delivered, unacknowledged message aside for this long before giving it
# to another worker: it must outlast the hard time limit and the longest retry
# countdown (countdowns wait unacknowledged in the worker), or a job would run twice.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 300)
if CELERY_VISIBILITY_TIMEOUT <= REPORTS_TIME_LIMIT + REPORTS_RETRY_BACKOFF_MAX:
    raise ImproperlyConfigured(
        "CELERY_VISIBILITY_TIMEOUT must be longer than REPORTS_TIME_LIMIT plus "
        "REPORTS_RETRY_BACKOFF_MAX, or a slow job would be handed to a second worker."
    )
if not REPORTS_SOFT_TIME_LIMIT < REPORTS_TIME_LIMIT:
    raise ImproperlyConfigured("REPORTS_SOFT_TIME_LIMIT must be below REPORTS_TIME_LIMIT.")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # How often a worker looks for messages whose worker vanished (kombu scans every
    # interval x throttle seconds): a lost job is back within visibility + 30 s.
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 3,
    # A broker that disappears must not hang a web request that publishes a job.
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
# Publishing: a couple of quick retries, then give up and let the sweeper re-send.
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.3,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queue the report jobs go to (every worker consumes "celery" by default).
REPORTS_QUEUE = env_str("REPORTS_QUEUE", "celery")
# Finished files are kept this long, then removed by the cleanup task.
REPORTS_KEEP_DAYS = env_int("REPORTS_KEEP_DAYS", 7)
# Celery beat: re-send jobs stuck pending or left by a dead worker; remove old files.
REPORTS_SWEEP_SECONDS = env_int("REPORTS_SWEEP_SECONDS", 60)
CELERY_BEAT_SCHEDULE = {
    "reports-sweep": {
        "task": "reports.sweep",
        "schedule": float(REPORTS_SWEEP_SECONDS),
        "options": {"expires": REPORTS_SWEEP_SECONDS * 0.9},
    },
    "reports-cleanup": {
        "task": "reports.cleanup",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    # Outcomes: create follow-ups as they come due and remind; expire year-old consents.
    "outcomes-follow-ups": {
        "task": "outcomes.follow_ups",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    # The program dashboard's figures without filters, recomputed before the kept copy
    # is five minutes old, so no page view computes them (outcomes/dashboard/kept.py).
    "outcomes-dashboard": {
        "task": "outcomes.dashboard_refresh",
        "schedule": 240.0,
        "options": {"expires": 200},
    },
    "outcomes-consents": {
        "task": "outcomes.consents",
        "schedule": 3600.0 * 6,
        "options": {"expires": 3600.0 * 5},
    },
}

# --- Accounts and sign-in -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.security.SignInLockBackend",  # first: refuses a locked-out sign-in (axes)
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PRESERVE_USERNAME_CASING = False

# Absolute limit for any session; idle limits (shorter for staff) enforced by middleware.
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60)
SESSION_IDLE_TIMEOUT_STAFF = env_int("SESSION_IDLE_TIMEOUT_STAFF", 30 * 60)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 2 * 60 * 60)
# The last-seen time is written to the session at most this often (seconds): cheap
# session writes, and an idle limit still accurate to the minute.
SESSION_LAST_SEEN_EVERY = 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# Two-factor sign-in (TOTP, with recovery codes). Staff must use it wherever it is required:
# always in production; off on the embedded demo so the demo accounts can be tried as they are.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Thriving Workplaces"
REQUIRE_STAFF_MFA = env_bool("REQUIRE_STAFF_MFA", default=not DEBUG)

# Brute force (docs/security.md). A sign-in is locked on the pair (email, address): an
# attacker elsewhere cannot lock a real person out. Attempts live in the cache only
# (nothing personal is stored or logged); allauth's own limits are keyed the same way.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.security.sign_in_name"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.security.locked_out"
# The embedded default's local-memory cache counts per process: good enough for runserver.
# Production needs Redis (shared by every worker), and `check --deploy` says so without it.
SILENCED_SYSTEM_CHECKS = ["axes.W001"] if DEBUG and not REDIS_URL else []
AXES_VERBOSE = False
# Number of reverse proxies in front of the app that append to X-Forwarded-For (0: none).
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_address"
RATELIMIT_IP_META_KEY = "accounts.security.client_address"
ACCOUNT_RATE_LIMITS = {
    # per address, and per (email, address) and per account for two-factor codes: the
    # "key" is email + address for passwords (accounts.adapter), the user for codes
    "login_failed": "20/m/ip,5/300s/key",
    "signup": env_str("RATE_LIMIT_SIGNUP", "10/m/ip"),
    "reset_password": "10/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
# Public forms of our own (invitations) use django-ratelimit; refusals answer 429.
RATELIMIT_VIEW = "accounts.security.rate_limited"
RATE_LIMIT_PUBLIC_FORM = env_str("RATE_LIMIT_PUBLIC_FORM", "20/m")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Email ---------------------------------------------------------------------------
# Console on the embedded default; SMTP (configured below) whenever DEBUG is off.
_EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": (
            {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=False),
            }
            if _EMAIL_BACKEND.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Thriving Workplaces <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "America/Halifax"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Private files (reports). Never served by URL: downloads go through views that check the owner.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# crispy names a field's CSS class after its widget: thriving.widgets.LongSelect writes the
# same markup as Django's Select, class included.
CRISPY_CLASS_CONVERTERS = {"longselect": "select"}

# --- Security ------------------------------------------------------------------------
# A strict policy: everything from our own origin, no inline scripts or styles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},  # one line per render step
        "axes": {"level": "WARNING"},  # a line per sign-in otherwise (names and addresses masked)
    },
}
