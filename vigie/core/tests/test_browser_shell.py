"""The page shell in a real browser: language, skip link, and the main pages of a case worker's day.

axe-core (WCAG 2.1 A and AA) runs on every page these tests load (vigie/tests_support/browser.py).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from vigie.tests_support.browser import path_of
from vigie.tests_support.factories import CaseFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_language(page, axe_check, code: str) -> None:
    page.select_option("select#language-select", code)
    with page.expect_navigation():
        page.click("form.lang-form button[type=submit]")
    axe_check(page)


def test_the_sign_in_page_is_in_french_by_default(page, visit):
    visit(reverse("accounts:login"))

    assert page.get_attribute("html", "lang") == "fr"
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter à Vigie")


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(page, visit):
    visit(reverse("accounts:login"))
    skip_link = page.locator("a.skip-link")
    # The sign-in form autofocuses the email field; "#top" puts the keyboard back at the top of
    # the document, where a keyboard user starts on every other page.
    page.evaluate("document.activeElement.blur(); location.hash = '#top'")

    page.keyboard.press("Tab")

    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_text("Aller au contenu principal")
    box = skip_link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "focused skip link is off-screen"
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()


def test_the_language_switch_goes_to_english_and_back(page, visit, axe_check):
    visit(reverse("accounts:login"))

    switch_language(page, axe_check, "en")
    assert path_of(page) == reverse("accounts:login")
    assert page.get_attribute("html", "lang") == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Vigie")
    # The choice is remembered, not only applied to one response.
    visit(reverse("accounts:login"))
    assert page.get_attribute("html", "lang") == "en"

    switch_language(page, axe_check, "fr")
    assert page.get_attribute("html", "lang") == "fr"
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter à Vigie")


def test_a_coordinator_goes_through_the_case_pages(
    page, visit, axe_check, browser_sign_in, org_a, org_b, case_a
):
    coordinator = UserFactory(role="coordinator", organisation=org_a, full_name="Claire Martin")
    other_org_case = CaseFactory(organisation=org_b)
    browser_sign_in(coordinator)

    visit(reverse("cases:list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossiers")
    expect(page.locator("main table")).to_contain_text(case_a.reference)
    expect(page.locator("main table")).not_to_contain_text(other_org_case.reference)

    with page.expect_navigation():
        page.get_by_role("link", name=case_a.reference).click()
    axe_check(page)
    assert path_of(page) == case_a.get_absolute_url()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case_a.reference)

    page.fill("textarea[name=text]", "Entretien avec l’éducatrice référente.")
    note_form = f"form[action='{reverse('cases:note_add', args=[case_a.uuid])}']"
    with page.expect_navigation():
        page.click(f"{note_form} button[type=submit]")
    axe_check(page)
    expect(page.locator("ul.timeline")).to_contain_text("Entretien avec l’éducatrice référente.")

    with page.expect_navigation():
        page.click(f"main a[href='{reverse('cases:access_log', args=[case_a.uuid])}']")
    axe_check(page)
    expect(page.locator("main table tbody")).to_contain_text("Claire Martin")

    visit(reverse("accounts:sessions"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(page.locator("main table tbody tr")).to_have_count(1)
