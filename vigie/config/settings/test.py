"""Test settings: same stack as production, cheaper password hashing, throwaway keys."""

from .dev import *  # noqa: F403
from .dev import env

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Argon2 still, with a small cost so that factories stay fast; hashes keep their parameters,
# so the production hasher verifies them too.
PASSWORD_HASHERS = ["vigie.accounts.hashers.TestArgon2PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "vigie@example.org"
# No collected static files in tests: the live server serves them from the apps' folders.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
VIGIE_TEST_DATABASE = env.str("DATABASE_URL", default="sqlite")

# The SQLite test database is a file (not in memory) so that tests can read its raw bytes (the
# encryption-at-rest proof) and browser tests can share it with the live server thread. One file
# per process: parallel runs never collide; Django deletes it at the end of the run.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-vigie-{os.getpid()}.sqlite3")  # noqa: F405
    }
VIGIE_ALLOW_SEEDED_RELEASES = True
