import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 64,
    "ALLOWED_HOSTS": "vigie.example.org",
    "DATABASE_URL": "postgres://vigie:secret@db.example.org:5432/vigie",
    "VIGIE_FIELD_ENCRYPTION_KEYS": "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1zZWNyZXQtMDA=",
    "VIGIE_BLIND_INDEX_KEY": "b" * 40,
    "VIGIE_AUDIT_CHAIN_KEY": "c" * 40,
}


def _load_production_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("VIGIE_", "DATABASE_URL"))}
    clean.pop("SECRET_KEY", None)
    clean.pop("ALLOWED_HOSTS", None)
    return subprocess.run(
        [sys.executable, "-c", "import vigie.config.settings.production"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_load_with_every_secret():
    result = _load_production_settings(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "VIGIE_FIELD_ENCRYPTION_KEYS",
        "VIGIE_BLIND_INDEX_KEY",
        "VIGIE_AUDIT_CHAIN_KEY",
    ],
)
def test_production_settings_refuse_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _load_production_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_settings_refuse_a_development_secret_key():
    result = _load_production_settings({**PRODUCTION_ENV, "SECRET_KEY": "dev-only-" + "x" * 60})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_default_database_is_the_embedded_sqlite_file():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from vigie.config.settings import dev; print(dev.DATABASES['default']['NAME'])",
        ],
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().endswith("var/vigie.sqlite3")


def test_french_is_the_default_language_and_english_the_second():
    assert settings.LANGUAGE_CODE == "fr"
    assert [code for code, _name in settings.LANGUAGES] == ["fr", "en"]


def test_passwords_are_hashed_with_argon2_in_production():
    from vigie.config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_healthz_answers_without_authentication_and_without_data(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


@pytest.mark.django_db
def test_login_page_is_french_by_default_and_sends_security_headers(client):
    response = client.get(reverse("accounts:login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in body
    assert "Se connecter à Vigie" in body
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_english_is_served_when_chosen(client):
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in body
    assert "Sign in to Vigie" in body
