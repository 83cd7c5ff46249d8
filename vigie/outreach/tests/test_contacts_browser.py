"""A coordinator sets the hotline and adapts a Romanian template; a caseworker shows it for an ad,
copies it and logs the contact (issue 10, contact log). axe-core checks every page, the forms
with and without errors."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from vigie.outreach.models import AdContact, ContactTemplate
from vigie.tests_support.browser import path_of, submit_main_form
from vigie.tests_support.factories import UserFactory
from vigie.tests_support.factories_outreach import ad_for_tests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_template_is_adapted_then_used_to_log_a_contact(
    page, visit, axe_check, browser_sign_in, allow_console_error
):
    # The refused forms answer 422, as they should.
    allow_console_error("status of 422")
    coordinator = UserFactory(role="coordinator")
    caseworker = UserFactory(role="caseworker", organisation=coordinator.organisation)
    ad = ad_for_tests(coordinator.organisation, pseudonyms=["Lina"])
    browser_sign_in(coordinator)

    # The list: every language, Arabic right to left.
    visit(reverse("outreach:templates"))
    expect(page.locator("[data-language=ar] td p[dir=rtl][lang=ar]")).to_have_count(2)

    # The hotline, refused then saved.
    with page.expect_navigation():
        page.click("a[data-action=settings]")
    axe_check(page)
    page.fill("input[name=hotline]", "12")
    submit_main_form(page)
    axe_check(page)
    expect(page.locator("#id_hotline_error")).to_be_visible()
    page.fill("input[name=hotline]", "01 40 20 50 50")
    page.fill("input[name=signature]", "Camille")
    submit_main_form(page)
    axe_check(page)
    assert path_of(page) == reverse("outreach:templates")
    expect(page.locator("[data-hotline]")).to_contain_text("+33 1 40 20 50 50")

    # The Romanian first message, edited: a typo in a variable is refused, then corrected.
    romanian = ContactTemplate.objects.get(
        organisation=coordinator.organisation, language="ro", name="Premier message"
    )
    with page.expect_navigation():
        page.click(f"[data-template='{romanian.uuid}'] a[data-action=edit-template]")
    axe_check(page)
    page.fill("textarea[name=body]", "Bună ziua, {pseudonym}! Sunați la {hotlin}.")
    submit_main_form(page)
    axe_check(page)
    expect(page.locator("#id_body_error")).to_contain_text("{hotlin}")
    page.fill("textarea[name=body]", "Bună ziua, {pseudonym}! Sunați la {hotline}. {signature}")
    submit_main_form(page)
    axe_check(page)
    assert path_of(page) == reverse("outreach:templates")

    # The caseworker shows the message for the ad, then logs the contact.
    page.context.clear_cookies()
    browser_sign_in(caseworker)
    visit(reverse("outreach:contact_create", kwargs={"ad_uuid": ad.uuid}))
    page.select_option("#template-choice select[name=template]", str(romanian.uuid))
    with page.expect_navigation():
        page.click("button[data-action=show-message]")
    axe_check(page)
    message = page.locator("textarea[name=message]")
    expect(message).to_have_value("Bună ziua, Lina! Sunați la +33 1 40 20 50 50. Camille")
    expect(message).to_have_attribute("lang", "ro")
    page.select_option("select[name=channel]", "whatsapp")

    page.fill("input[name=contacted_on]", "2999-01-01")
    with page.expect_navigation():
        page.click("button[data-action=log-contact]")
    axe_check(page)
    expect(page.locator("#id_contacted_on_error")).to_be_visible()
    page.fill("input[name=contacted_on]", timezone.localdate().isoformat())
    page.fill("input[name=next_step]", "Relancer par Snapchat")
    with page.expect_navigation():
        page.click("button[data-action=log-contact]")
    axe_check(page)
    assert path_of(page) == reverse("outreach:ad_detail", kwargs={"ad_uuid": ad.uuid})
    contact = AdContact.objects.get(ad=ad)
    assert contact.template == romanian
    row = page.locator(f"[data-contact='{contact.uuid}']")
    expect(row).to_contain_text("Premier message")
    expect(row).to_contain_text("Relancer par Snapchat")
