"""First sign-in of a new account: the second factor is set up before anything else opens.

axe-core runs on every page this test loads (vigie/tests_support/browser.py).
"""

import base64
import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import expect

from vigie.accounts.models import BackupCode
from vigie.tests_support.browser import path_of, submit_main_form, submit_password
from vigie.tests_support.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_account_enrols_an_authenticator_and_receives_backup_codes(page, visit, axe_check):
    user = UserFactory(totp=False)
    visit(reverse("accounts:login"))
    submit_password(page, email=user.email, password=TEST_PASSWORD)

    assert path_of(page) == reverse("accounts:mfa_enrol")
    axe_check(page)
    expect(page.locator("figure.qr svg")).to_be_visible()
    secret = page.locator("code.secret").inner_text().strip()
    code = f"{totp(base64.b32decode(secret)):06d}"
    page.fill("input[name=token]", code)
    submit_main_form(page)
    axe_check(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Vos codes de secours")
    codes = re.findall(r"\b[A-Z2-9]{5}-[A-Z2-9]{5}\b", page.locator("main").inner_text())
    assert len(codes) == 10
    assert BackupCode.objects.filter(device__user=user).count() == 10
    visit(reverse("core:home"))
    assert path_of(page) == reverse("core:home")
