"""Signing in through the real pages in a browser: password, second factor, lockout, idle timeout.

axe-core (WCAG 2.1 A and AA) runs on every page these tests load (vigie/tests_support/browser.py).
"""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from vigie.tests_support.auth import current_code
from vigie.tests_support.browser import path_of, submit_main_form, submit_password
from vigie.tests_support.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def plain_spaces(text: str) -> str:
    """French typography puts a (narrow) no-break space before « : »; compare words, not spaces."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def test_password_and_totp_lead_to_the_home_page(page, browser_sign_in):
    user = UserFactory(full_name="Claire Martin")

    browser_sign_in(user)

    assert path_of(page) == reverse("core:home")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue, Claire Martin")
    expect(page.get_by_role("navigation")).to_contain_text("Mon compte")


def test_a_wrong_totp_code_is_refused_in_french(page, visit, axe_check, allow_console_error):
    user = UserFactory()
    visit(reverse("accounts:login"))
    submit_password(page, email=user.email, password=TEST_PASSWORD)
    assert path_of(page) == reverse("accounts:mfa_verify")
    axe_check(page)
    allow_console_error("status of 400")
    wrong = f"{(int(current_code(user)) + 1) % 1_000_000:06d}"

    page.fill("input[name=token]", wrong)
    submit_main_form(page)

    axe_check(page)
    assert path_of(page) == reverse("accounts:mfa_verify")
    expect(page.locator("main p.error")).to_have_text(
        "Ce code n’est pas valide. Vérifiez l’heure de votre appareil et réessayez."
    )
    # The password alone opens nothing: the home page sends back to the second step.
    visit(reverse("core:home"))
    assert path_of(page) == reverse("accounts:mfa_verify")


def test_five_wrong_passwords_lock_the_account(page, visit, axe_check, allow_console_error):
    user = UserFactory()
    allow_console_error("status of 429")
    visit(reverse("accounts:login"))
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        submit_password(page, email=user.email, password="not the password at all")
        axe_check(page)

    # Even the right password is now refused.
    submit_password(page, email=user.email, password=TEST_PASSWORD)
    axe_check(page)

    assert path_of(page) == reverse("accounts:login")
    summary = plain_spaces(page.locator("main .error-summary").inner_text())
    assert summary.startswith(
        "Trop de tentatives échouées : ce compte est bloqué pendant 30 minutes."
    ), summary
    visit(reverse("core:home"))
    assert path_of(page) == reverse("accounts:login")


def test_the_session_ends_after_30_idle_minutes(page, axe_check, browser_sign_in):
    user = UserFactory(full_name="Claire Martin")
    browser_sign_in(user)
    home = page.get_by_role("heading", level=1)

    # The live server is a thread of this process: travelling moves its clock too.
    with time_machine.travel(timezone.now() + timedelta(minutes=29)) as traveller:
        page.reload()
        axe_check(page)
        # Activity slides the idle timeout forward...
        expect(home).to_have_text("Bienvenue, Claire Martin")

        traveller.shift(timedelta(minutes=31))
        page.reload()
        axe_check(page)

    # ...and 31 minutes without any ends the session.
    assert path_of(page) == reverse("accounts:login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter à Vigie")
