"""An outreach worker imports the team's ads in the browser (issue 10): a JSON file with a bad
phone is reported by item and column and nothing is written; the 50-ad file of the journey is
mapped from its French headers, checked, imported, and its two planted networks are recorded.
axe-core checks every page (vigie/tests_support/browser.py)."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from vigie.outreach.models import AdCluster, Advertisement
from vigie.tests_support.browser import path_of
from vigie.tests_support.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADS_50 = Path(__file__).parent / "data" / "ads_50.csv"
BAD_ITEMS = [
    {
        "site": "annonces-exemple.test",
        "url": "https://annonces-exemple.test/annonce/1",
        "first_seen_on": "2026-11-02",
        "text": "Annonce fictive, rencontre discrète, message d'abord",
        "phones": ["07 00 00 00 01"],
    },
    {
        "site": "annonces-exemple.test",
        "url": "https://annonces-exemple.test/annonce/2",
        "first_seen_on": "2026-11-02",
        "text": "Autre annonce fictive",
        "phones": ["pas un numéro"],
    },
]


def _send(page: Page, name: str, mime: str, content: bytes) -> None:
    page.set_input_files(
        "input[name=file]", files=[{"name": name, "mimeType": mime, "buffer": content}]
    )
    with page.expect_navigation():
        page.click("#import-upload-form button[type=submit]")


def _check_rows(page: Page) -> None:
    with page.expect_navigation():
        page.click("#mapping-form button[type=submit]")


def test_a_worker_imports_the_teams_ads(
    page: Page, visit, axe_check, browser_sign_in, allow_console_error
):
    allow_console_error("status of 422")  # a check finding problems answers 422
    worker = UserFactory(role="caseworker")
    browser_sign_in(worker)
    visit(reverse("imports:ads"))
    axe_check(page)

    # A JSON file whose second item has no phone number: named, nothing written.
    _send(page, "annonces.json", "application/json", json.dumps(BAD_ITEMS).encode())
    axe_check(page)
    expect(page.locator("select[name=column_phones]")).to_have_value("phones")
    _check_rows(page)
    axe_check(page)
    expect(page.locator("#import-errors tr[data-line='2'][data-column='phones']")).to_be_visible()
    expect(page.locator("#commit-form")).to_have_count(0)
    assert not Advertisement.objects.exists()

    # The journey's file: every column found from its French header, then imported.
    visit(reverse("imports:ads"))
    _send(page, "ads_50.csv", "text/csv", ADS_50.read_bytes())
    axe_check(page)
    expect(page.locator("select[name=column_image_hashes]")).to_have_value("Empreintes photos")
    expect(page.locator("select[name=column_first_seen_on]")).to_have_value("Vu le")
    _check_rows(page)
    axe_check(page)
    expect(page.locator("#import-preview[data-ok='true'][data-new='50']")).to_be_visible()
    with page.expect_navigation():
        page.click("#commit-form button[type=submit]")
    axe_check(page)
    expect(page.locator("#import-status[data-status='done']")).to_be_visible()
    expect(page.locator("#import-result dd[data-count='created']")).to_have_text("50")
    with page.expect_navigation():
        page.click("#import-result-link")
    axe_check(page)
    assert path_of(page) == reverse("outreach:ads")
    assert Advertisement.objects.filter(organisation=worker.organisation).count() == 50
    sizes = sorted(c.ads_count for c in AdCluster.objects.filter(organisation=worker.organisation))
    assert sizes == [4, 6]
