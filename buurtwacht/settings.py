"""Settings: everything comes from environment variables, with embedded defaults.

Embedded (default): SQLite in WAL mode under DATA_DIR, in-memory channel layer,
console e-mail, offline gazetteer.  Scaled: set DATABASE_URL and REDIS_URL.
See README.md for the full list of variables.
"""

import hashlib
import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
import xstatic.pkg.leaflet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from buurtwacht import datadir

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


_TRUE = {"1", "true", "yes", "on", "ja", "aan"}
_FALSE = {"0", "false", "no", "off", "nee", "uit"}


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting; anything else (HTTPS=ture) stops the start instead of being "no"."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in _TRUE | _FALSE:
        raise ImproperlyConfigured(f"{name}={value!r}: use 1 or 0 (or true/false, ja/nee).")
    return value in _TRUE


def env_number(name: str, default: str, kind: type[int] | type[float] = int) -> Any:
    value = os.environ.get(name, "").strip() or default
    try:
        number = kind(value)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ImproperlyConfigured(f"{name}={value!r}: must be {what}.") from None
    if number < 0:
        raise ImproperlyConfigured(f"{name}={value!r}: must not be negative.")
    return number


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = datadir.data_dir()  # made by manage.py / asgi.py (datadir.prepare), not here
SECRET_KEY = datadir.secret_key()
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
    "buurtwacht.moderation",
    "buurtwacht.media",
    "buurtwacht.notify",
    "buurtwacht.register",
    "buurtwacht.police",
    "buurtwacht.municipality",
    "buurtwacht.bulletin",
    "buurtwacht.signage",
    "buurtwacht.demo",
    "django_tasks",
    "django_tasks_db",
    "buurtwacht.realtime",
]

MIDDLEWARE = [
    # First: request id, the JSON request log and metrics; /healthz, /readyz and /metrics
    # answered before host checks, https redirects, sessions and rate limits (core/ops.py).
    "buurtwacht.core.ops.ObserveMiddleware",
    "buurtwacht.core.ops.HealthMiddleware",
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
    # Innermost: sees the 404 as a response, with the session and user set (web/middleware.py).
    "buurtwacht.web.middleware.NotFoundPageInDebug",
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
                "buurtwacht.web.context.verified_roles",
                "buurtwacht.web.context.default_country",
            ],
        },
    },
]

# A checkbox inside its label (a 44 px tap target on a phone; web/forms.py).
FORM_RENDERER = "buurtwacht.web.forms.FormRenderer"

# --- database -------------------------------------------------------------
SQLITE_PATH = DATA_DIR / "buurtwacht.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        datadir.env_secret("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_health_checks=True
    )
}
# Keep connections open between requests: opening one (and SQLite's PRAGMAs) costs
# milliseconds on every alert otherwise (bench/README.md).
DATABASES["default"]["CONN_MAX_AGE"] = env_number("CONN_MAX_AGE", "60")
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
REDIS_URL = datadir.env_secret("REDIS_URL")  # may hold a password


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
HEARTBEAT_SECONDS = env_number("HEARTBEAT_SECONDS", "10", float)
PRESENCE_SECONDS = env_number("PRESENCE_SECONDS", str(3 * HEARTBEAT_SECONDS), float)
LAYER_TIMEOUT_SECONDS = env_number("LAYER_TIMEOUT_SECONDS", "5", float)
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
# Counters of the rate limits (core/ratelimit.py): shared by all processes when scaled.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CHANNEL_PREFIX,
        }
    }
# Registrations per client address per hour (accounts are created for people, not scripts).
REGISTRATIONS_PER_HOUR = env_number("REGISTRATIONS_PER_HOUR", "10")
# Open WebSockets per account, counted per server process (realtime/limits.py); one more
# is refused with close code 4429.
SOCKETS_PER_ACCOUNT = env_number("SOCKETS_PER_ACCOUNT", "20")

# --- background work (django-tasks, database backend) -----------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- notifications ---------------------------------------------------------
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:beheer@localhost")  # who runs this
# Push services on this machine or a private network: for development and tests only (a
# browser chooses the push address; in production it must be a public push service).
PUSH_LOCAL_SERVICES = env_bool("PUSH_LOCAL_SERVICES", DEBUG)
NOTIFY_TIMEOUT_SECONDS = env_number("NOTIFY_TIMEOUT_SECONDS", "10", float)
# How long a worker's claim on a delivery lasts unless renewed (every third of it, while
# the send runs): after a worker crash, what it had in flight waits at most this long.
NOTIFY_LEASE_SECONDS = env_number("NOTIFY_LEASE_SECONDS", "15", float)
NOTIFY_CONCURRENCY = env_number("NOTIFY_CONCURRENCY", "8")  # sends in flight
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_USER = os.environ.get("SMS_GATEWAY_USER", "")
SMS_GATEWAY_PASSWORD = datadir.env_secret("SMS_GATEWAY_PASSWORD")
SMS_TEMPLATE = os.environ.get("SMS_TEMPLATE", "Buurtwacht: {title}. {body}")

# --- photos on alerts and retention (R-RUL-6) ---------------------------------
PHOTO_MAX_UPLOAD_BYTES = env_number("PHOTO_MAX_UPLOAD_MB", "5") * 1024 * 1024
PHOTO_MAX_PIXELS = env_number("PHOTO_MAX_PIXELS", "40000000")
# Decoded pixels all uploads together may hold at once; more wait (media/images.py).
PHOTO_DECODE_BUDGET_BYTES = env_number("PHOTO_DECODE_BUDGET_MB", "256") * 1024 * 1024
PHOTO_DECODE_WAIT_SECONDS = env_number("PHOTO_DECODE_WAIT_SECONDS", "10", float)


def _days(name: str, default: int, *, ceiling: int | None = None) -> int:
    days = env_number(name, str(default))
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
RETENTION_SWEEP_MINUTES = env_number("RETENTION_SWEEP_MINUTES", "60", float)


# --- verified roles --------------------------------------------------------
def municipality_email_domains(value: str) -> dict[str, frozenset[str]]:
    """ "GM0014:groningen.nl,GM0363:amsterdam.nl" -> {"GM0014": {"groningen.nl"}, ...}: an
    official address of such a domain makes a coordinator verified once confirmed."""
    found: dict[str, set[str]] = {}
    for item in value.split(","):
        code, _sep, domain = item.strip().partition(":")
        if code.strip() and domain.strip():
            found.setdefault(code.strip().upper(), set()).add(domain.strip().lower())
    return {code: frozenset(domains) for code, domains in found.items()}


MUNICIPALITY_EMAIL_DOMAINS = municipality_email_domains(
    os.environ.get("MUNICIPALITY_EMAIL_DOMAINS", "")
)
VERIFICATION_LINK_DAYS = env_number("VERIFICATION_LINK_DAYS", "3")

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
LOGIN_REDIRECT_URL = "after_login"  # the member's group (web/views/groups.py)
LOGOUT_REDIRECT_URL = "home"
MINIMUM_AGE = 18  # R-RUL-1
GROUP_MAX_MEMBERS = env_number("GROUP_MAX_MEMBERS", "256")  # R-GRP-1 hard limit
GROUP_SPLIT_ADVICE_AT = 100  # R-GRP-1: above this admins see advice to split
# R-ADJ-1: groups whose areas touch or lie at most this many metres apart are neighbours.
ADJACENCY_DISTANCE_M = env_number("ADJACENCY_DISTANCE_M", "250", float)
# R-VIS-1: the municipality's conditions for signs and stickers, checked on each request.
SIGN_MIN_MEMBERS = env_number("SIGN_MIN_MEMBERS", "10")
SIGN_MAX_SIGNS = env_number("SIGN_MAX_SIGNS", "10")
SIGN_MAX_STICKERS = env_number("SIGN_MAX_STICKERS", "250")

# The client's address (core/ratelimit.client_address): the connection's, unless PROXY_COUNT
# trusted proxies stand in front of the app (then from X-Forwarded-For, counted from the right).
PROXY_COUNT = max(0, env_number("PROXY_COUNT", "0"))
# Login throttling (django-axes): lock a username+IP pair after 5 failures for 1 hour.
AXES_FAILURE_LIMIT = env_number("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "buurtwacht.accounts.models.normalized_login"
AXES_CLIENT_IP_CALLABLE = "buurtwacht.core.ratelimit.client_address"
# And per account, from whatever address (web/views/accounts.LoginForm): after this many
# wrong passwords each next try waits twice as long (2 s, 4 s, ...), at most
# LOGIN_LONGEST_WAIT seconds.  A delay, not a lock-out: a stranger cannot lock the owner out.
LOGIN_FREE_FAILURES = 10
LOGIN_LONGEST_WAIT = 300

# --- countries (core/countries.py) ---------------------------------------------
# The instance's own country, for what belongs to no municipality, and the countries it
# serves (a municipality's country follows from its code: GM0014 NL, 44021 BE).
COUNTRY = os.environ.get("COUNTRY", "NL")
COUNTRIES = env_list("COUNTRIES", COUNTRY)
if COUNTRY not in COUNTRIES or not set(COUNTRIES) <= {"NL", "BE"}:
    raise ImproperlyConfigured("COUNTRY must be one of COUNTRIES, and COUNTRIES of NL, BE")

# --- geo ------------------------------------------------------------------
# "gazetteer" (offline), "pdok" (the Netherlands), "vlaanderen" (Flanders' Basisregisters
# address API) or "pdok+vlaanderen" (each postcode to the country it belongs to).
GEOCODER = os.environ.get("GEOCODER", "gazetteer")
PDOK_LOCATIESERVER_URL = os.environ.get(
    "PDOK_LOCATIESERVER_URL", "https://api.pdok.nl/bzk/locatieserver/search/v3_1"
)
PDOK_TIMEOUT_SECONDS = env_number("PDOK_TIMEOUT_SECONDS", "5", float)
# Basisregisters Vlaanderen, the Flemish address register's public API (v2).
VLAANDEREN_ADDRESS_URL = os.environ.get(
    "VLAANDEREN_ADDRESS_URL", "https://api.basisregisters.vlaanderen.be/v2"
)
VLAANDEREN_TIMEOUT_SECONDS = env_number("VLAANDEREN_TIMEOUT_SECONDS", "5", float)

# Where `manage.py download_open_data` fetches the CBS areas, PC4 areas and BAG addresses
# (PDOK's OGC API Features).
PDOK_CBS_URL = os.environ.get(
    "PDOK_CBS_URL", "https://api.pdok.nl/cbs/wijken-en-buurten-2024/ogc/v1"
)
PDOK_PC4_URL = os.environ.get("PDOK_PC4_URL", "https://api.pdok.nl/cbs/postcode4/ogc/v1")
PDOK_BAG_URL = os.environ.get("PDOK_BAG_URL", "https://api.pdok.nl/kadaster/bag/ogc/v2")

# --- public map (register) ---------------------------------------------------------
# The base map under the public map: an XYZ tile URL ({z}/{x}/{y}), default PDOK's
# BRT-Achtergrondkaart.  Empty: no tiles (offline, demo, tests): outlines on a plain
# background.  The tile server's origin is added to the CSP's img-src.
MAP_TILES_URL = os.environ.get(
    "MAP_TILES_URL",
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
)
MAP_TILES_ATTRIBUTION = os.environ.get(
    "MAP_TILES_ATTRIBUTION", "Kaartgegevens &copy; Kadaster (BRT-Achtergrondkaart)"
)
# How stale the public map may be: each process asks the database whether groups or
# memberships changed at most this often (seconds; 0 = on every request).
REGISTER_REFRESH_SECONDS = env_number("REGISTER_REFRESH_SECONDS", "2", float)
# Who may put the register widget (/kaart/widget/<GM code>/) in an iframe: CSP
# frame-ancestors sources, comma-separated.  Only that page; every other page refuses frames.
REGISTER_WIDGET_FRAME_ANCESTORS = env_list("REGISTER_WIDGET_FRAME_ANCESTORS", "https:")

# Where `manage.py download_open_data` (and `manage.py demo --download`) put the open data of
# a municipality.  Without it the demo and the tests use the small set that ships in
# buurtwacht/demo/open_data/.
OPEN_DATA_DIR = Path(os.environ.get("OPEN_DATA_DIR") or DATA_DIR / "open-data")

# --- i18n -----------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- static files ---------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"  # `manage.py collectstatic` fills it for production
WHITENOISE_USE_FINDERS = True
# Front-end libraries from their packages (nothing copied into the repository).
STATICFILES_DIRS = [("leaflet", xstatic.pkg.leaflet.BASE_DIR)]

# Uploaded files (group photos), validated and re-encoded before they are stored.
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"

# --- e-mail ---------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_number("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = datadir.env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Buurtwacht <noreply@localhost>")

# --- security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:", *filter(None, [_origin(MAP_TILES_URL)])],
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
    SECURE_HSTS_PRELOAD = HTTPS  # `check --deploy` clean; the list itself is opt-in
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- operations: logs, health, metrics (docs/OPERATING.md) ------------------------
# LOG_FORMAT=json: one JSON object per line (a line per request and per task among them).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "buurtwacht.core.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
# /metrics: from these addresses (or networks), or anywhere with the bearer METRICS_TOKEN.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
METRICS_TOKEN = datadir.env_secret("METRICS_TOKEN")
# /readyz: the worker's heartbeat (a task it runs every WORKER_HEARTBEAT_SECONDS) must be
# younger than READY_WORKER_SECONDS, and no due notification older than READY_OUTBOX_SECONDS.
WORKER_HEARTBEAT_SECONDS = env_number("WORKER_HEARTBEAT_SECONDS", "15", float)
READY_WORKER_SECONDS = env_number("READY_WORKER_SECONDS", "60", float)
READY_OUTBOX_SECONDS = env_number("READY_OUTBOX_SECONDS", "300", float)
