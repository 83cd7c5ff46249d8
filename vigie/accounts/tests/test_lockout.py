"""Sign-in defences: account lockout (django-axes), the password policy when an account is created
from the command line, the set-password link, and the development-only `vigie otp-code`.

Lockout is per account (5 failures, 30 minutes) and answers an unknown email exactly as a known
one, so that the sign-in page never confirms whether someone has an account (ASVS 6.3.8).
"""

import re
import sys
from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse

from vigie.accounts.models import User
from vigie.audit.models import AuditAction, AuditEvent
from vigie.tests_support.auth import current_code, sign_in
from vigie.tests_support.factories import TEST_PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

WRONG_PASSWORD_FR = "Adresse électronique ou mot de passe incorrect."
LOCKED_FR = "Trop de tentatives échouées : ce compte est bloqué pendant 30 minutes."
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
STRONG_PASSWORD = "la marée monte doucement à Saint-Malo"


def attempt(client: Client, email: str, password: str):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def page_without_csrf(response) -> str:
    return CSRF_INPUT.sub("", response.content.decode())


# --- Lockout --------------------------------------------------------------------------------


def test_wrong_password_and_unknown_email_get_the_same_answer():
    user = UserFactory(email="known@example.org")

    wrong_password = attempt(Client(), "known@example.org", "not the password")
    unknown_email = attempt(Client(), "nobody@example.org", "not the password")

    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert WRONG_PASSWORD_FR in response.content.decode()
    assert page_without_csrf(wrong_password).replace(user.email, "") == page_without_csrf(
        unknown_email
    ).replace("nobody@example.org", "")


def test_five_failures_lock_the_account_even_for_the_right_password(clock):
    user = UserFactory()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, user.email, "not the password")
        assert response.status_code == 200
        assert WRONG_PASSWORD_FR in response.content.decode()
    fifth = attempt(client, user.email, "not the password")
    assert fifth.status_code == 429

    response = attempt(client, user.email, TEST_PASSWORD)

    assert response.status_code == 429
    assert LOCKED_FR in response.content.decode()
    assert reverse("accounts:mfa_verify") not in response.get("Location", "")
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_lockout_is_per_account_not_per_address(clock):
    locked = UserFactory()
    colleague = UserFactory()
    client = Client()  # the same IP address for both, as behind an office NAT
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, locked.email, "not the password")

    assert attempt(client, locked.email, TEST_PASSWORD).status_code == 429
    sign_in(Client(), colleague)


def test_an_unknown_email_is_locked_out_exactly_like_a_known_one(clock):
    user = UserFactory()
    for email in (user.email, "nobody@example.org"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(Client(), email, "not the password")

    known = attempt(Client(), user.email, TEST_PASSWORD)
    unknown = attempt(Client(), "nobody@example.org", TEST_PASSWORD)

    assert known.status_code == unknown.status_code == 429
    assert LOCKED_FR in known.content.decode()
    assert page_without_csrf(known) == page_without_csrf(unknown)


def test_the_lockout_ends_after_30_minutes(clock):
    # Two accounts locked at the same moment: an attempt during the lockout restarts its 30
    # minutes (django-axes' AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so one account shows
    # the lockout still holds at 29 minutes and the other, untouched, that it ends at 30.
    probed, waited = UserFactory(), UserFactory()
    for user in (probed, waited):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(Client(), user.email, "not the password")
        assert attempt(Client(), user.email, TEST_PASSWORD).status_code == 429

    clock.shift(timedelta(minutes=29))
    assert attempt(Client(), probed.email, TEST_PASSWORD).status_code == 429
    clock.shift(timedelta(minutes=1, seconds=30))

    client = Client()
    sign_in(client, waited)
    assert client.get(reverse("core:home")).status_code == 200


# --- Creating accounts from the command line --------------------------------------------------


def test_user_create_with_a_password_from_standard_input(monkeypatch):
    organisation = OrganisationFactory(name="Association Relais 93")
    monkeypatch.setattr(sys, "stdin", StringIO(STRONG_PASSWORD + "\n"))
    stdout = StringIO()

    call_command(
        "user",
        "create",
        "Nadia.Benali@Example.org",
        "--org",
        "Association Relais 93",
        "--role",
        "caseworker",
        "--name",
        "Nadia Benali",
        "--password-stdin",
        stdout=stdout,
    )

    user = User.objects.get(email="nadia.benali@example.org")
    assert (user.organisation, user.role, user.full_name) == (
        organisation,
        "caseworker",
        "Nadia Benali",
    )
    assert user.check_password(STRONG_PASSWORD)
    assert STRONG_PASSWORD not in user.password
    assert STRONG_PASSWORD not in stdout.getvalue()
    assert AuditEvent.objects.filter(
        action=AuditAction.USER_CREATE, object_uuids=[str(user.uuid)]
    ).exists()
    # The password alone opens nothing: a new account must first enrol a second factor.
    client = Client()
    response = attempt(client, user.email, STRONG_PASSWORD)
    assert response.status_code == 302
    response = client.get(reverse("core:home"))
    assert response["Location"] == reverse("accounts:mfa_enrol")


@pytest.mark.parametrize("weak", ["azerty123456", "court", "123456789012345"])
def test_user_create_refuses_a_weak_password(monkeypatch, weak):
    OrganisationFactory(name="Association Relais 93")
    monkeypatch.setattr(sys, "stdin", StringIO(weak + "\n"))

    with pytest.raises(CommandError, match=r"^password: "):
        call_command(
            "user",
            "create",
            "weak@example.org",
            "--org",
            "Association Relais 93",
            "--role",
            "caseworker",
            "--name",
            "Weak Password",
            "--password-stdin",
            stdout=StringIO(),
        )

    assert not User.objects.filter(email="weak@example.org").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.USER_CREATE).exists()


def test_user_create_with_a_link_emails_a_single_use_set_password_page():
    OrganisationFactory(name="Association Relais 93")

    call_command(
        "user",
        "create",
        "link@example.org",
        "--org",
        "Association Relais 93",
        "--role",
        "coordinator",
        "--name",
        "Link Person",
        "--send-link",
        stdout=StringIO(),
    )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["link@example.org"]
    links = re.findall(r"https?://\S+", message.body)
    assert len(links) == 1
    path = urlsplit(links[0]).path
    user = User.objects.get(email="link@example.org")
    assert not user.has_usable_password()

    client = Client()
    assert client.get(path).status_code == 200
    response = client.post(path, {"new_password": STRONG_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    user.refresh_from_db()
    assert user.check_password(STRONG_PASSWORD)
    # The link dies with its first use.
    assert Client().get(path).status_code == 404


def test_a_tampered_set_password_link_is_refused():
    user = UserFactory()
    path = reverse("accounts:set_password", kwargs={"uidb64": "MQ", "token": "abc-123"})

    response = Client().post(path, {"new_password": STRONG_PASSWORD})

    assert response.status_code == 404
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_user_create_for_an_unknown_organisation_is_refused(monkeypatch):
    monkeypatch.setattr(sys, "stdin", StringIO(STRONG_PASSWORD + "\n"))

    with pytest.raises(CommandError, match=r"^org: "):
        call_command(
            "user",
            "create",
            "orphan@example.org",
            "--org",
            "No Such Organisation",
            "--role",
            "caseworker",
            "--name",
            "Orphan",
            "--password-stdin",
            stdout=StringIO(),
        )
    assert not User.objects.filter(email="orphan@example.org").exists()


# --- The development-only otp-code command -------------------------------------------------------


def test_otp_code_prints_the_current_code_in_development_settings(clock):
    user = UserFactory()
    stdout = StringIO()

    call_command("otp-code", user.email, stdout=stdout)

    assert stdout.getvalue().strip() == current_code(user)


@override_settings(VIGIE_ALLOW_OTP_CODE_COMMAND=False)
def test_otp_code_is_refused_outside_development_settings():
    user = UserFactory()
    stdout = StringIO()

    with pytest.raises(CommandError, match="refused"):
        call_command("otp-code", user.email, stdout=stdout)

    assert stdout.getvalue() == ""


def test_otp_code_is_off_unless_a_settings_module_turns_it_on():
    from vigie.config.settings import base

    assert not getattr(base, "VIGIE_ALLOW_OTP_CODE_COMMAND", False)
