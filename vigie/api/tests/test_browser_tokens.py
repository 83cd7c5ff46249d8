"""A coordinator creates an API token from their account page, copies the secret shown once,
then revokes it; anyone reads the API's documentation page. axe-core checks every page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from vigie.api.models import ApiToken
from vigie.tests_support.api import api_client
from vigie.tests_support.browser import path_of, submit_main_form
from vigie.tests_support.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_coordinator_creates_a_token_sees_it_once_then_revokes_it(
    page, visit, axe_check, browser_sign_in, allow_console_error
):
    allow_console_error("status of 422")  # the form refused once
    coordinator = UserFactory(role="coordinator")
    browser_sign_in(coordinator)

    visit(reverse("accounts:sessions"))
    with page.expect_navigation():
        page.click(f"main a[href='{reverse('api_pages:list')}']")
    axe_check(page)
    with page.expect_navigation():
        page.click("#api-token-create-link")
    axe_check(page)  # signing in counts as a fresh re-authentication: the form, directly
    assert path_of(page) == reverse("api_pages:create")

    # No scope ticked: refused, the error on the scopes' group.
    page.fill("input[name=name]", "Logiciel du département 93")
    submit_main_form(page)
    axe_check(page)
    expect(page.locator("#id_scopes_error")).to_be_visible()
    assert not ApiToken.objects.exists()

    page.check("#id_scopes_cases_read")
    page.check("#id_scopes_places_write")
    expires_on = timezone.localdate() + timedelta(days=30)
    page.fill("input[name=expires_on]", expires_on.isoformat())
    submit_main_form(page)
    axe_check(page)
    secret = page.input_value("#api-token-secret")
    assert secret.startswith("vigie_")
    token = ApiToken.objects.get(user=coordinator)
    assert token.scopes == ["cases:read", "places:write"]
    assert api_client(secret).get("/api/v1/cases").status_code == 200

    with page.expect_navigation():
        page.click(f"main a[href='{reverse('api_pages:list')}']")
    axe_check(page)
    row = page.locator(f"#api-tokens tr[data-token='{token.uuid}']")
    expect(row).to_have_attribute("data-state", "active")
    expect(page.locator("main")).not_to_contain_text(secret)

    with page.expect_navigation():
        row.locator("a").click()
    axe_check(page)
    with page.expect_navigation():
        page.click("#api-token-revoke-form button[type=submit]")
    axe_check(page)
    expect(row).to_have_attribute("data-state", "revoked")
    assert api_client(secret).get("/api/v1/cases").status_code == 401


def test_the_api_documentation_is_public_and_accessible(page, visit):
    visit(reverse("api_docs"))
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("article[data-operation='POST /api/v1/cases']")).to_be_visible()
