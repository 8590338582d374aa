"""Settings: everything comes from environment variables, with embedded defaults.

Embedded (default): SQLite in WAL mode under DATA_DIR, in-memory channel layer,
console e-mail, offline gazetteer.  Scaled: set DATABASE_URL and REDIS_URL.
See README.md for the full list of variables.
"""

import hashlib
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("DATA_DIR", PROJECT_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else generated once and kept in DATA_DIR."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Where people reach this site: links in e-mails sent without a request (the worker).
SITE_URL = os.environ.get(
    "SITE_URL", CSRF_TRUSTED_ORIGINS[0] if CSRF_TRUSTED_ORIGINS else "http://localhost:8000"
).rstrip("/")

INSTALLED_APPS = [
    "buurtwacht.web",  # first, so its templates (registration/*) win over the admin's
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "axes",
    "csp",
    "buurtwacht.core",
    "buurtwacht.accounts",
    "buurtwacht.geo",
    "buurtwacht.groups",
    "buurtwacht.alerts",
    "buurtwacht.chat",
    "buurtwacht.media",
    "buurtwacht.notify",
    "django_tasks",
    "django_tasks_db",
    "buurtwacht.realtime",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "buurtwacht.urls"
ASGI_APPLICATION = "buurtwacht.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
SQLITE_PATH = DATA_DIR / "buurtwacht.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_health_checks=True
    )
}
# Keep connections open between requests: opening one (and SQLite's PRAGMAs) costs
# milliseconds on every alert otherwise (bench/README.md).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at the same time; IMMEDIATE makes a
        # writing transaction take its lock up front instead of failing half-way.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- real time ------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")


def default_channel_prefix(database: Mapping[str, object]) -> str:
    """This install's channel names on a shared Redis.  Pub/sub ignores the db number of
    REDIS_URL: without a prefix two installs on one Redis get each other's alerts.  The
    default follows the database (never its password): one install, one database."""
    identity = "|".join(str(database.get(key) or "") for key in ("ENGINE", "HOST", "PORT", "NAME"))
    return f"bw{hashlib.sha256(identity.encode()).hexdigest()[:12]}."


CHANNEL_PREFIX = os.environ.get("CHANNEL_PREFIX") or default_channel_prefix(DATABASES["default"])
# Every HEARTBEAT_SECONDS each process renews its sockets' presence rows (which expire after
# PRESENCE_SECONDS: those of a process that died), probes its channel layer and tells each
# socket the latest event of its groups.  LAYER_TIMEOUT_SECONDS: how long a publish or a
# probe may take before the layer counts as down (realtime/liveness.py).
HEARTBEAT_SECONDS = float(os.environ.get("HEARTBEAT_SECONDS", "10"))
PRESENCE_SECONDS = float(os.environ.get("PRESENCE_SECONDS", str(3 * HEARTBEAT_SECONDS)))
LAYER_TIMEOUT_SECONDS = float(os.environ.get("LAYER_TIMEOUT_SECONDS", "5"))
if not HEARTBEAT_SECONDS < PRESENCE_SECONDS:
    raise ImproperlyConfigured("PRESENCE_SECONDS must be longer than HEARTBEAT_SECONDS.")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "buurtwacht.realtime.layers.RedisPubSubLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": CHANNEL_PREFIX},
        }
    }
else:
    # Only works inside one process: `manage.py serve` refuses several workers on it.
    CHANNEL_LAYERS = {"default": {"BACKEND": "buurtwacht.realtime.layers.InProcessChannelLayer"}}
# Open WebSockets per account, counted per server process (realtime/limits.py); one more
# is refused with close code 4429.
SOCKETS_PER_ACCOUNT = int(os.environ.get("SOCKETS_PER_ACCOUNT", "20"))

# --- background work (django-tasks, database backend) -----------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- notifications ---------------------------------------------------------
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:beheer@localhost")  # who runs this
# Push services on this machine or a private network: for development and tests only (a
# browser chooses the push address; in production it must be a public push service).
PUSH_LOCAL_SERVICES = env_bool("PUSH_LOCAL_SERVICES", DEBUG)
NOTIFY_TIMEOUT_SECONDS = float(os.environ.get("NOTIFY_TIMEOUT_SECONDS", "10"))
# How long a worker's claim on a delivery lasts unless renewed (every third of it, while
# the send runs): after a worker crash, what it had in flight waits at most this long.
NOTIFY_LEASE_SECONDS = float(os.environ.get("NOTIFY_LEASE_SECONDS", "15"))
NOTIFY_CONCURRENCY = int(os.environ.get("NOTIFY_CONCURRENCY", "8"))  # sends in flight
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_USER = os.environ.get("SMS_GATEWAY_USER", "")
SMS_GATEWAY_PASSWORD = os.environ.get("SMS_GATEWAY_PASSWORD", "")
SMS_TEMPLATE = os.environ.get("SMS_TEMPLATE", "Buurtwacht: {title}. {body}")

# --- photos on alerts and retention (R-RUL-6) ---------------------------------
PHOTO_MAX_UPLOAD_BYTES = int(os.environ.get("PHOTO_MAX_UPLOAD_MB", "5")) * 1024 * 1024
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", "40000000"))
# Decoded pixels all uploads together may hold at once; more wait (media/images.py).
PHOTO_DECODE_BUDGET_BYTES = int(os.environ.get("PHOTO_DECODE_BUDGET_MB", "256")) * 1024 * 1024
PHOTO_DECODE_WAIT_SECONDS = float(os.environ.get("PHOTO_DECODE_WAIT_SECONDS", "10"))


def _days(name: str, default: int, *, ceiling: int | None = None) -> int:
    days = int(os.environ.get(name, str(default)))
    if days < 1 or (ceiling is not None and days > ceiling):
        raise ImproperlyConfigured(f"{name} must lie between 1 and {ceiling or 'any'} days.")
    return days


# Per group an admin chooses within the instance's maximum; new groups get the default.
# Photos are kept at most 30 days whatever the instance sets (R-RUL-6).
RETENTION_CHAT_MAX_DAYS = _days("RETENTION_CHAT_MAX_DAYS", 90)
RETENTION_CHAT_DAYS = _days("RETENTION_CHAT_DAYS", 30, ceiling=RETENTION_CHAT_MAX_DAYS)
RETENTION_ALERT_MAX_DAYS = _days("RETENTION_ALERT_MAX_DAYS", 365)
RETENTION_ALERT_DAYS = _days("RETENTION_ALERT_DAYS", 180, ceiling=RETENTION_ALERT_MAX_DAYS)
RETENTION_PHOTO_MAX_DAYS = _days("RETENTION_PHOTO_MAX_DAYS", 30, ceiling=30)
RETENTION_PHOTO_DAYS = _days("RETENTION_PHOTO_DAYS", 30, ceiling=RETENTION_PHOTO_MAX_DAYS)
# How often the worker deletes what has expired (it also does so when it starts).
RETENTION_SWEEP_MINUTES = float(os.environ.get("RETENTION_SWEEP_MINUTES", "60"))

# --- accounts -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "profile"
LOGOUT_REDIRECT_URL = "home"
MINIMUM_AGE = 18  # R-RUL-1
GROUP_MAX_MEMBERS = int(os.environ.get("GROUP_MAX_MEMBERS", "256"))  # R-GRP-1 hard limit
GROUP_SPLIT_ADVICE_AT = 100  # R-GRP-1: above this admins see advice to split

# Login throttling (django-axes): lock a username+IP pair after 5 failures for 1 hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "buurtwacht.accounts.models.normalized_login"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None

# --- geo ------------------------------------------------------------------
GEOCODER = os.environ.get("GEOCODER", "gazetteer")  # "gazetteer" (offline) or "pdok"
PDOK_LOCATIESERVER_URL = os.environ.get(
    "PDOK_LOCATIESERVER_URL", "https://api.pdok.nl/bzk/locatieserver/search/v3_1"
)
PDOK_TIMEOUT_SECONDS = float(os.environ.get("PDOK_TIMEOUT_SECONDS", "5"))

# Real open data (BAG addresses, CBS/PC4 outlines) used by `make demo` and the tests.
# Default: ../shared/data next to the checkout, else the shared folder of this workplace.
_SHARED_DATA = PROJECT_DIR.parent / "shared" / "data"
OPEN_DATA_DIR = Path(
    os.environ.get("OPEN_DATA_DIR")
    or (_SHARED_DATA if _SHARED_DATA.is_dir() else "/work/shared/data")
)

# --- i18n -----------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- static files ---------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"  # `manage.py collectstatic` fills it for production
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True

# Uploaded files (group photos), validated and re-encoded before they are stored.
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"

# --- e-mail ---------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Buurtwacht <noreply@localhost>")

# --- security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if not DEBUG:
    # Behind a TLS-terminating proxy in production.  HTTPS=0 only for a closed test network.
    HTTPS = env_bool("HTTPS", True)
    SESSION_COOKIE_SECURE = HTTPS
    CSRF_COOKIE_SECURE = HTTPS
    SECURE_SSL_REDIRECT = HTTPS
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
