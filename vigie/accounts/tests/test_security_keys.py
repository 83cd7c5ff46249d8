"""Security keys (WebAuthn) server rules: second factor only, re-authentication, audit."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp_webauthn.models import WebAuthnCredential

from vigie.accounts.models import UserSession
from vigie.audit.models import AuditEvent
from vigie.tests_support.auth import sign_in
from vigie.tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db


def _key_for(user) -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user,
        name="Clé de test",
        credential_id=b"\x01" * 16,
        public_key=b"not-a-real-key",
        aaguid="00000000-0000-0000-0000-000000000000",
        credential_id_sha256="ab" * 32,
    )


def test_adding_a_key_needs_a_recent_reauthentication(client):
    user = UserFactory()
    sign_in(client, user)
    begin = reverse("otp_webauthn:credential-registration-begin")

    fresh = client.post(begin)
    assert fresh.status_code == 200
    assert "challenge" in fresh.json()

    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        client.get(reverse("core:home"))  # keep the session alive (idle timeout is 30 min)
        stale = client.post(begin)
    assert stale.status_code == 403
    assert stale.json()["code"] == "reauthentication_required"


def test_removing_a_key_is_a_credentials_change_that_ends_other_sessions(client, client_for):
    user = UserFactory()
    key = _key_for(user)
    other_device = client_for(user)
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):  # a fresh TOTP step
        sign_in(client, user)
        response = client.post(
            reverse("accounts:security_key_delete", kwargs={"credential_id": key.pk})
        )
        assert response.status_code == 302
        assert not WebAuthnCredential.objects.filter(pk=key.pk).exists()
        assert UserSession.objects.filter(user=user).count() == 1
        assert client.get(reverse("core:home")).status_code == 200
        assert other_device.get(reverse("core:home")).status_code == 302
    assert AuditEvent.objects.filter(
        action="user.credentials_change", subjects__object_uuid=user.uuid
    ).exists()


def test_a_key_cannot_be_the_first_factor(client):
    user = UserFactory()
    _key_for(user)
    response = client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
