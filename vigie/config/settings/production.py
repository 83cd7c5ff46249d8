"""Production: refuses to start without real secrets, a real host list and a real database."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env


def _required(name: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production.")
    return value


SECRET_KEY = _required("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")
_required("ALLOWED_HOSTS")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
_required("DATABASE_URL")
DATABASES = {"default": {**env.db_url("DATABASE_URL"), "ATOMIC_REQUESTS": True}}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
FIELD_ENCRYPTION_KEYS = env.list("VIGIE_FIELD_ENCRYPTION_KEYS", default=[])
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("VIGIE_FIELD_ENCRYPTION_KEYS must be set in production.")
BLIND_INDEX_KEY = _required("VIGIE_BLIND_INDEX_KEY")
AUDIT_CHAIN_KEY = _required("VIGIE_AUDIT_CHAIN_KEY")

DEBUG = False
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# __Host- cookies are bound to this exact host, over HTTPS, with path "/".
SESSION_COOKIE_NAME = "__Host-vigie_session"
CSRF_COOKIE_NAME = "__Host-vigie_csrftoken"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_NAME = "__Host-vigie_language"
