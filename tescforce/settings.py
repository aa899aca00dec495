"""Settings for the Tesc Force platform.

Every knob comes from the environment (see `.env.example`). The defaults are the embedded ones:
SQLite in `var/`, Celery tasks run in-process, e-mails printed to the console.
"""

import sys
import warnings
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _fail(message: str) -> None:
    # One clear line on stderr instead of a traceback deep inside Django.
    sys.exit(f"Configuration error: {message}")


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _bool(name: str, default: bool) -> bool:
    # Strict: a typo such as DEBUG=Flase must not silently mean False.
    raw = env.str(name, default=str(default)).strip().lower()
    if raw not in _TRUE | _FALSE:
        _fail(f"{name} must be true or false, not {raw!r}.")
    return raw in _TRUE


def _read(name: str, cast: str, **kwargs):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # django-environ warns before failing; we say it once
            return getattr(env, cast)(name, **kwargs)
    except (environ.ImproperlyConfigured, ValueError) as exc:
        _fail(f"{name} is malformed: {exc}.")


DEBUG = _bool("DEBUG", default=True)
SECRET_KEY = _read("SECRET_KEY", "str", default="")
ALLOWED_HOSTS = _read("ALLOWED_HOSTS", "list", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = _read("CSRF_TRUSTED_ORIGINS", "list", default=[])
DATABASE_URL = _read("DATABASE_URL", "str", default="")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # an unknown scheme is reported just below, in one line
    # An empty DATABASE_URL means unset: the embedded SQLite database.
    DATABASES = {"default": environ.Env.db_url_config(DATABASE_URL or f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
REDIS_URL = _read("REDIS_URL", "str", default="")
EMAIL_CONFIG = _read("EMAIL_URL", "email_url", default="consolemail://")
# Seconds an SMTP connection may wait on any one step; a send makes about seven such round trips.
EMAIL_TIMEOUT = _read("EMAIL_TIMEOUT", "int", default=20)
# Seconds after which an e-mail claimed but never marked sent counts as lost with its worker and is
# sent again by the sweeper (events.MessageSent); must outlast the longest send.
MESSAGE_CLAIM_LEASE = _read("MESSAGE_CLAIM_LEASE", "int", default=300)
# The sessions' check-in desk opens on the session's day from this hour (Paris time, HH:MM), never before.
CHECKIN_OPENS_AT = _read("CHECKIN_OPENS_AT", "str", default="07:00")
try:
    _checkin_hour, _checkin_minute = (int(x) for x in CHECKIN_OPENS_AT.split(":"))
    if not (0 <= _checkin_hour < 24 and 0 <= _checkin_minute < 60):
        raise ValueError
except ValueError:
    _fail("CHECKIN_OPENS_AT must be an hour as HH:MM, e.g. 07:00.")
MEDIA_ROOT = Path(_read("MEDIA_ROOT", "str", default=str(VAR_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(_read("PRIVATE_MEDIA_ROOT", "str", default=str(VAR_DIR / "private")))
STATIC_ROOT = Path(_read("STATIC_ROOT", "str", default=str(VAR_DIR / "static")))
DEMO_MODE = _bool("DEMO_MODE", default=DEBUG)
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", default=not DEBUG)
BEHIND_PROXY = _bool("BEHIND_PROXY", default=False)
DB_CONN_MAX_AGE = _read("DB_CONN_MAX_AGE", "int", default=60)
DEFAULT_FROM_EMAIL = _read("DEFAULT_FROM_EMAIL", "str", default="Tesc Force <no-reply@tescforce.example>")
# Where replies to the platform's e-mails go (tescforce.mail); empty: no Reply-To, replies reach the sender.
DEFAULT_REPLY_TO_EMAIL = _read("DEFAULT_REPLY_TO_EMAIL", "str", default="")
# The port `make run` and `make up` serve on: links in e-mails, .ics files and PDFs follow it unless
# SITE_URL names the public address.
PORT = _read("PORT", "int", default=8000)
SITE_URL = _read("SITE_URL", "str", default=f"http://127.0.0.1:{PORT}").rstrip("/")
LOG_LEVEL = _read("LOG_LEVEL", "str", default="INFO").upper()
LOG_FORMAT = _read("LOG_FORMAT", "str", default="text" if DEBUG else "json").lower()
# Reverse proxies in front of the app that append to X-Forwarded-For (nginx alone: 1); 0 = none.
TRUSTED_PROXY_COUNT = _read("TRUSTED_PROXY_COUNT", "int", default=1 if BEHIND_PROXY else 0)
SENTRY_DSN = _read("SENTRY_DSN", "str", default="")

if DATABASES["default"].get("ENGINE") not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
    _fail("DATABASE_URL must start with postgres:// or sqlite:///.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not DATABASES["default"].get("NAME"):
    _fail("DATABASE_URL must name a database, e.g. postgres://user:password@host:5432/tescforce.")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://")):
    _fail("REDIS_URL must start with redis:// or rediss://.")
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    _fail("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL.")
if LOG_FORMAT not in ("json", "text"):
    _fail("LOG_FORMAT must be json or text.")
if EMAIL_TIMEOUT < 1:
    _fail("EMAIL_TIMEOUT must be 1 second or more.")
if MESSAGE_CLAIM_LEASE <= 8 * EMAIL_TIMEOUT:
    _fail("MESSAGE_CLAIM_LEASE must be longer than 8 × EMAIL_TIMEOUT (a send must end before its claim expires).")
if TRUSTED_PROXY_COUNT < 0:
    _fail("TRUSTED_PROXY_COUNT must be 0 or more.")
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        _fail(f"CSRF_TRUSTED_ORIGINS entries must start with https:// (got {_origin!r}).")

if not DEBUG:
    # Production: no embedded default may stand in for a real service.
    if not SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        _fail("SECRET_KEY must be set to a random string of 50 characters or more when DEBUG=False.")
    if not ALLOWED_HOSTS:
        _fail("ALLOWED_HOSTS must list the site's host names when DEBUG=False.")
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        _fail("DATABASE_URL must point at PostgreSQL (postgres://…) when DEBUG=False.")
    if not REDIS_URL:
        _fail("REDIS_URL must be set when DEBUG=False (Celery broker and shared cache).")
if not SECRET_KEY:
    SECRET_KEY = "django-insecure-embedded-default-for-local-use-only"  # noqa: S105

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, so translated fields show there
    "tescforce.apps.TescforceAdminConfig",  # django.contrib.admin on our site class
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "import_export",
    "django_countries",
    "phonenumber_field",
    "simple_history",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The API for partners' systems (/api/): REST framework, its OpenAPI schema and Swagger UI's files.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "tescforce",
    "companies",
    "candidates",
    "events",
    "hotline",
    "matching",
    # Partner organisations' members and their referrals (beside hotline and matching).
    "partners",
    # Alerts a candidate chose (offers from matching, sessions from events): above both.
    "alerts",
    "showroom",
    "prospecting",
    # The site on top: home, dashboard, staff accounts admin, demo data (imports every app above).
    "tescforce.site",
]

MIDDLEWARE = [
    "tescforce.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tescforce.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Inside the language, the session and the messages: its page is rendered like any other.
    "tescforce.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "tescforce.middleware.TwoFactorMiddleware",
    # Last, as django-axes asks: it turns a lockout into its "account locked" response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tescforce.urls"
WSGI_APPLICATION = "tescforce.wsgi.application"

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
                "tescforce.context_processors.platform",
            ],
        },
    },
]

STATIC_ROOT.mkdir(parents=True, exist_ok=True)

DB = DATABASES["default"]
if DB["ENGINE"] == "django.db.backends.sqlite3":
    Path(DB["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DB.setdefault("OPTIONS", {})["timeout"] = 20
else:
    # Persistent connections: opening one per request cost a quarter of the throughput.
    DB["CONN_MAX_AGE"] = DB_CONN_MAX_AGE
    DB["CONN_HEALTH_CHECKS"] = True
USING_POSTGRES = DB["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# django-axes first: it refuses a locked-out client before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers per language (tescforce/formats/<lang>/formats.py). Thousands are grouped where a
# template asks for it (`number`, `money` filters of locale_formats), not everywhere: a global
# USE_THOUSAND_SEPARATOR would also group ids and years printed into links and form values.
FORMAT_MODULE_PATH = ["tescforce.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads larger than this are refused by the app; the reverse proxy should allow a little more.
MAX_UPLOAD_SIZE = _read("MAX_UPLOAD_SIZE", "int", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

vars().update(EMAIL_CONFIG)

if REDIS_URL:
    # An unreachable Redis reads as a miss (tescforce/cache.py); the timeouts bound the wait for one that hangs.
    CACHES = {"default": {"BACKEND": "tescforce.cache.SharedRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The embedded default has no shared cache; rate limits then hold per process only.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_USE_CACHE = "default"
RATELIMIT_ENABLE = _bool("RATELIMIT_ENABLE", default=True)
# While the cache is unreachable the counters cannot be read: sign-up, booking and sign-in stay open rather
# than refusing everyone. Failed sign-ins are still counted in the database (django-axes), and link e-mails
# by their sent log.
RATELIMIT_FAIL_OPEN = True
# A blocked request gets our 429 page, in the visitor's language (not a bare 403).
RATELIMIT_VIEW = "tescforce.error_pages.too_many_requests"

# Celery: with no broker, tasks run in-process (the embedded default). Eager tasks still open the
# in-memory transport; naming its host spares kombu's "No hostname was supplied" warning.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged task to another worker after this many seconds. It must outlast the
# longest task and the longest retry countdown (10 min), or a task would run twice while still
# waiting; a message lost with a killed worker does not wait for it: the sweeper sends it again after
# MESSAGE_CLAIM_LEASE. https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 1800}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# One place for periodic jobs; a post-migrate hook copies them into the database for the admin.
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "tescforce.tasks.heartbeat", "schedule": 300.0},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DB_FORMAT = "E164"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Exports need at least the view permission of the model (the library asks for none by default).
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# Exports escape spreadsheet formulas: tescforce.exports does it fully (= + - @ tab CR) for every admin export;
# the library's own switch stays on for any format that would bypass it. Control characters that XLSX
# cannot hold are replaced rather than failing the export.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True

# Security headers; strict transport only outside the embedded default.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = _read("SESSION_COOKIE_AGE", "int", default=8 * 3600)
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _read("SECURE_HSTS_SECONDS", "int", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_COOKIE_HTTPONLY = True
# An expired form says so in the site's layout and language, not in Django's debug English.
CSRF_FAILURE_VIEW = "tescforce.error_pages.csrf_failure"
# Staff sessions also end after this many seconds without a request (0 = only SESSION_COOKIE_AGE).
SESSION_IDLE_TIMEOUT = _read("SESSION_IDLE_TIMEOUT", "int", default=3600)

# Content-Security-Policy (django-csp): everything from our own origin, no inline script without the
# request's nonce, no inline style but Django admin add-ons' few fixed attributes, each allowed by the hash
# of its exact text ('unsafe-hashes' admits nothing else). Bootstrap's CSS draws form controls with data: SVGs.
from csp.constants import NONCE, NONE, SELF, UNSAFE_HASHES  # noqa: E402

CSP_SCRIPT_ATTRIBUTE_HASHES = [
    # onchange="onSelectToggleChange(event)" (import-export's export page)
    "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
]
CSP_STYLE_ATTRIBUTE_HASHES = [
    "'sha256-mHgUAqxc8GPXM/QhzkHrHujcrQTU9fd6ZjWz+icxKcA='",  # "padding: 0;" (import-export)
    "'sha256-+YWRMZ88jMyO7jVlBA52tZADiPobPIUA8LAWee68Fvs='",  # "font-weight: bold;" (import-export)
    "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",  # "border-top: 0" (simple-history)
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, UNSAFE_HASHES, *CSP_SCRIPT_ATTRIBUTE_HASHES],
        "style-src": [SELF, NONCE, UNSAFE_HASHES, *CSP_STYLE_ATTRIBUTE_HASHES],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Staff logins: django-axes locks out after AXES_FAILURE_LIMIT failures, counted per address (derived from
# TRUSTED_PROXY_COUNT, never a header a client could forge) and, separately, per username, so that guessing
# one account's password from many addresses is stopped too; a coordinator unlocks in the admin.
AXES_FAILURE_LIMIT = _read("AXES_FAILURE_LIMIT", "int", default=10)
AXES_COOLOFF_TIME = _read("AXES_COOLOFF_MINUTES", "int", default=60) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "tescforce.security.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "tescforce/security/lockout.html"
AXES_VERBOSE = False
# django-ratelimit's key="ip" reads the same derived address.
RATELIMIT_IP_META_KEY = "tescforce.security.client_ip"
# Two-factor (django-otp, TOTP): the issuer shown in authenticator apps.
OTP_TOTP_ISSUER = "Tesc Force"
# Superusers and coordinators must pair an authenticator app before using the admin or /pilotage/ (whatever
# the coordinators' security policy says for other staff). On by default in production; the demo
# (`make run`, DEBUG) leaves it optional. Set false only for a deployment that signs staff in another way.
TWO_FACTOR_REQUIRED_FOR_ADMINS = _bool("TWO_FACTOR_REQUIRED_FOR_ADMINS", default=not DEBUG)
# The admin never shows a device's secret key again once it is paired.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "tescforce.middleware.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "tescforce.middleware.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

if SENTRY_DSN:
    # Error reports only when configured; sentry-sdk is the optional "sentry" extra.
    try:
        import sentry_sdk
    except ImportError:
        _fail("SENTRY_DSN is set but sentry-sdk is not installed: pip install '.[sentry]'.")

    sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False, traces_sample_rate=0.0)

# Events: J-7/J-1 reminders and after-session messages, each recorded once in the database.
CELERY_BEAT_SCHEDULE["events-due-reminders"] = {"task": "events.tasks.send_due_reminders", "schedule": 300.0}
CELERY_BEAT_SCHEDULE["events-after-session"] = {"task": "events.tasks.send_after_session_messages",
                                                "schedule": 900.0}
# E-mails whose sender died mid-send or whose task was lost go out once their claim has expired.
CELERY_BEAT_SCHEDULE["events-sweep-messages"] = {"task": "events.tasks.sweep_messages", "schedule": 120.0}

# Hotline: each follow-up owner's digest, every morning (sent once per owner and day).
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE["hotline-follow-up-digest"] = {"task": "hotline.tasks.hotline_digest_dispatch",
                                                    "schedule": crontab(minute="30", hour="7")}

# Candidates: purge unconfirmed registrations (7 days) and anonymise the inactive (2 years, CNIL), nightly.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE["candidates-purge-unconfirmed"] = {
    "task": "candidates.tasks.purge_unconfirmed_candidates", "schedule": crontab(minute="10", hour="3")}
CELERY_BEAT_SCHEDULE["candidates-anonymise-inactive"] = {
    "task": "candidates.tasks.anonymise_inactive_candidates", "schedule": crontab(minute="20", hour="3")}
# Showroom: contact requests go a year after they were received.
CELERY_BEAT_SCHEDULE["showroom-purge-old-contact-requests"] = {
    "task": "showroom.tasks.purge_old_contact_requests", "schedule": crontab(minute="30", hour="3")}
# Hotline: call-back requests go a year after they were received.
CELERY_BEAT_SCHEDULE["hotline-purge-old-callback-requests"] = {
    "task": "hotline.tasks.purge_old_callback_requests", "schedule": crontab(minute="35", hour="3")}
# Remember the Talents Occitanie campaign (utm_* parameters) a visitor came through, for the visit.
MIDDLEWARE.append("candidates.middleware.CampaignAttributionMiddleware")

# Prospecting: each owner's reminder of next steps due and meetings to complete (once per owner and day).
CELERY_BEAT_SCHEDULE["prospecting-daily-reminders"] = {
    "task": "prospecting.tasks.send_daily_reminders", "schedule": crontab(minute="0", hour="7")}

# Matching: recompute every match and remove the stale ones, nightly (saves recompute their own rows at once).
CELERY_BEAT_SCHEDULE["matching-nightly-recompute"] = {
    "task": "matching.tasks.matches_recompute_nightly", "schedule": crontab(minute="40", hour="3")}

# Alerts: every 15 minutes, the offers and sessions alerts that are due (immediate ones each pass, weekly ones a
# week after the last).
CELERY_BEAT_SCHEDULE["alerts-send-due"] = {"task": "alerts.tasks.send_due_alerts",
                                           "schedule": crontab(minute="*/15")}

# Housekeeping, nightly: expired sessions (Django's clearsessions; they keep what a visitor left in them) and
# login records (django-axes attempts and access logs: usernames, addresses, browsers) older than
# LOGIN_RECORDS_RETENTION_DAYS. CNIL's recommendation on logging keeps such traces 6 months to 1 year.
LOGIN_RECORDS_RETENTION_DAYS = _read("LOGIN_RECORDS_RETENTION_DAYS", "int", default=180)
if LOGIN_RECORDS_RETENTION_DAYS < 1:
    _fail("LOGIN_RECORDS_RETENTION_DAYS must be at least 1.")
# Job postings: a filled or closed one keeps its page (noindex, out of the sitemap) for this many days, so a
# shared link still says what happened; after that its address answers 410 Gone with a way to similar jobs.
POSTING_GONE_AFTER_DAYS = _read("POSTING_GONE_AFTER_DAYS", "int", default=60)
if POSTING_GONE_AFTER_DAYS < 0:
    _fail("POSTING_GONE_AFTER_DAYS must be 0 or more.")
CELERY_BEAT_SCHEDULE["tescforce-clear-sessions"] = {
    "task": "tescforce.tasks.clear_expired_sessions", "schedule": crontab(minute="0", hour="4")}
CELERY_BEAT_SCHEDULE["tescforce-purge-login-records"] = {
    "task": "tescforce.tasks.purge_old_login_records", "schedule": crontab(minute="5", hour="4")}

# Partners: last week's digest to each member, Monday morning; referrals nobody answered go after 7 days.
CELERY_BEAT_SCHEDULE["partners-weekly-digest"] = {"task": "partners.tasks.digest_dispatch",
                                                  "schedule": crontab(minute="0", hour="8", day_of_week="1")}
CELERY_BEAT_SCHEDULE["partners-purge-unanswered"] = {
    "task": "partners.tasks.purge_unanswered_referrals", "schedule": crontab(minute="15", hour="3")}

# The API for partners' systems (partners/api, docs/api.md): JSON only, deny by default (each open-data view says
# it is open), an organisation's key in `Authorization: Api-Key <key>`. Throttles count in the shared cache: per
# key for a partner's system, per client address (tescforce.security.client_ip) without a key. Rates read as
# "number/second|minute|hour|day".
API_RATE_KEY = _read("API_RATE_KEY", "str", default="1000/hour")
API_RATE_ANON = _read("API_RATE_ANON", "str", default="300/hour")
for _name, _rate in (("API_RATE_KEY", API_RATE_KEY), ("API_RATE_ANON", API_RATE_ANON)):
    _count, _slash, _period = _rate.partition("/")
    if not (_count.isdigit() and int(_count) > 0 and _period in ("second", "minute", "hour", "day")):
        _fail(f"{_name} must read like 1000/hour (a number, then second, minute, hour or day).")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["partners.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["partners.api.authentication.HasApiKey"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["partners.api.authentication.KeyRateThrottle",
                                 "partners.api.authentication.AnonRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "partners.api.authentication.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tesc Force API",
    "DESCRIPTION": "Referrals and courses for partner organisations (with their API key), and open data: "
                   "published job postings, upcoming sessions and courses. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files (drf-spectacular-sidecar), no third-party host; no online validator.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True, "defaultModelsExpandDepth": 0},
}
