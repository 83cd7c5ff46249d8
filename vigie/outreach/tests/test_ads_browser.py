"""A caseworker records an ad with a photo through the form, corrects a refused field, finds the
ad in the list and opens it (issue 10, "Advertisements recorded by the team"); axe-core checks
every page, the refused form included."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from vigie.outreach.forms_ads import AdForm
from vigie.outreach.models import Advertisement, IdentifierKind
from vigie.outreach.services.ads import ad_identifiers
from vigie.tests_support.browser import path_of, submit_main_form
from vigie.tests_support.factories import UserFactory
from vigie.tests_support.factories_ad_photos import photo_bytes
from vigie.tests_support.factories_outreach import ad_for_tests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _french(text: object) -> str:
    with translation.override("fr"):
        return str(text)


def _fill_ad(page: Page) -> None:
    page.fill("input[name=site]", "annonces-exemple.test")
    page.fill("input[name=url]", "https://annonces-exemple.test/annonce/navigateur")
    page.fill("input[name=first_seen_on]", "2026-11-20")
    page.fill("input[name=last_seen_on]", "2026-11-28")
    page.fill("textarea[name=text]", "Toute nouvelle, lycéenne, dispo après les cours")
    page.fill("input[name=declared_age]", "7")
    page.fill("input[name=city]", "Lille")
    page.fill("textarea[name=phones]", "07 00 31 41 59")
    page.fill("textarea[name=handles]", "snapchat:fictive_lea")
    page.check("input[name=worker_flags][value=photos_look_young]")
    page.set_input_files(
        "input[name=photos]",
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": photo_bytes(5)}],
    )


def test_a_caseworker_records_an_ad_with_a_photo_and_finds_it_in_the_list(
    page, visit, axe_check, browser_sign_in, allow_console_error
):
    # The refused form answers 422, which the browser reports.
    allow_console_error("status of 422")
    caseworker = UserFactory(role="caseworker")
    older = ad_for_tests(caseworker.organisation, declared_age=30)
    browser_sign_in(caseworker)

    visit(reverse("outreach:ads"))
    expect(page.locator(f"[data-ad='{older.uuid}']")).to_be_visible()
    with page.expect_navigation():
        page.click("[data-action=record-ad]")
    axe_check(page)
    expect(page.locator("#id_photos_helptext")).to_have_text(
        _french(AdForm.base_fields["photos"].help_text)
    )

    # A stated age of 7 is a typing error: refused by name, nothing saved.
    _fill_ad(page)
    submit_main_form(page)
    axe_check(page)
    expect(page.locator(".error-summary")).to_contain_text(
        _french(AdForm.base_fields["declared_age"].label)
    )
    assert (
        not Advertisement.objects.filter(organisation=caseworker.organisation)
        .exclude(pk=older.pk)
        .exists()
    )

    # The form comes back filled in, except the photo, which is sent again.
    page.fill("input[name=declared_age]", "16")
    page.set_input_files(
        "input[name=photos]",
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": photo_bytes(5)}],
    )
    submit_main_form(page)
    axe_check(page)
    ad = Advertisement.objects.exclude(pk=older.pk).get(organisation=caseworker.organisation)
    assert path_of(page) == reverse("outreach:ad_detail", kwargs={"ad_uuid": ad.uuid})
    fingerprints = ad_identifiers(ad)[IdentifierKind.IMAGE]
    assert len(fingerprints) == 1
    expect(page.locator("[data-fingerprint]")).to_have_text(fingerprints[0])
    expect(page.locator("[data-sign='declared_age.minor']")).to_be_visible()
    expect(page.locator("[data-sign='worker_judgement.photos_look_young']")).to_be_visible()
    expect(page.locator("[data-phone]")).to_have_text("+33700314159")

    visit(reverse("outreach:ads"))
    rows = page.locator("#ads tbody tr")
    # A declared minor comes before the adult seen more recently.
    expect(rows.first).to_have_attribute("data-ad", str(ad.uuid))
    page.fill("input[name=identifier]", "+33 7 00 31 41 59")
    submit_main_form(page)
    axe_check(page)
    expect(rows).to_have_count(1)
    with page.expect_navigation():
        page.click(f"[data-ad='{ad.uuid}'] th a")
    axe_check(page)
    with page.expect_navigation():
        page.click("[data-action=edit-ad]")
    axe_check(page)
    expect(page.locator("textarea[name=text]")).to_have_value(
        "Toute nouvelle, lycéenne, dispo après les cours"
    )
