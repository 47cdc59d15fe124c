"""Postdesk settings: one module, every value from the environment (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from postdesk.config.env import SettingError, env_bool, env_int, env_list, env_str, parse_email_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("POSTDESK_VAR_DIR", str(Path.cwd() / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("POSTDESK_DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    # A laptop run gets a key generated once and kept under var/; production sets SECRET_KEY.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
POSTDESK_BASE_URL = env_str("POSTDESK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "postdesk.accounts",
    "postdesk.cases",
    "postdesk.intake",
    "postdesk.notifications",
    "postdesk.portal",
    "postdesk.console",
    "postdesk.api",
    "postdesk.triage",
    "postdesk.sla",
    "postdesk.ops",
    # The archive before search: its eraser scrubs the records search then re-indexes from.
    "postdesk.archive",
    "postdesk.search",
    "postdesk.social",
    "postdesk.calls",
    "postdesk.chat",
    "postdesk.customers",
]

MIDDLEWARE = [
    # First: request id, access log line and request metrics; answers /healthz, /readyz,
    # /metrics before host validation (probes address processes by IP).
    "postdesk.ops.middleware.RequestObservationMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Errors under /api/ as JSON (ninja's 405 is plain text, Django's 404 HTML).
    "postdesk.api.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "postdesk.config.urls"
WSGI_APPLICATION = "postdesk.config.wsgi.application"
ASGI_APPLICATION = "postdesk.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "postdesk.portal.context_processors.desk",
            ],
        },
    },
]

# --- Database: SQLite (WAL) under var/ by default, PostgreSQL when DATABASE_URL says so.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'postdesk.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 300, minimum=0),
                              conn_health_checks=True)
except Exception as exc:  # dj-database-url raises several types for bad URLs
    raise SettingError(f"DATABASE_URL is not a valid database URL: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        # WAL lets the web process read while the worker writes; IMMEDIATE avoids the
        # "database is locked" upgrade deadlock between two writers.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis (optional): cache, rate limits and the job queue.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            # Shared by every process on the laptop, with no table to create.
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Jobs: Huey, SQLite storage by default, Redis when configured.
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {
        # Periodic jobs carry their period, so several workers run each once (postdesk.ops).
        "huey_class": "postdesk.ops.huey_classes.PostdeskRedisHuey",
        "name": "postdesk",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        # Blocking pops: a job starts the moment it is queued.
        "blocking": True,
        "consumer": {"workers": env_int("WORKER_THREADS", 4, minimum=1), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "postdesk.ops.huey_classes.PostdeskSqliteHuey",
        "name": "postdesk",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        # SQLite storage is polled; an idle consumer must still pick up a confirmation within
        # a second (Huey's default back-off reaches 10 s).
        "consumer": {"workers": env_int("WORKER_THREADS", 4, minimum=1), "worker_type": "thread",
                     "initial_delay": 0.05, "backoff": 1.15, "max_delay": 0.5},
    }

# --- Mail
EMAIL_URL = env_str("EMAIL_URL", "devmailbox:")
POSTDESK_DEV_MAILBOX_DIR = str(VAR_DIR / "mailbox")
globals().update(parse_email_url(EMAIL_URL, dev_mailbox_dir=POSTDESK_DEV_MAILBOX_DIR))
POSTDESK_SUPPORT_ADDRESS = env_str("POSTDESK_SUPPORT_ADDRESS", "support@postdesk.test")
POSTDESK_SUPPORT_NAME = env_str("POSTDESK_SUPPORT_NAME", "Postdesk Customer Care")
DEFAULT_FROM_EMAIL = f"{POSTDESK_SUPPORT_NAME} <{POSTDESK_SUPPORT_ADDRESS}>"
SERVER_EMAIL = POSTDESK_SUPPORT_ADDRESS
POSTDESK_MESSAGE_ID_DOMAIN = env_str(
    "POSTDESK_MESSAGE_ID_DOMAIN", POSTDESK_SUPPORT_ADDRESS.rpartition("@")[2]
)
POSTDESK_OUTBOX_MAX_ATTEMPTS = env_int("POSTDESK_OUTBOX_MAX_ATTEMPTS", 12, minimum=1)
# DKIM: signing is on when a selector and a key (PEM text or a file) are set.
POSTDESK_DKIM_SELECTOR = env_str("POSTDESK_DKIM_SELECTOR")
POSTDESK_DKIM_DOMAIN = env_str("POSTDESK_DKIM_DOMAIN")
POSTDESK_DKIM_PRIVATE_KEY = env_str("POSTDESK_DKIM_PRIVATE_KEY")
POSTDESK_DKIM_KEY_FILE = env_str("POSTDESK_DKIM_KEY_FILE")

# --- Customer-facing rules
POSTDESK_STATUS_LINK_MAX_AGE_DAYS = env_int("POSTDESK_STATUS_LINK_MAX_AGE_DAYS", 60, minimum=1)
POSTDESK_LOOKUP_RATE_LIMIT = env_int("POSTDESK_LOOKUP_RATE_LIMIT", 10, minimum=1)
POSTDESK_LOOKUP_RATE_WINDOW_SECONDS = env_int("POSTDESK_LOOKUP_RATE_WINDOW_SECONDS", 600, minimum=1)
POSTDESK_ATTACHMENT_MAX_BYTES = env_int("POSTDESK_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
POSTDESK_ATTACHMENT_MAX_COUNT = env_int("POSTDESK_ATTACHMENT_MAX_COUNT", 5, minimum=0)
POSTDESK_RESPONSE_BUSINESS_DAYS = env_int("POSTDESK_RESPONSE_BUSINESS_DAYS", 3, minimum=1)
POSTDESK_TIME_ZONE = env_str("POSTDESK_TIME_ZONE", "America/New_York")
POSTDESK_REOPEN_DAYS = env_int("POSTDESK_REOPEN_DAYS", 30, minimum=0)
# --- Search and archiving (docs/search.md, docs/archiving.md).
POSTDESK_SEARCH_PAGE_SIZE = env_int("POSTDESK_SEARCH_PAGE_SIZE", 25, minimum=1)
if POSTDESK_SEARCH_PAGE_SIZE > 100:
    raise SettingError(f"POSTDESK_SEARCH_PAGE_SIZE must be 1 to 100; got {POSTDESK_SEARCH_PAGE_SIZE}")
POSTDESK_ARCHIVE_AFTER_DAYS = env_int("POSTDESK_ARCHIVE_AFTER_DAYS", 365, minimum=1)
if POSTDESK_ARCHIVE_AFTER_DAYS < POSTDESK_REOPEN_DAYS:
    # A customer's reply may reopen a case for POSTDESK_REOPEN_DAYS; it must still be there.
    raise SettingError(f"POSTDESK_ARCHIVE_AFTER_DAYS ({POSTDESK_ARCHIVE_AFTER_DAYS}) must be at least "
                       f"POSTDESK_REOPEN_DAYS ({POSTDESK_REOPEN_DAYS})")
POSTDESK_ARCHIVE_BATCH_SIZE = env_int("POSTDESK_ARCHIVE_BATCH_SIZE", 500, minimum=1)
POSTDESK_ARCHIVE_SCHEDULE_HOUR = env_int("POSTDESK_ARCHIVE_SCHEDULE_HOUR", 3, minimum=0)
if POSTDESK_ARCHIVE_SCHEDULE_HOUR > 23:
    raise SettingError(f"POSTDESK_ARCHIVE_SCHEDULE_HOUR must be 0 to 23; got {POSTDESK_ARCHIVE_SCHEDULE_HOUR}")
# --- end of search and archiving settings
POSTDESK_AUTOREPLY_DAILY_BUDGET = env_int("POSTDESK_AUTOREPLY_DAILY_BUDGET", 5, minimum=0)
POSTDESK_DEV_MAILBOX_VIEW = env_bool("POSTDESK_DEV_MAILBOX_VIEW", EMAIL_URL.startswith("devmailbox"))

# Uploads: a full form is 5 x 10 MB; anything bigger is refused by Django before the view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10
MEDIA_ROOT = env_str("MEDIA_ROOT", str(VAR_DIR / "media"))
MEDIA_URL = "/media/"

# --- Auth
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
CSRF_FAILURE_VIEW = "postdesk.portal.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Languages
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German")), ("es", _("Spanish"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = env_str("STATIC_ROOT", str(VAR_DIR / "static"))
# WhiteNoise warns on every request when the folder is missing, even though it serves from apps.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app folders so `postdesk run` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Operations: logs, metrics, probes (docs/operations.md, docs/deploy.md).
POSTDESK_LOG_FORMAT = env_str("POSTDESK_LOG_FORMAT", "plain").strip().lower()
if POSTDESK_LOG_FORMAT not in ("plain", "json"):
    raise SettingError(f"POSTDESK_LOG_FORMAT must be plain or json; got {POSTDESK_LOG_FORMAT!r}")
# Counters of every Postdesk process on a machine are summed from files here (prometheus_client
# multiprocess mode); the variable must be set before prometheus_client is first imported.
POSTDESK_METRICS_DIR = env_str("POSTDESK_METRICS_DIR", str(VAR_DIR / "metrics"))
Path(POSTDESK_METRICS_DIR).mkdir(parents=True, exist_ok=True)
import os as _os  # noqa: E402

_os.environ["PROMETHEUS_MULTIPROC_DIR"] = POSTDESK_METRICS_DIR
POSTDESK_METRICS_TOKEN = env_str("POSTDESK_METRICS_TOKEN")
import ipaddress as _ipaddress  # noqa: E402

try:
    POSTDESK_METRICS_ALLOW = [_ipaddress.ip_network(_item, strict=False) for _item in
                              env_list("POSTDESK_METRICS_ALLOW", ["127.0.0.1/32", "::1/128"])]
except ValueError as _error:
    raise SettingError(f"POSTDESK_METRICS_ALLOW must be comma-separated addresses or networks "
                       f"like 10.0.0.0/8; {_error}") from None
POSTDESK_METRICS_CACHE_SECONDS = env_int("POSTDESK_METRICS_CACHE_SECONDS", 15, minimum=0)
# A worker serves /metrics itself on this port (0: off), for machines without a web process.
POSTDESK_WORKER_METRICS_PORT = env_int("POSTDESK_WORKER_METRICS_PORT", 0, minimum=0)
if POSTDESK_WORKER_METRICS_PORT > 65535:
    raise SettingError(f"POSTDESK_WORKER_METRICS_PORT must be at most 65535; got {POSTDESK_WORKER_METRICS_PORT}")
POSTDESK_WORKER_METRICS_HOST = env_str("POSTDESK_WORKER_METRICS_HOST", "127.0.0.1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "postdesk.ops.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "postdesk.ops.logs.JsonLineFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": POSTDESK_LOG_FORMAT,
                             "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

NINJA_PAGINATION_PER_PAGE = 50

# --- Email intake: SMTP server (`postdesk smtpd`), mail pipe and import (docs/email.md).
POSTDESK_SMTPD_HOST = env_str("POSTDESK_SMTPD_HOST", "127.0.0.1")
POSTDESK_SMTPD_PORT = env_int("POSTDESK_SMTPD_PORT", 2525, minimum=1)
if POSTDESK_SMTPD_PORT > 65535:
    raise SettingError(f"POSTDESK_SMTPD_PORT must be at most 65535; got {POSTDESK_SMTPD_PORT}")
POSTDESK_SMTPD_MAX_BYTES = env_int("POSTDESK_SMTPD_MAX_BYTES", 35 * 1024 * 1024, minimum=1024)
POSTDESK_SMTPD_TLS_CERT = env_str("POSTDESK_SMTPD_TLS_CERT")
POSTDESK_SMTPD_TLS_KEY = env_str("POSTDESK_SMTPD_TLS_KEY")
if bool(POSTDESK_SMTPD_TLS_CERT) != bool(POSTDESK_SMTPD_TLS_KEY):
    # Half a TLS configuration would silently run without STARTTLS.
    raise SettingError("POSTDESK_SMTPD_TLS_CERT and POSTDESK_SMTPD_TLS_KEY must be set together")
POSTDESK_SUPPORT_ADDRESSES = [
    address.lower() for address in env_list("POSTDESK_SUPPORT_ADDRESSES", [POSTDESK_SUPPORT_ADDRESS])
]
for _address in POSTDESK_SUPPORT_ADDRESSES:
    _local, _at, _domain = _address.partition("@")
    if not (_local and _domain) or "@" in _domain or "+" in _local:
        raise SettingError(
            f"POSTDESK_SUPPORT_ADDRESSES must be plain addresses like support@example.com "
            f"(the +tag forms are accepted automatically); got {_address!r}"
        )
# Accepted messages wait here (fsynced) until a worker has taken them in: shared storage when
# `postdesk smtpd` and the workers run on different machines.
POSTDESK_SPOOL_DIR = env_str("POSTDESK_SPOOL_DIR", str(VAR_DIR / "spool"))
# --- end of email intake settings

# --- Email intake: IMAP poller (`postdesk poll-imap`, docs/imap.md).
POSTDESK_IMAP_POLL_SECONDS = env_int("POSTDESK_IMAP_POLL_SECONDS", 60, minimum=1)
POSTDESK_IMAP_BATCH = env_int("POSTDESK_IMAP_BATCH", 50, minimum=1)
# --- end of IMAP poller settings

# --- SLA: business calendars, targets, promises, status updates, ratings (docs/sla.md).
# Desk-wide defaults; a department's own hours, zone and lead are set in the admin
# (SLA › Department hours and leads), per-topic/priority targets in SLA › SLA policies.
from postdesk.domain.business_time import SATURDAY_RULES as _SATURDAY_RULES  # noqa: E402
from postdesk.domain.business_time import CalendarError as _CalendarError  # noqa: E402
from postdesk.domain.business_time import parse_hours as _parse_hours  # noqa: E402


def _env_hours(name: str, default: str) -> str:
    value = env_str(name, default).strip()
    try:
        _parse_hours(value)
    except _CalendarError as error:
        raise SettingError(f"{name}: {error}") from None
    return value


POSTDESK_SLA_WEEKDAY_HOURS = _env_hours("POSTDESK_SLA_WEEKDAY_HOURS", "08:00-17:00")
POSTDESK_SLA_SATURDAY_HOURS = _env_hours("POSTDESK_SLA_SATURDAY_HOURS", "")
POSTDESK_SLA_SUNDAY_HOURS = _env_hours("POSTDESK_SLA_SUNDAY_HOURS", "")
if not any(_parse_hours(_hours) for _hours in (POSTDESK_SLA_WEEKDAY_HOURS, POSTDESK_SLA_SATURDAY_HOURS,
                                                 POSTDESK_SLA_SUNDAY_HOURS)):
    raise SettingError("POSTDESK_SLA_WEEKDAY_HOURS, POSTDESK_SLA_SATURDAY_HOURS and "
                       "POSTDESK_SLA_SUNDAY_HOURS are all closed; the desk must open some day")
POSTDESK_SLA_SATURDAY_HOLIDAY_RULE = env_str("POSTDESK_SLA_SATURDAY_HOLIDAY_RULE", "friday").strip().lower()
if POSTDESK_SLA_SATURDAY_HOLIDAY_RULE not in _SATURDAY_RULES:
    raise SettingError(f"POSTDESK_SLA_SATURDAY_HOLIDAY_RULE must be one of "
                       f"{', '.join(_SATURDAY_RULES)}; got {POSTDESK_SLA_SATURDAY_HOLIDAY_RULE!r}")
POSTDESK_SLA_URGENT_RESPONSE_BUSINESS_DAYS = env_int("POSTDESK_SLA_URGENT_RESPONSE_BUSINESS_DAYS", 1, minimum=1)
POSTDESK_SLA_RESOLUTION_BUSINESS_DAYS = env_int("POSTDESK_SLA_RESOLUTION_BUSINESS_DAYS", 10, minimum=1)
POSTDESK_SLA_URGENT_RESOLUTION_BUSINESS_DAYS = env_int("POSTDESK_SLA_URGENT_RESOLUTION_BUSINESS_DAYS", 3, minimum=1)
POSTDESK_SLA_AT_RISK_PERCENT = env_int("POSTDESK_SLA_AT_RISK_PERCENT", 75, minimum=1)
if POSTDESK_SLA_AT_RISK_PERCENT > 99:
    raise SettingError(f"POSTDESK_SLA_AT_RISK_PERCENT must be at most 99; got {POSTDESK_SLA_AT_RISK_PERCENT}")
POSTDESK_SLA_RATE_WINDOW_DAYS = env_int("POSTDESK_SLA_RATE_WINDOW_DAYS", 14, minimum=1)
# The console's open-case counts per department are shared by every agent and recomputed by a
# worker when older than this (cases.queue_counts); 0 counts in every page view.
POSTDESK_QUEUE_COUNTS_MAX_AGE = env_int("POSTDESK_QUEUE_COUNTS_MAX_AGE", 15, minimum=0)
POSTDESK_SLA_STATUS_UPDATES = env_bool("POSTDESK_SLA_STATUS_UPDATES", True)
POSTDESK_SLA_STATUS_UPDATE_PERIOD_HOURS = env_int("POSTDESK_SLA_STATUS_UPDATE_PERIOD_HOURS", 72, minimum=1)
POSTDESK_SLA_RATING_REQUESTS = env_bool("POSTDESK_SLA_RATING_REQUESTS", True)
POSTDESK_SLA_RATING_LINK_MAX_AGE_DAYS = env_int("POSTDESK_SLA_RATING_LINK_MAX_AGE_DAYS", 30, minimum=1)
POSTDESK_SLA_JOB_BATCH = env_int("POSTDESK_SLA_JOB_BATCH", 500, minimum=1)
# --- end of SLA settings

# --- Triage: topic model, needs-triage queue, same-matter joining (docs/triage.md).
def _env_fraction(name: str, default: float) -> float:
    raw = env_str(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingError(f"{name} must be a number between 0 and 1; got {raw!r}") from None
    if not 0.0 <= value <= 1.0:
        raise SettingError(f"{name} must be between 0 and 1; got {raw!r}")
    return value


POSTDESK_TRIAGE_MIN_CONFIDENCE = _env_fraction("POSTDESK_TRIAGE_MIN_CONFIDENCE", 0.4)
POSTDESK_TRIAGE_SAME_MATTER = env_str("POSTDESK_TRIAGE_SAME_MATTER", "join").strip().lower()
if POSTDESK_TRIAGE_SAME_MATTER not in ("join", "link", "off"):
    raise SettingError(f"POSTDESK_TRIAGE_SAME_MATTER must be join, link or off; "
                       f"got {POSTDESK_TRIAGE_SAME_MATTER!r}")
POSTDESK_TRIAGE_MODEL_DIR = env_str("POSTDESK_TRIAGE_MODEL_DIR", str(VAR_DIR / "triage"))
# --- end of triage settings

# --- Social messages: X and Facebook Messenger webhooks and replies (docs/social.md).
# A webhook whose secrets are empty answers 503; replies need the access tokens.
import re as _re  # noqa: E402


def _env_base_url(name: str, default: str) -> str:
    value = env_str(name, default).strip().rstrip("/")
    if not value.startswith(("https://", "http://")):
        raise SettingError(f"{name} must be an http:// or https:// URL; got {value!r}")
    return value


POSTDESK_X_CONSUMER_SECRET = env_str("POSTDESK_X_CONSUMER_SECRET")
POSTDESK_X_ACCESS_TOKEN = env_str("POSTDESK_X_ACCESS_TOKEN")
POSTDESK_X_API_BASE_URL = _env_base_url("POSTDESK_X_API_BASE_URL", "https://api.x.com")
POSTDESK_FACEBOOK_APP_SECRET = env_str("POSTDESK_FACEBOOK_APP_SECRET")
POSTDESK_FACEBOOK_VERIFY_TOKEN = env_str("POSTDESK_FACEBOOK_VERIFY_TOKEN")
POSTDESK_FACEBOOK_PAGE_ACCESS_TOKEN = env_str("POSTDESK_FACEBOOK_PAGE_ACCESS_TOKEN")
POSTDESK_FACEBOOK_GRAPH_BASE_URL = _env_base_url("POSTDESK_FACEBOOK_GRAPH_BASE_URL",
                                                 "https://graph.facebook.com")
POSTDESK_FACEBOOK_GRAPH_VERSION = env_str("POSTDESK_FACEBOOK_GRAPH_VERSION", "v21.0").strip()
if not _re.fullmatch(r"v\d+\.\d+", POSTDESK_FACEBOOK_GRAPH_VERSION):
    raise SettingError(f"POSTDESK_FACEBOOK_GRAPH_VERSION must look like v21.0; "
                       f"got {POSTDESK_FACEBOOK_GRAPH_VERSION!r}")
POSTDESK_SOCIAL_MAX_ATTEMPTS = env_int("POSTDESK_SOCIAL_MAX_ATTEMPTS", 8, minimum=1)
POSTDESK_SOCIAL_TIMEOUT_SECONDS = env_int("POSTDESK_SOCIAL_TIMEOUT_SECONDS", 10, minimum=1)
# --- end of social settings

# --- Phone: call log and callbacks (docs/phone.md).
POSTDESK_CALLBACK_MAX_ATTEMPTS = env_int("POSTDESK_CALLBACK_MAX_ATTEMPTS", 3, minimum=1)
POSTDESK_CALLBACK_RETRY_MINUTES = env_int("POSTDESK_CALLBACK_RETRY_MINUTES", 120, minimum=1)
# --- end of phone settings

# --- Live chat: WebSockets through Django Channels (docs/chat.md).
# The channel layer only wakes a chat's sockets at once; the numbered chat log in the database
# is the truth and every socket also polls it, so chat stays correct with several web workers
# on the in-memory layer (a line from another worker then shows within the poll interval).
POSTDESK_CHANNEL_LAYER_URL = env_str("POSTDESK_CHANNEL_LAYER_URL", REDIS_URL)
if POSTDESK_CHANNEL_LAYER_URL:
    if not POSTDESK_CHANNEL_LAYER_URL.startswith(("redis://", "rediss://", "unix://")):
        raise SettingError(f"POSTDESK_CHANNEL_LAYER_URL must be a redis://, rediss:// or unix:// URL; "
                           f"got {POSTDESK_CHANNEL_LAYER_URL!r}")
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                  "CONFIG": {"hosts": [POSTDESK_CHANNEL_LAYER_URL],
                                             "prefix": "postdesk-chat:"}}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
POSTDESK_CHAT_POLL_SECONDS = env_int("POSTDESK_CHAT_POLL_SECONDS", 15 if POSTDESK_CHANNEL_LAYER_URL else 2,
                                     minimum=1)
POSTDESK_CHAT_PRESENCE_SECONDS = env_int("POSTDESK_CHAT_PRESENCE_SECONDS", 60, minimum=10)
POSTDESK_CHAT_IDLE_MINUTES = env_int("POSTDESK_CHAT_IDLE_MINUTES", 30, minimum=1)
# --- end of live chat settings

# --- Customer accounts: magic-link sign-in, priority boost, export, erasure (docs/accounts.md).
POSTDESK_MAGIC_LINK_MAX_AGE_MINUTES = env_int("POSTDESK_MAGIC_LINK_MAX_AGE_MINUTES", 15, minimum=1)
POSTDESK_SIGNIN_RATE_LIMIT_PER_ADDRESS = env_int("POSTDESK_SIGNIN_RATE_LIMIT_PER_ADDRESS", 3, minimum=1)
POSTDESK_SIGNIN_RATE_LIMIT_PER_IP = env_int("POSTDESK_SIGNIN_RATE_LIMIT_PER_IP", 20, minimum=1)
# Staff sign-in (console, admin, search API Basic auth): failures allowed per account name and
# per client address in the window, then refused until it ends (accounts.throttle).
POSTDESK_STAFF_SIGNIN_FAILURES_PER_ACCOUNT = env_int("POSTDESK_STAFF_SIGNIN_FAILURES_PER_ACCOUNT", 5, minimum=1)
POSTDESK_STAFF_SIGNIN_FAILURES_PER_IP = env_int("POSTDESK_STAFF_SIGNIN_FAILURES_PER_IP", 30, minimum=1)
POSTDESK_STAFF_SIGNIN_WINDOW_SECONDS = env_int("POSTDESK_STAFF_SIGNIN_WINDOW_SECONDS", 900, minimum=1)
AUTHENTICATION_BACKENDS = ["postdesk.accounts.backends.ThrottledModelBackend"]
POSTDESK_SIGNIN_RATE_WINDOW_SECONDS = env_int("POSTDESK_SIGNIN_RATE_WINDOW_SECONDS", 900, minimum=1)
POSTDESK_CUSTOMER_SESSION_DAYS = env_int("POSTDESK_CUSTOMER_SESSION_DAYS", 14, minimum=1)
POSTDESK_CUSTOMER_API_TOKEN_DAYS = env_int("POSTDESK_CUSTOMER_API_TOKEN_DAYS", 30, minimum=1)
POSTDESK_SIGNED_IN_PRIORITY_BOOST = env_int("POSTDESK_SIGNED_IN_PRIORITY_BOOST", 1, minimum=0)
if POSTDESK_SIGNED_IN_PRIORITY_BOOST > 3:
    raise SettingError(f"POSTDESK_SIGNED_IN_PRIORITY_BOOST must be 0 to 3 (priority steps from low to "
                       f"urgent); got {POSTDESK_SIGNED_IN_PRIORITY_BOOST}")
# --- end of customer accounts settings
