"""Django settings, read from the environment.

BOROUGHHUB_ENV picks a profile: ``demo`` | ``dev`` | ``test`` | ``production``.
Demo, dev and test keep an SQLite file and a DuckDB file in BOROUGHHUB_DATA_DIR (default ``var/``),
so two instances can run side by side with different data directories. Production refuses to start
without its secrets (docs/decisions/0006-configuration-and-security-headers.md): a silent default there is a data breach.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from boroughhub.linkage.spark_settings import SparkSettings, SparkUnavailable

PROFILES = ("demo", "dev", "test", "production")
ENV = os.environ.get("BOROUGHHUB_ENV", "dev")
if ENV not in PROFILES:
    raise ImproperlyConfigured(f"BOROUGHHUB_ENV must be one of {', '.join(PROFILES)}, not {ENV!r}.")
PRODUCTION = ENV == "production"

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("BOROUGHHUB_DATA_DIR", "var")).resolve()


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if PRODUCTION and not value:
        raise ImproperlyConfigured(
            f"{name} is not set. Production needs SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS and "
            "BOROUGHHUB_HASH_KEY in the environment (see docs/operator-guide.md)."
        )
    return value


HASH_KEY_MIN_BYTES = 32
MAKE_A_HASH_KEY = 'python -c "import secrets; print(secrets.token_hex(32))"'


def hash_key_problem(key: str) -> str | None:
    """Why ``key`` is too weak to pseudonymise identifiers, or None.

    The key is what stops anyone holding the warehouse from recomputing pseudonyms from known NI
    numbers and names, so it must carry at least 32 random bytes: 64 hex characters or 43 base64
    characters (what ``secrets.token_hex(32)`` or ``token_urlsafe(32)`` print). A passphrase is not
    counted at one byte a character, and a key of few distinct characters is not random
    (docs/decisions/0051-production-refuses-weak-settings.md).
    """
    hex_digits = set("0123456789abcdefABCDEF")
    bits_per_char = 4 if set(key) <= hex_digits else 6
    if len(key) * bits_per_char < HASH_KEY_MIN_BYTES * 8 or len(set(key)) < 10:
        return (
            f"BOROUGHHUB_HASH_KEY is too weak: it must hold at least {HASH_KEY_MIN_BYTES} random bytes "
            f"(64 hex characters). Make one with: {MAKE_A_HASH_KEY}"
        )
    return None


if not PRODUCTION:
    DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = _required("SECRET_KEY") or "insecure-" + ENV + "-key-never-used-in-production-0123456789abcdef"
# The key for keyed hashes of identifiers (pseudonyms). Rotating it re-keys the warehouse.
BOROUGHHUB_HASH_KEY = _required("BOROUGHHUB_HASH_KEY") or "demo-hash-key-not-for-production"
if PRODUCTION and (_weak_key := hash_key_problem(BOROUGHHUB_HASH_KEY)):
    raise ImproperlyConfigured(_weak_key)
DEBUG = ENV == "dev" and os.environ.get("BOROUGHHUB_DEBUG", "") == "1"
ALLOWED_HOSTS = (
    [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
    if PRODUCTION
    else ["127.0.0.1", "localhost", "testserver", "[::1]"]
)

_default_db = f"sqlite:///{DATA_DIR / 'boroughhub.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        _required("DATABASE_URL") or os.environ.get("DATABASE_URL") or _default_db, conn_max_age=60
    )
}
if PRODUCTION and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # One file, one writer at a time, and only file permissions between anyone on the host and the
    # audit log (its triggers are dropped by editing the file): PostgreSQL only in production
    # (docs/decisions/0051-production-refuses-weak-settings.md).
    raise ImproperlyConfigured(
        "DATABASE_URL points to SQLite, which production does not use. Give a PostgreSQL URL, such as "
        "postgres://boroughhub:PASSWORD@db.example.org:5432/boroughhub."
    )
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web process read while the worker writes; a busy timeout avoids "database is locked".
    # synchronous=NORMAL: in WAL mode a commit waits for no fsync (checkpoints still do), so the audit
    # entry every page view commits does not queue every worker behind the disk; the file cannot be
    # corrupted, and only a power cut can lose the last commits. SQLite is never production's database.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20,
                                       "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

WAREHOUSE_PATH = Path(os.environ.get("BOROUGHHUB_WAREHOUSE", str(DATA_DIR / "warehouse.duckdb")))
# How long a load, linkage run or refresh waits its turn for the warehouse before giving up (decision 0090).
WAREHOUSE_WAIT_SECONDS = float(os.environ.get("BOROUGHHUB_WAREHOUSE_WAIT", "3600"))
# `link --backend spark`: master URL, memory, partitions, checkpoint dir (BOROUGHHUB_SPARK_*; operator guide).
try:
    LINKAGE_SPARK = SparkSettings.from_environ(os.environ)
except SparkUnavailable as unusable:
    raise ImproperlyConfigured(str(unusable)) from None

INSTALLED_APPS = [
    "boroughhub.web.apps.HubAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "boroughhub.web",
    "boroughhub.organisations",
    "boroughhub.agreements",
    "boroughhub.audit",
    "boroughhub.submissions",
    "boroughhub.linkage",
    "boroughhub.insights",
    "boroughhub.evaluation",
    "boroughhub.synthetic",
    "boroughhub.jobs",
    "boroughhub.residents",
    "boroughhub.getonline",
    "boroughhub.people",
    "boroughhub.retention",
    "boroughhub.network",
    "boroughhub.asm",
    "boroughhub.projects",
    "boroughhub.fund",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "boroughhub.web.middleware.ContentSecurityPolicyMiddleware",
    "boroughhub.web.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "boroughhub.organisations.middleware.ActingAsMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_USER_MODEL = "organisations.User"
ROOT_URLCONF = "boroughhub.urls"
WSGI_APPLICATION = "boroughhub.wsgi.application"

TEMPLATES = [
    {
        # Pages are Jinja2 (for govuk-frontend-jinja); each capability keeps them in its templates/.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PACKAGE_DIR / app.rsplit(".", 1)[1] / "templates" for app in INSTALLED_APPS
                 if app.startswith("boroughhub.")],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "boroughhub.web.jinja2env.environment",
            "autoescape": True,
            "context_processors": ["boroughhub.web.context.frame"],
        },
    },
    {
        # The Django admin still renders with Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "web" / "admin_templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENV == "test":
    # Argon2 by design takes ~50 ms a hash; tests create many users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "/sign-in"
LOGIN_REDIRECT_URL = "/home"

# Login throttling (django-axes): five failures lock the account and address for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "boroughhub.organisations.views.locked_out"
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "boroughhub.organisations.access.username_for_throttling"
AXES_ENABLED = os.environ.get("BOROUGHHUB_AXES", "1") == "1"

# A second factor (TOTP) is optional in demo and dev, required in production.
REQUIRE_SECOND_FACTOR = PRODUCTION or os.environ.get("BOROUGHHUB_REQUIRE_2FA", "") == "1"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Static files come from the package (vendored GOV.UK Frontend); WhiteNoise serves them without a
# collectstatic step, in the demo as in production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = ENV in ("dev", "test")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work: django-tasks with the database backend, run by `boroughhub worker` (the demo starts
# one beside its web server). Tests run tasks immediately, inside the request.
_task_backend = os.environ.get("BOROUGHHUB_TASKS", "immediate" if ENV == "test" else "database")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if _task_backend == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# Cookie-free except the session (and the CSRF token, which Django keeps in the session).
CSRF_USE_SESSIONS = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_FAILURE_VIEW = "boroughhub.web.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("BOROUGHHUB_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "boroughhub": {"handlers": ["console"], "level": "INFO"},
        # Splink explains untrained levels at length; our training report records them instead.
        "splink": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# Automatic linkage and insights refresh (after each accepted submission) run as this user, who needs
# `link` and `view_aggregate` on the sources in an active agreement (in the pilot: a GLA analyst).
JOB_OWNER = os.environ.get("BOROUGHHUB_JOB_OWNER", "analyst@gla.example" if ENV == "demo" else "")
