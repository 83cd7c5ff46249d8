"""Sessions: fixation, idle and absolute timeouts, revocation, and what ends them all (ASVS V7).

Also re-authentication before sensitive account pages and one-time backup codes (ASVS V6).
django-otp refuses a TOTP code twice in one 30-second step, so a test signing the same person in
twice moves the clock between the two sign-ins.
"""

import re
from datetime import timedelta
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vigie.accounts.models import BackupCode, UserSession, normalise_backup_code
from vigie.accounts.services import backup_codes_regenerate
from vigie.tests_support.auth import current_code, sign_in
from vigie.tests_support.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEXT_TOTP_STEP = timedelta(seconds=30)
BACKUP_CODE = re.compile(r"\b[A-Z2-9]{5}-[A-Z2-9]{5}\b")
NEW_PASSWORD = "un matin de printemps sur le canal"


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def assert_signed_in(client: Client) -> None:
    response = client.get(reverse("core:home"))
    assert response.status_code == 200


def assert_signed_out(client: Client) -> None:
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def session_is_usable(key: str) -> bool:
    """Whether the server would still load this session (present and not expired)."""
    return Session.objects.filter(session_key=key, expire_date__gt=timezone.now()).exists()


# --- Starting a session ---------------------------------------------------------------------


def test_signing_in_replaces_a_session_key_planted_before(clock):
    """Session fixation: a key known before sign-in must be worthless after it."""
    user = UserFactory()
    planted = SessionStore()
    planted["lang"] = "fr"
    planted.create()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key

    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    after_password = session_key(client)
    response = client.post(reverse("accounts:mfa_verify"), {"token": current_code(user)})
    assert response.status_code == 302
    after_second_factor = session_key(client)

    assert after_password != planted.session_key
    assert after_second_factor not in (planted.session_key, after_password)
    assert not Session.objects.filter(session_key=planted.session_key).exists()
    assert not session_is_usable(after_password)
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        after_second_factor
    ]
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    assert_signed_out(attacker)
    assert_signed_in(client)


# --- Timeouts -------------------------------------------------------------------------------


def test_an_idle_session_ends_after_30_minutes(clock, client_for):
    client = client_for(UserFactory())
    key = session_key(client)

    clock.shift(timedelta(minutes=29))
    assert_signed_in(client)  # activity restarts the idle clock
    clock.shift(timedelta(minutes=29))
    assert_signed_in(client)
    clock.shift(timedelta(minutes=31))

    assert_signed_out(client)
    assert not session_is_usable(key)
    assert SessionStore(session_key=key).load() == {}


def test_an_active_session_ends_after_12_hours(clock, client_for):
    client = client_for(UserFactory())
    key = session_key(client)

    elapsed = timedelta()
    while elapsed < timedelta(hours=12) - timedelta(minutes=20):
        clock.shift(timedelta(minutes=20))
        elapsed += timedelta(minutes=20)
        assert_signed_in(client)
    clock.shift(timedelta(hours=12) - elapsed + timedelta(minutes=1))

    assert_signed_out(client)
    assert not Session.objects.filter(session_key=key).exists()


def test_signing_out_ends_the_session_on_the_server(clock, client_for):
    user = UserFactory()
    client = client_for(user)
    stolen_cookie = session_key(client)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=stolen_cookie).exists()
    assert not UserSession.objects.filter(user=user).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen_cookie
    assert_signed_out(replay)


# --- Seeing and ending one's sessions --------------------------------------------------------


def test_the_sessions_page_lists_only_ones_own_sessions(clock, users):
    user = users[("caseworker", "a")]
    colleague = users[("caseworker", "b")]
    laptop = Client(HTTP_USER_AGENT="Laptop-Firefox/128")
    sign_in(laptop, user)
    colleague_client = Client(HTTP_USER_AGENT="Colleague-Chromium/130")
    sign_in(colleague_client, colleague)
    clock.shift(NEXT_TOTP_STEP)
    phone = Client(HTTP_USER_AGENT="Phone-Safari/17")
    sign_in(phone, user)

    response = laptop.get(reverse("accounts:sessions"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Laptop-Firefox/128" in page
    assert "Phone-Safari/17" in page
    assert "Colleague-Chromium/130" not in page
    phone_session = UserSession.objects.get(user=user, session_key=session_key(phone))
    laptop_session = UserSession.objects.get(user=user, session_key=session_key(laptop))
    assert reverse("accounts:session_revoke", args=[phone_session.pk]) in page
    # The current session is shown as such, not with a button to end it.
    assert reverse("accounts:session_revoke", args=[laptop_session.pk]) not in page


def test_ending_another_session_signs_that_device_out_at_once(clock, users):
    user = users[("caseworker", "a")]
    laptop = Client(HTTP_USER_AGENT="Laptop")
    sign_in(laptop, user)
    clock.shift(NEXT_TOTP_STEP)
    lost_phone = Client(HTTP_USER_AGENT="Lost phone")
    sign_in(lost_phone, user)
    assert_signed_in(lost_phone)
    lost_key = session_key(lost_phone)
    tracked = UserSession.objects.get(session_key=lost_key)

    response = laptop.post(reverse("accounts:session_revoke", args=[tracked.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sessions")
    assert_signed_out(lost_phone)
    assert not Session.objects.filter(session_key=lost_key).exists()
    assert not UserSession.objects.filter(pk=tracked.pk).exists()
    assert_signed_in(laptop)


def test_a_session_of_someone_else_cannot_be_ended(clock, users, client_for):
    intruder = client_for(users[("coordinator", "a")])
    victim_client = client_for(users[("caseworker", "a")])
    victim_session = UserSession.objects.get(session_key=session_key(victim_client))

    response = intruder.post(reverse("accounts:session_revoke", args=[victim_session.pk]))

    assert response.status_code == 404
    assert UserSession.objects.filter(pk=victim_session.pk).exists()
    assert_signed_in(victim_client)


# --- Events that end every session -----------------------------------------------------------


def test_changing_the_password_ends_every_session(clock, users):
    user = users[("caseworker", "a")]
    laptop = Client()
    sign_in(laptop, user)
    clock.shift(NEXT_TOTP_STEP)
    phone = Client()
    sign_in(phone, user)
    clock.shift(timedelta(minutes=2))

    response = laptop.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert_signed_out(laptop)
    assert_signed_out(phone)
    assert not UserSession.objects.filter(user=user).exists()
    clock.shift(NEXT_TOTP_STEP)
    sign_in(Client(), user, password=NEW_PASSWORD)


def test_a_refused_password_change_keeps_the_sessions(clock, users):
    user = users[("caseworker", "a")]
    laptop = Client()
    sign_in(laptop, user)

    response = laptop.post(
        reverse("accounts:password_change"),
        {"old_password": "not my password at all", "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 400
    assert_signed_in(laptop)
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_disabling_an_account_from_the_command_line_ends_its_sessions(clock, client_for):
    user = UserFactory()
    client = client_for(user)
    assert_signed_in(client)

    call_command("user", "disable", user.email.upper(), stdout=StringIO())

    assert_signed_out(client)
    user.refresh_from_db()
    assert not user.is_active
    assert user.disabled_at is not None
    assert not UserSession.objects.filter(user=user).exists()
    clock.shift(NEXT_TOTP_STEP)
    response = Client().post(
        reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200  # the sign-in form again, with an error


def test_an_organisation_administrator_disabling_an_account_ends_its_sessions(
    clock, users, client_for
):
    member = users[("caseworker", "a")]
    member_client = client_for(member)
    admin_client = client_for(users[("org_admin", "a")])

    response = admin_client.post(reverse("accounts:org_user_disable", args=[member.uuid]))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:org_users")
    assert_signed_out(member_client)
    member.refresh_from_db()
    assert not member.is_active
    assert not UserSession.objects.filter(user=member).exists()


def test_an_administrator_of_another_organisation_cannot_disable_an_account(
    clock, users, client_for
):
    member = users[("caseworker", "a")]
    member_client = client_for(member)
    other_admin = client_for(users[("org_admin", "b")])

    response = other_admin.post(reverse("accounts:org_user_disable", args=[member.uuid]))

    assert response.status_code == 404
    member.refresh_from_db()
    assert member.is_active
    assert_signed_in(member_client)


# --- Re-authentication and backup codes ---------------------------------------------------------


def test_backup_codes_need_a_fresh_password_and_code(clock, users, client_for):
    user = users[("caseworker", "a")]
    client = client_for(user)
    backup_codes_url = reverse("accounts:backup_codes")
    clock.shift(settings.REAUTH_MAX_AGE + timedelta(minutes=1))

    for response in (client.get(backup_codes_url), client.post(backup_codes_url)):
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == reverse("accounts:reauth")
        assert parse_qs(location.query)["next"] == [backup_codes_url]
    assert not BackupCode.objects.filter(device__user=user).exists()

    # The right code with a wrong password is not enough.
    response = client.post(
        reverse("accounts:reauth"),
        {"password": "wrong password", "token": current_code(user), "next": backup_codes_url},
    )
    assert response.status_code == 400
    assert client.get(backup_codes_url).status_code == 302

    clock.shift(NEXT_TOTP_STEP)
    response = client.post(
        reverse("accounts:reauth"),
        {"password": TEST_PASSWORD, "token": current_code(user), "next": backup_codes_url},
    )
    assert response.status_code == 302
    assert response["Location"] == backup_codes_url
    assert client.get(backup_codes_url).status_code == 200
    response = client.post(backup_codes_url)
    assert response.status_code == 200
    shown = BACKUP_CODE.findall(response.content.decode())
    assert len(set(shown)) == 10
    assert BackupCode.objects.filter(device__user=user, used_at__isnull=True).count() == 10


def test_backup_codes_are_stored_hashed_and_replace_the_previous_ones():
    user = UserFactory()
    first_codes = backup_codes_regenerate(user=user)

    codes = backup_codes_regenerate(user=user)

    stored = list(BackupCode.objects.filter(device__user=user))
    assert len(codes) == len(stored) == 10
    assert not set(codes) & set(first_codes)
    for row in stored:
        for code in codes:
            assert row.code_hash != code
            assert normalise_backup_code(code) not in row.code_hash
    for code in codes:
        assert sum(check_password(normalise_backup_code(code), r.code_hash) for r in stored) == 1
    for code in first_codes:
        assert not any(check_password(normalise_backup_code(code), r.code_hash) for r in stored)


def test_a_backup_code_signs_in_once_only(clock):
    user = UserFactory()
    code = backup_codes_regenerate(user=user)[3]
    first = Client()
    first.post(reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD})

    response = first.post(reverse("accounts:mfa_verify"), {"token": code.lower()})

    assert response.status_code == 302
    assert_signed_in(first)
    assert BackupCode.objects.filter(device__user=user, used_at__isnull=False).count() == 1

    clock.shift(timedelta(minutes=5))
    second = Client()
    second.post(reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD})
    response = second.post(reverse("accounts:mfa_verify"), {"token": code})

    assert response.status_code == 400
    assert "Ce code n’est pas valide. Vérifiez l’heure de votre appareil et réessayez." in (
        response.content.decode()
    )
    response = second.get(reverse("core:home"))
    assert response["Location"] == reverse("accounts:mfa_verify")
