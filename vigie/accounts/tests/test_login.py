import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigie.tests_support.auth import current_code, sign_in
from vigie.tests_support.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_password_alone_does_not_open_any_page(client):
    user = UserFactory()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    for name in ("core:home", "cases:list", "accounts:sessions"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:mfa_verify")


def test_password_and_totp_open_the_home_page(client):
    user = UserFactory(full_name="Claire Test")
    sign_in(client, user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert "Claire Test" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_wrong_totp_is_refused_with_a_french_message(client):
    user = UserFactory()
    client.post(reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD})
    wrong = f"{(int(current_code(user)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:mfa_verify"), {"token": wrong})
    assert response.status_code == 400
    assert "Ce code n’est pas valide" in response.content.decode()


def test_the_password_alone_cannot_replace_an_enrolled_authenticator(client):
    """Enrolment with only the password would let a password thief take over the account."""
    user = UserFactory()
    client.post(reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD})

    page = client.get(reverse("accounts:mfa_enrol"))
    attempt = client.post(reverse("accounts:mfa_enrol"), {"token": "123456"})

    assert page.status_code == 302
    assert page["Location"] == reverse("accounts:mfa_verify")
    assert attempt.status_code == 302
    assert attempt["Location"] == reverse("accounts:mfa_verify")
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_the_direct_sign_in_of_the_test_suite_leaves_the_session_the_forms_leave():
    """Most tests sign in with sign_in_directly (no HTTP round trip): it must stay what the real
    sign-in produces, or those tests would check a session nobody can have."""
    from importlib import import_module

    from django.conf import settings
    from django.test import Client

    from vigie.accounts.models import UserSession
    from vigie.tests_support.auth import sign_in_directly

    store = import_module(settings.SESSION_ENGINE).SessionStore
    user = UserFactory()
    through_forms, directly = Client(), Client()
    sign_in(through_forms, user)
    sign_in_directly(directly, user)

    sessions = [
        store(session_key=c.cookies[settings.SESSION_COOKIE_NAME].value).load()
        for c in (through_forms, directly)
    ]
    assert set(sessions[0]) == set(sessions[1])
    assert UserSession.objects.filter(user=user).count() == 2
    for client in (through_forms, directly):
        assert client.get(reverse("core:home")).status_code == 200
