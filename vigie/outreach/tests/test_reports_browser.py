"""A caseworker records a Pharos report about a network, looks at the evidence offer, and opens
a case file from one of its ads; axe-core checks every page (the forms with and without
errors)."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from vigie.cases.models import Case
from vigie.outreach.models import AuthorityReport
from vigie.tests_support.browser import path_of, submit_main_form
from vigie.tests_support.factories import UserFactory
from vigie.tests_support.factories_outreach import network_for_tests

# Pictures for a human review: VIGIE_SCREENSHOT_DIR=/tmp/shots
SCREENSHOT_DIR = os.environ.get("VIGIE_SCREENSHOT_DIR", "")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_reports_a_network_and_opens_a_case_from_an_ad(
    page, visit, axe_check, browser_sign_in, allow_console_error
):
    # The two forms are sent once wrong on purpose: their 422 answers are expected.
    allow_console_error("status of 422")
    caseworker = UserFactory(role="caseworker")
    ads = network_for_tests(caseworker.organisation, size=3, city="Lyon", declared_age=16)
    browser_sign_in(caseworker)
    network_url = reverse("outreach:cluster", kwargs={"ad_uuid": ads[0].uuid})

    visit(network_url)
    with page.expect_navigation():
        page.click("a[data-action=report-cluster]")
    axe_check(page)
    expect(page.locator("[data-reported] li")).to_have_count(3)
    # Nothing chosen: the form comes back with the field named.
    page.fill("input[name=reference]", "PHAROS-BROWSER-1")
    submit_main_form(page)
    axe_check(page)
    expect(page.locator("#id_recipient_error")).to_be_visible()
    if SCREENSHOT_DIR:
        page.screenshot(path=f"{SCREENSHOT_DIR}/report_form.png", full_page=True)
    page.select_option("select[name=recipient]", "pharos")
    submit_main_form(page)
    axe_check(page)
    assert path_of(page) == network_url
    expect(page.locator("[data-part=reports] [data-reports]")).to_contain_text("PHAROS-BROWSER-1")
    assert AuthorityReport.objects.get().ads.count() == 3

    with page.expect_navigation():
        page.click("a[data-action=evidence-cluster]")
    axe_check(page)
    expect(page.locator("[data-excluded]")).to_be_visible()

    visit(reverse("outreach:ad_detail", kwargs={"ad_uuid": ads[1].uuid}))
    expect(page.locator("[data-part=reports] [data-reports]")).to_contain_text("PHAROS-BROWSER-1")
    with page.expect_navigation():
        page.click("a[data-action=case-from-ad]")
    axe_check(page)
    expect(page.locator("input[name=departement]")).to_have_value("69")
    expect(page.locator("textarea[name=situation_note]")).to_contain_text(ads[1].reference)
    # A wrong nationality: named, nothing opened.
    page.fill("input[name=nationality]", "F")
    submit_main_form(page)
    axe_check(page)
    expect(page.locator("#id_nationality_error")).to_be_visible()
    assert not Case.objects.exists()
    page.fill("input[name=nationality]", "RO")
    submit_main_form(page)
    axe_check(page)
    case = Case.objects.get()
    assert path_of(page) == case.get_absolute_url()
    ads[1].refresh_from_db()
    assert ads[1].case == case

    visit(reverse("outreach:ad_detail", kwargs={"ad_uuid": ads[1].uuid}))
    expect(page.locator("a[data-action=see-case]")).to_contain_text(case.reference)
    if SCREENSHOT_DIR:
        page.screenshot(path=f"{SCREENSHOT_DIR}/ad_with_case.png", full_page=True)
