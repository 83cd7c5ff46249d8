"""A coordinator imports the directory through the import pages (issue 6, "How it is judged"; the
journey of vigie/imports since issue 9, the former page's address leading there): a file with a
bad row is reported by line and column and nothing is written; the corrected file is checked,
then imported; then a caseworker's search by département and need finds the entry. axe-core
checks every page."""

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from vigie.network.models import DirectoryEntry
from vigie.tests_support.browser import path_of
from vigie.tests_support.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "name;kind;departement;needs;role;hours;phone;email;address\n"
GOOD_ROWS = (
    "Fictif — UAPED de Saint-Denis;uaped;93;health|psychological;Accueil pédiatrique;24 h/24;"
    "01 99 00 00 01;uaped93@example.org;\n"
    "Fictif — 115 de Marseille;siao;13;accommodation;Hébergement d'urgence;24 h/24;"
    "04 65 71 00 01;;\n"
)
BAD_ROW = "Fictif — CJC;addiction_youth;93;addiction;;;01 23;;\n"


def _send(page: Page, content: str, axe_check: Callable[[Page], None]) -> None:
    """Upload the file, then check it with the columns the mapping page suggests (the file's
    column names are the fields' own)."""
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "annuaire.csv", "mimeType": "text/csv", "buffer": content.encode()}],
    )
    with page.expect_navigation():
        page.click("#import-upload-form button[type=submit]")
    axe_check(page)
    expect(page.locator("select[name=column_phone]")).to_have_value("phone")
    with page.expect_navigation():
        page.click("#mapping-form button[type=submit]")


def test_a_coordinator_imports_the_directory_and_a_caseworker_searches_it(
    page, visit, axe_check, browser_sign_in, allow_console_error
):
    allow_console_error("status of 422")  # the check of a bad file answers 422
    coordinator = UserFactory(role="coordinator")
    browser_sign_in(coordinator)

    # The former import page's address (a bookmark) leads to the import journey.
    visit(reverse("network:directory_import"))
    assert path_of(page) == reverse("imports:directory")
    axe_check(page)

    # A file with a bad phone number on line 4: reported, nothing written.
    _send(page, HEADER + GOOD_ROWS + BAD_ROW, axe_check)
    axe_check(page)
    error = page.locator("#import-errors tr[data-line='4'][data-column='phone']")
    expect(error).to_be_visible()
    expect(page.locator("#import-preview[data-ok='false']")).to_be_visible()
    expect(page.locator("#commit-form")).to_have_count(0)
    assert not DirectoryEntry.objects.exists()

    # The corrected file: checked first (nothing written), then imported for real (the test
    # settings run the background job at once), and the result leads to the directory.
    with page.expect_navigation():
        page.click("main a[href='" + reverse("imports:directory") + "']")
    axe_check(page)
    _send(page, HEADER + GOOD_ROWS, axe_check)
    axe_check(page)
    expect(page.locator("#import-preview[data-ok='true'][data-new='2']")).to_be_visible()
    assert not DirectoryEntry.objects.exists()
    with page.expect_navigation():
        page.click("#commit-form button[type=submit]")
    axe_check(page)
    expect(page.locator("#import-status[data-status='done']")).to_be_visible()
    expect(page.locator("#import-result dd[data-count='created']")).to_have_text("2")
    assert DirectoryEntry.objects.filter(maintained_by=coordinator.organisation).count() == 2
    with page.expect_navigation():
        page.click("#import-result-link")
    axe_check(page)
    assert path_of(page) == reverse("network:directory")

    # Another organisation's caseworker looks for health care in Seine-Saint-Denis.
    page.context.clear_cookies()
    browser_sign_in(UserFactory(role="caseworker"))
    visit(reverse("network:directory"))
    page.select_option("select[name=departement]", "93")
    page.select_option("select[name=need]", "health")
    with page.expect_navigation():
        page.click("#directory-search button[type=submit]")
    axe_check(page)
    rows = page.locator("#directory-results tbody tr[data-entry]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Fictif — UAPED de Saint-Denis")
    expect(rows.first.locator("a[href='tel:+33199000001']")).to_have_text("01 99 00 00 01")
