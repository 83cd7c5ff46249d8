"""A coordinator imports the directory through the page (issue 6, "How it is judged"): a file
with a bad row is reported by line and column and nothing is written; the corrected file is
checked, then imported; then a caseworker's search by département and need finds the entry.
axe-core checks every page."""

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


def _import(page: Page, content: str, *, commit: bool) -> None:
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "annuaire.csv", "mimeType": "text/csv", "buffer": content.encode()}],
    )
    if commit:
        page.check("input[name=commit]")
    else:
        page.uncheck("input[name=commit]")
    with page.expect_navigation():
        page.click("#directory-import-form button[type=submit]")


def test_a_coordinator_imports_the_directory_and_a_caseworker_searches_it(
    page, visit, axe_check, browser_sign_in, allow_console_error
):
    allow_console_error("status of 422")  # the report of a bad file answers 422
    coordinator = UserFactory(role="coordinator")
    browser_sign_in(coordinator)

    # A file with a bad phone number on line 4: reported, nothing written.
    visit(reverse("network:directory_import"))
    _import(page, HEADER + GOOD_ROWS + BAD_ROW, commit=True)
    axe_check(page)
    error = page.locator("#import-errors tr[data-line='4'][data-column='phone']")
    expect(error).to_be_visible()
    assert not DirectoryEntry.objects.exists()

    # The corrected file: checked first (nothing written), then imported for real.
    _import(page, HEADER + GOOD_ROWS, commit=False)
    axe_check(page)
    expect(page.locator("#import-report[data-ok='true']")).to_be_visible()
    assert not DirectoryEntry.objects.exists()
    _import(page, HEADER + GOOD_ROWS, commit=True)
    axe_check(page)
    assert path_of(page) == reverse("network:directory")
    assert DirectoryEntry.objects.filter(maintained_by=coordinator.organisation).count() == 2

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
