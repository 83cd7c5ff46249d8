"""Security keys and passkeys (WebAuthn) as a second factor, with Chromium's virtual authenticator.

axe-core runs on every page these tests load (vigie/tests_support/browser.py).
"""

import pytest
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from vigie.audit.models import AuditEvent
from vigie.tests_support.browser import path_of, submit_password
from vigie.tests_support.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_virtual_authenticator(page) -> None:
    """A platform authenticator that always says yes, as Chrome DevTools offers for testing."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_security_key_is_added_then_replaces_the_code_at_sign_in(
    page, visit, axe_check, browser_sign_in
):
    user = UserFactory(full_name="Nadia Ferhat")
    add_virtual_authenticator(page)
    browser_sign_in(user)
    changes_before = AuditEvent.objects.filter(action="user.credentials_change").count()

    visit(reverse("accounts:security_keys"))
    expect(page.locator("tbody")).to_contain_text("Aucune clé de sécurité")
    with page.expect_navigation():  # the page reloads once the key is registered
        page.click("#passkey-register-button")
    axe_check(page)

    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).not_to_contain_text("Aucune clé de sécurité")
    assert WebAuthnCredential.objects.filter(user=user, confirmed=True).count() == 1
    assert AuditEvent.objects.filter(action="user.credentials_change").count() == changes_before + 1

    # Sign out, then in again: password first, then the key instead of the code.
    with page.expect_navigation():
        page.click(f"header form[action='{reverse('accounts:logout')}'] button")
    axe_check(page)
    submit_password(page, email=user.email, password=TEST_PASSWORD)
    assert path_of(page) == reverse("accounts:mfa_verify")
    axe_check(page)
    with page.expect_navigation():
        page.click("#passkey-verification-button")
    axe_check(page)

    assert path_of(page) == reverse("core:home")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue, Nadia Ferhat")
    assert WebAuthnCredential.objects.get(user=user).last_used_at is not None


def test_the_login_page_offers_no_key_sign_in_without_a_password(page, visit):
    # Passwordless sign-in is off (the authorisation matrix checks the endpoints themselves).
    visit(reverse("accounts:login"))
    expect(page.locator("#passkey-verification-button")).to_have_count(0)
    expect(page.locator("input[name=password]")).to_be_visible()
