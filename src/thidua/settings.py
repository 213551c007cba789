"""Settings for every environment, read from environment variables.

THIDUA_ENV=production turns on the transport and cookie hardening and refuses unsafe values.
Without DATABASE_URL the project uses SQLite in var/; without REDIS_URL a local-memory cache;
without CELERY_BROKER_URL tasks run eagerly in the calling process.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

django_stubs_ext.monkeypatch()  # lets ModelAdmin[Model] and friends be subscripted

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("THIDUA_VAR_DIR", REPO_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


THIDUA_ENV = os.environ.get("THIDUA_ENV", "development")
PRODUCTION = THIDUA_ENV == "production"
MIN_SECRET_KEY_LENGTH = 50
_DEV_SECRET = "dev-only-insecure-key-never-used-in-production"  # noqa: S105 - refused in production

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
REDIS_URL = os.environ.get("REDIS_URL", "")
# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDRs): rate limits, lockouts
# and logs key on the client behind them (core.clientip). Empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
try:
    [ipaddress.ip_network(entry, strict=False) for entry in TRUSTED_PROXIES]
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc
RATELIMIT_IP_META_KEY = "thidua.core.clientip.client_ip"

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when THIDUA_ENV=production.")
    if SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH:
        raise ImproperlyConfigured("Set a random SECRET_KEY of at least 50 characters.")
    if not REDIS_URL:
        raise ImproperlyConfigured("REDIS_URL is required in production (shared cache, limits).")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ninja",
    "thidua.core",
    "thidua.accounts",
    "thidua.organizations",
    "thidua.notifications",
    "thidua.documents",
    "thidua.campaigns",
    "thidua.participation",
    "thidua.reporting",
    "thidua.awards",
    "thidua.portal",
    "thidua.api",
    "thidua.contests",
    "thidua.workspace",
]

MIDDLEWARE = [
    "thidua.core.observability.RequestObservabilityMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "thidua.core.bodylimit.BodyLimitMiddleware",  # bodies bounded before CSRF reads them
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "thidua.core.middleware.CleanInputMiddleware",  # NFC, no control characters, NUL → 400
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "thidua.accounts.middleware.AdminAllowListMiddleware",
    "thidua.accounts.middleware.RequireTOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "thidua.core.csp.CSPMiddleware",  # django-csp, policy string cached
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thidua.urls"
WSGI_APPLICATION = "thidua.wsgi.application"

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
                "thidua.core.context_processors.navigation",
                "thidua.core.context_processors.deployment",
                "thidua.notifications.context_processors.unread",
                "thidua.contests.context_processors.contest_nav",
                "thidua.api.context_processors.token_nav",
                "thidua.awards.context_processors.council_nav",
                "thidua.workspace.context_processors.menu",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "thidua.sqlite3"),
            # IMMEDIATE avoids "database is locked" upgrades when two requests write at once.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ---------------------------------------------------------------------
# template_fragments: rendered parts of pages keyed by what they show (core.versions).
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
        "template_fragments": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "fragment",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "template_fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "template_fragments",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 8 * 3600  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
CSRF_FAILURE_VIEW = "thidua.core.views.csrf_failure"  # Vietnamese page with a way back
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "thidua.accounts.validators.AgencyNameValidator"},
    {"NAME": "thidua.accounts.validators.PersonalInfoValidator"},
]
# The place name documents print before their date ("Bắc Ninh, ngày …") when the issuing unit's
# name does not give one (organizations.selectors.place_of).
THIDUA_PLACE = os.environ.get("THIDUA_PLACE", "Bắc Ninh")
# Who runs this deployment, as the pages' footers and titles name them.
THIDUA_ORGANISATION = os.environ.get("THIDUA_ORGANISATION", "UBND thành phố Bắc Ninh")
THIDUA_PORTAL_EDITORS = os.environ.get(
    "THIDUA_PORTAL_EDITORS",
    "Phòng Văn hóa và Thông tin · Trung tâm Văn hóa, Thể thao và Truyền thông thành phố",
)
# /quan-tri/ only from these addresses/CIDRs (empty: anywhere); API docs and schema on or off.
THIDUA_ADMIN_ALLOWED_IPS = env_list("THIDUA_ADMIN_ALLOWED_IPS")
THIDUA_API_DOCS = env_bool("THIDUA_API_DOCS", default=True)
# Contest registrations one client address may make per round (contests.challenge).
THIDUA_CONTEST_REGISTRATIONS_PER_ADDRESS = int(
    os.environ.get("THIDUA_CONTEST_REGISTRATIONS_PER_ADDRESS", "200")
)
# Two-factor sign-in for staff roles; the demo turns it off (THIDUA_TOTP_REQUIRED=0).
THIDUA_TOTP_REQUIRED = env_bool("THIDUA_TOTP_REQUIRED", default=True)
OTP_TOTP_ISSUER = "Thi đua"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Plus a lockout per username across addresses, with a slower back-off (accounts.lockout).
AXES_HANDLER = "thidua.accounts.lockout.AccountLockoutHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "thidua.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "thidua.core.clientip.client_ip"
AXES_VERBOSE = False

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["thidua.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]  # Vietnamese for messages Django leaves in English

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_ROOT = BASE_DIR / "root_files"  # /favicon.ico for browsers and pages without <link>
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"  # never served directly: files go through permission-checked views
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "thidua.core.staticfiles.StaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploads: a local folder (default; shared by every process on the host), or S3-compatible
# object storage through django-storages when S3_BUCKET is set (several hosts). Files stay
# private: they are read through permission-checked views, never by public URL.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,  # MinIO, Viettel, ...
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", "media"),
            "default_acl": None,  # the bucket's policy: private
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Request bodies, refused by Content-Length before anything is read (core.bodylimit): anonymous,
# signed in (or API token), and uploads of a signed-in user to a view marked @accepts_uploads.
THIDUA_MAX_ANONYMOUS_BODY_BYTES = int(os.environ.get("THIDUA_MAX_ANONYMOUS_BODY_BYTES", "65536"))
THIDUA_MAX_BODY_BYTES = int(
    os.environ.get("THIDUA_MAX_BODY_BYTES", str(DATA_UPLOAD_MAX_MEMORY_SIZE))
)
THIDUA_MAX_UPLOAD_BYTES = int(os.environ.get("THIDUA_MAX_UPLOAD_BYTES", str(25 * 1024 * 1024)))

# --- Mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
if PRODUCTION and EMAIL_BACKEND in {
    f"django.core.mail.backends.{name}.EmailBackend" for name in ("console", "locmem", "dummy")
}:
    # Password reset and enrolment mail would vanish into a log (or be printed there).
    raise ImproperlyConfigured("EMAIL_BACKEND must deliver mail in production (SMTP).")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))  # filebased backend
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Thi đua <thidua@localhost>")

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Without a broker (demo), long jobs run in a thread of the web process so the page that
# started them can show progress; tests run them inline.
THIDUA_JOB_THREADS = env_bool("THIDUA_JOB_THREADS", default=CELERY_TASK_ALWAYS_EAGER)
# Exports up to this many rows stream in the request; longer ones run as a job (core.exports).
THIDUA_EXPORT_INLINE_ROWS = int(os.environ.get("THIDUA_EXPORT_INLINE_ROWS", "5000"))
# Import files up to this size (about 2,000 rows) are imported in the request; larger ones by a job.
THIDUA_IMPORT_INLINE_BYTES = int(os.environ.get("THIDUA_IMPORT_INLINE_BYTES", str(256 * 1024)))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a long task never holds others hostage
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_TRACK_STARTED = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs through LOGGING (JSON in production)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3 * 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = "default"
# Beat runs each registered periodic job (core.periodic) as its own entry, so one failing job
# never skips the others; each claims its rows by compare-and-set, so a second scheduler never
# double-sends. tests/core/test_periodic.py checks this table against the registered jobs.
PERIODIC_JOBS = {  # name -> seconds between runs
    "campaigns.start_due": 300.0,
    "contests.close_expired": 300.0,
    "core.imports_expire": 3600.0,
    "core.jobs_files_expire": 300.0,
    "notifications.digests": 300.0,
    "notifications.outbox": 300.0,
    "reporting.reminders": 300.0,
    "workspace.summaries": 300.0,
}
CELERY_BEAT_SCHEDULE = {
    **{
        f"periodic:{name}": {
            "task": "thidua.core.tasks.run_periodic_job_task",
            "schedule": seconds,
            "args": (name,),
        }
        for name, seconds in PERIODIC_JOBS.items()
    },
    # Jobs whose task was lost (enqueue died with its process, worker killed) are queued again.
    "jobs-requeue": {
        "task": "thidua.core.tasks.jobs_requeue_stale_task",
        "schedule": float(os.environ.get("THIDUA_JOBS_SWEEP_SECONDS", "60")),
    },
}
CELERY_TASK_ROUTES = {  # jobs pick their queue in core.jobs.register(..., queue=...)
    "thidua.notifications.tasks.*": {"queue": "mail"},
}

# --- Security headers -----------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # SECURE_COOKIES=0 only for `make prod-local`, which serves plain HTTP on 127.0.0.1.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# --- Logs and metrics -----------------------------------------------------------------------
# JSON lines with the request id in production (LOG_FORMAT=json|text overrides); one access line
# per request on the "thidua.request" logger. /metrics answers only METRICS_ALLOWED_IPS.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "thidua.core.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "thidua.core.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "thidua.request": {
            "level": os.environ.get("ACCESS_LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")
        },
        "celery": {
            "level": os.environ.get("CELERY_LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")
        },
        # a signature that does not validate is a result shown to the user, not an error
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
    },
}

# Digital signatures on issued documents (documents/signing/, architecture "Signing").
# A signer's PKCS#12 file is named in documents.SigningKey, relative to this folder; its
# passphrase comes from the environment variable the key names (never from the database).
THIDUA_SIGNING_KEY_DIR = Path(
    os.environ.get("THIDUA_SIGNING_KEY_DIR", VAR_DIR / "signing" / "keys")
)
# Every .pem/.crt/.cer/.der certificate in this folder is a trusted root for validation
# (in production: the roots of Ban Cơ yếu Chính phủ's CA and of licensed public CAs).
THIDUA_SIGNING_TRUST_DIR = Path(
    os.environ.get("THIDUA_SIGNING_TRUST_DIR", VAR_DIR / "signing" / "trust")
)
THIDUA_SIGNING_TSA_URL = os.environ.get("THIDUA_SIGNING_TSA_URL", "")  # RFC 3161, optional
# PKCS#11 (USB tokens, HSM): the module, the token's label and its user PIN; a key's label is
# in SigningKey (default: THIDUA_PKCS11_KEY_LABEL).
THIDUA_PKCS11_MODULE = os.environ.get("THIDUA_PKCS11_MODULE", "")
THIDUA_PKCS11_TOKEN_LABEL = os.environ.get("THIDUA_PKCS11_TOKEN_LABEL", "")
THIDUA_PKCS11_KEY_LABEL = os.environ.get("THIDUA_PKCS11_KEY_LABEL", "")
THIDUA_PKCS11_PIN = os.environ.get("THIDUA_PKCS11_PIN", "")
