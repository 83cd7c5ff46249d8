"""Local development and `make run`: the embedded SQLite database and throwaway keys.

The keys below protect only fictional demo data; production refuses to start without real ones.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-not-secret-" + "x" * 40)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
FIELD_ENCRYPTION_KEYS = env.list(
    "VIGIE_FIELD_ENCRYPTION_KEYS", default=["ZGV2LW9ubHktZmllbGQta2V5LW5vdC1zZWNyZXQtMDA="]
)
BLIND_INDEX_KEY = env.str("VIGIE_BLIND_INDEX_KEY", default="dev-only-blind-index-key")
AUDIT_CHAIN_KEY = env.str("VIGIE_AUDIT_CHAIN_KEY", default="dev-only-audit-chain-key")
# `vigie demo` creates accounts with a published password; only these settings allow it.
# `vigie otp-code` prints a demo user's current TOTP code; only these settings allow it.
VIGIE_ALLOW_OTP_CODE_COMMAND = True
VIGIE_ALLOW_DEMO_DATA = True
# Emails (alert digests, set-password links) are printed in the terminal unless configured.
if not env.str("EMAIL_URL", default="") and not env.str("EMAIL_BACKEND", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
