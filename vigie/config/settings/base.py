"""Settings shared by every environment. Every value comes from the environment through ``env``."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(environ.Env().str("VIGIE_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env.smart_cast = False

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=[])

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'vigie.sqlite3'}"),
}
# Each request is one transaction: the audit event and the work it records commit or fail
# together (CNIL logging recommendation, ASVS 16.3.2).
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database works on a fresh clone: its folder (var/ by default) is created.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server and the job worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp_webauthn",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Only for its bundled Swagger UI files (the API docs load nothing from a CDN).
    "ninja",
    "vigie.core",
    "vigie.audit",
    "vigie.accounts",
    "vigie.cases",
    "vigie.identification",
    "vigie.rights",
    "vigie.network",
    "vigie.monitoring",
    "vigie.advocacy",
    "vigie.imports",
    "vigie.outreach",
    "vigie.api",
    "vigie.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vigie.accounts.middleware.SessionLifetimeMiddleware",
    # Deny by default: every view needs a logged-in user unless marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "vigie.accounts.middleware.MfaRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "vigie.core.middleware.NoStoreForAuthenticatedMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vigie.config.urls"
WSGI_APPLICATION = "vigie.config.wsgi.application"

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
                "vigie.core.context_processors.navigation",
            ],
        },
    },
]

# --- Authentication (ASVS V6, CNIL 2022-100: length, no composition rules, no rotation) ---
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
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "vigie.accounts.validators.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Set-password links sent to new accounts stay valid 3 days.
PASSWORD_RESET_TIMEOUT = 3 * 86400
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: 5 failures lock the account for 30 minutes, whatever the IP.
AXES_FAILURE_LIMIT = env.int("VIGIE_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("VIGIE_LOCKOUT_MINUTES", default=30))
# Per account, not per IP: a social services office behind one NAT address must not be locked out
# by a few colleagues' typos. Per-IP rate limiting belongs to the reverse proxy (see README).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
# "Locked for 30 minutes" stays true when the person retries during the lockout.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "vigie.accounts.views.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False

# django-otp
OTP_TOTP_ISSUER = "Vigie"
# Security keys and passkeys (see vigie/accounts/webauthn.py): second factor only.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_NAME = "Vigie"
OTP_WEBAUTHN_RP_ID_CALLABLE = "vigie.accounts.webauthn.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "vigie.accounts.webauthn.VigieWebAuthnHelper"
# Checked by the library at start-up; Vigie's helper accepts the origin of the host the person
# reached, which ALLOWED_HOSTS has already validated (same build on localhost and in production).
OTP_WEBAUTHN_ALLOWED_ORIGINS = [env.str("VIGIE_BASE_URL", default="http://localhost:8000")]

# --- Sessions: server-side, short-lived ---
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("VIGIE_SESSION_IDLE_MINUTES", default=30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env.int("VIGIE_SESSION_ABSOLUTE_HOURS", default=12))
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT.total_seconds())
# Saving on every request slides the server-side expiry: this is the idle timeout.
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# How long a re-authentication (password + second factor) stays fresh for exports and MFA changes.
REAUTH_MAX_AGE = timedelta(minutes=env.int("VIGIE_REAUTH_MINUTES", default=5))

# --- Internationalisation: French first, English second ---
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and uploaded files: web processes keep no state of their own ---
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {
        "BACKEND": env.str(
            "VIGIE_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage":
    # S3-compatible object storage (install django-storages[s3]); credentials from the environment.
    STORAGES["default"]["OPTIONS"] = {
        "bucket_name": env.str("VIGIE_S3_BUCKET"),
        "endpoint_url": env.str("VIGIE_S3_ENDPOINT_URL", default=None),
        "default_acl": "private",
        "querystring_auth": True,
    }

# Documents attached to case files (vigie/cases/services/documents.py): the largest accepted.
# Uploads stay in memory, never in a temporary file in clear on disk, and are cut just past this
# size (vigie/cases/uploads.py); the reverse proxy's body limit must be a little above it.
DOCUMENT_MAX_BYTES: int = env.int("VIGIE_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = ["vigie.cases.uploads.BoundedMemoryUploadHandler"]

# --- Background jobs: django-tasks with its database backend (works on SQLite and PostgreSQL) ---
# The shared cache: the database by default, so that the API's per-token rate limit counts
# across every server process without another service to run (`migrate` creates its table).
CACHES = {"default": env.cache("VIGIE_CACHE_URL", default="dbcache://vigie_cache")}

# REST API (/api/v1/): requests per token and the longest life a personal token may have.
VIGIE_API_RATE_LIMIT = env.str("VIGIE_API_RATE_LIMIT", default="600/m")
VIGIE_API_TOKEN_MAX_DAYS = env.int("VIGIE_API_TOKEN_MAX_DAYS", default=365)
NINJA_PAGINATION_PER_PAGE = 50

TASKS = {
    "default": {
        "BACKEND": env.str("VIGIE_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Encryption at rest of identifying data (see vigie/core/crypto.py) ---
# Comma-separated Fernet keys; the first encrypts, all decrypt (rotation: `vigie crypto rotate`).
FIELD_ENCRYPTION_KEYS: list[str] = env.list("VIGIE_FIELD_ENCRYPTION_KEYS", default=[])
# HMAC key for blind indexes (exact-match lookups on encrypted values).
BLIND_INDEX_KEY: str = env.str("VIGIE_BLIND_INDEX_KEY", default="")
# HMAC key chaining audit events: without it a database writer cannot forge the chain.
AUDIT_CHAIN_KEY: str = env.str("VIGIE_AUDIT_CHAIN_KEY", default="")
AUDIT_RETENTION = timedelta(days=env.int("VIGIE_AUDIT_RETENTION_DAYS", default=365))

# --- Hardening headers ---
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script, no third party: everything Vigie serves comes from itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("VIGIE_LOG_LEVEL", default="WARNING")},
}

# --- Email: alert digests (`vigie alerts`) and set-password links ---
# EMAIL_URL sets everything at once (django-environ: smtp+tls://user:password@host:587,
# consolemail://); without it EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL one by one. SMTP on localhost by default;
# development prints to the console (dev.py), tests keep messages in memory (test.py).
_email = (
    env.email_url("EMAIL_URL")
    if env.str("EMAIL_URL", default="")
    else {
        "EMAIL_BACKEND": env.str(
            "EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
        ),
        "EMAIL_HOST": env.str("EMAIL_HOST", default="localhost"),
        "EMAIL_PORT": env.int("EMAIL_PORT", default=25),
        "EMAIL_HOST_USER": env.str("EMAIL_HOST_USER", default=""),
        "EMAIL_HOST_PASSWORD": env.str("EMAIL_HOST_PASSWORD", default=""),
        "EMAIL_USE_TLS": env.bool("EMAIL_USE_TLS", default=False),
        "EMAIL_USE_SSL": env.bool("EMAIL_USE_SSL", default=False),
    }
)
EMAIL_BACKEND: str = _email["EMAIL_BACKEND"]
EMAIL_HOST: str = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT: int = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER: str = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD: str = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS: bool = bool(_email.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL: bool = bool(_email.get("EMAIL_USE_SSL", False))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="vigie@localhost")

# Retention of case files (CNIL deliberation 2022-008): archived two years after the last
# contact by `vigie retention` (vigie/cases/services/retention.py).
VIGIE_RETENTION_DAYS = env.int("VIGIE_RETENTION_DAYS", default=730)
# Digital outreach (vigie/outreach): advertisements not linked to a case file are deleted by
# `vigie retention` this many days after their last activity (seen, contacted or reported).
VIGIE_OUTREACH_RETENTION_DAYS = env.int("VIGIE_OUTREACH_RETENTION_DAYS", default=183)
# Estimated Jaccard similarity of word 3-shingles above which two ad texts are "near-identical".
VIGIE_OUTREACH_TEXT_THRESHOLD = env.float("VIGIE_OUTREACH_TEXT_THRESHOLD", default=0.8)
# Photos whose perceptual hashes differ by at most this many bits are the same photo.
VIGIE_OUTREACH_IMAGE_DISTANCE = env.int("VIGIE_OUTREACH_IMAGE_DISTANCE", default=4)
VIGIE_BASE_URL = env.str("VIGIE_BASE_URL", default="http://127.0.0.1:8000")

# Statistics releases (vigie/monitoring): the yearly privacy budget that all releases together
# may spend (basic composition), and the publication threshold (CTDC's k: smaller cells are
# shown "< 11").
VIGIE_PRIVACY_YEARLY_EPSILON = env.float("VIGIE_PRIVACY_YEARLY_EPSILON", default=4.0)
VIGIE_PRIVACY_YEARLY_DELTA = env.float("VIGIE_PRIVACY_YEARLY_DELTA", default=1e-5)
VIGIE_RELEASE_THRESHOLD = env.int("VIGIE_RELEASE_THRESHOLD", default=11)
# A seeded release draws numpy noise instead of OpenDP's: reproducible, for tests only.
VIGIE_ALLOW_SEEDED_RELEASES = False
