#!/usr/bin/env bash
# `check --deploy` against production settings, with throwaway values (never real secrets).
set -euo pipefail
VIGIE=$1
key=$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')
fernet=$(python3 -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')
DJANGO_SETTINGS_MODULE=vigie.config.settings.production \
SECRET_KEY="$key" ALLOWED_HOSTS=vigie.example.org DATABASE_URL=sqlite:////tmp/vigie-check.sqlite3 \
VIGIE_FIELD_ENCRYPTION_KEYS="$fernet" VIGIE_BLIND_INDEX_KEY="$key" VIGIE_AUDIT_CHAIN_KEY="$key" \
  "$VIGIE" check --deploy --fail-level WARNING
