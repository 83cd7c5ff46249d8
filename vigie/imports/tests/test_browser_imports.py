"""A coordinator imports case files from a spreadsheet in the browser (issue 9, "Import"): a file
with one bad row is reported by line and column and nothing is written; the corrected file is
mapped with the mapping saved on the way, checked, imported, and its files are in the list; the
same file again is flagged and adds nothing. A second test follows a running import's progress
bar to its end. axe-core checks every page (vigie/tests_support/browser.py)."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from vigie.cases.models import Case
from vigie.imports.models import ImportJob, ImportStatus
from vigie.tests_support.browser import path_of
from vigie.tests_support.factories import UserFactory
from vigie.tests_support.factories_imports import CASES_HEADER, CASES_MAPPING, case_rows, csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = list(case_rows(5))
BAD_ROWS = [list(row) for row in ROWS]
# Line 4 of the file (the header is line 1): a 31 February.
BAD_ROWS[2][CASES_HEADER.index("Date de naissance")] = "31/02/2010"


def _send(page: Page, content: bytes) -> None:
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "dossiers.csv", "mimeType": "text/csv", "buffer": content}],
    )
    with page.expect_navigation():
        page.click("#import-upload-form button[type=submit]")


def _check_rows(page: Page) -> None:
    with page.expect_navigation():
        page.click("#mapping-form button[type=submit]")


def test_a_coordinator_imports_case_files_from_a_spreadsheet(
    page: Page, visit, axe_check, browser_sign_in, allow_console_error
):
    allow_console_error("status of 422")  # a check finding problems answers 422
    coordinator = UserFactory(role="coordinator")
    browser_sign_in(coordinator)

    # From the list of files to the import page.
    visit(reverse("cases:list"))
    with page.expect_navigation():
        page.click("#import-link-cases")
    axe_check(page)
    assert path_of(page) == reverse("imports:cases")

    # A file with a bad row: mapped (the columns are suggested from their names) and the
    # mapping saved on the way; the check names line 4, column "Date de naissance".
    _send(page, csv_bytes(BAD_ROWS))
    axe_check(page)
    expect(page.locator("select[name=column_first_name]")).to_have_value("Prénom")
    for field, header in CASES_MAPPING.items():
        page.select_option(f"select[name=column_{field}]", header)
    page.fill("input[name=mapping_name]", "Ancien tableur")
    _check_rows(page)
    axe_check(page)
    error = page.locator("#import-errors tr[data-line='4'][data-column='Date de naissance']")
    expect(error).to_be_visible()
    expect(page.locator("#import-preview[data-ok='false']")).to_be_visible()
    expect(page.locator("#commit-form")).to_have_count(0)
    assert not Case.objects.exists()

    # The corrected file, mapped with the saved mapping.
    with page.expect_navigation():
        page.click("main a[href='" + reverse("imports:cases") + "']")
    axe_check(page)
    _send(page, csv_bytes(ROWS))
    axe_check(page)
    page.select_option("select[name=modele]", label="Ancien tableur")
    with page.expect_navigation():
        page.click("#saved-mapping-form button[type=submit]")
    axe_check(page)
    expect(page.locator("select[name=column_external_id]")).to_have_value("Référence")
    _check_rows(page)
    axe_check(page)
    expect(page.locator("#import-preview[data-ok='true'][data-new='5']")).to_be_visible()
    expect(page.locator("#import-sample tbody tr")).to_have_count(5)

    # Imported (the test settings run the background job at once), then the result.
    with page.expect_navigation():
        page.click("#commit-form button[type=submit]")
    axe_check(page)
    expect(page.locator("#import-status[data-status='done']")).to_be_visible()
    expect(page.locator("#import-result dd[data-count='created']")).to_have_text("5")
    with page.expect_navigation():
        page.click("#import-result-link")
    axe_check(page)
    assert path_of(page) == reverse("cases:list")
    for case in Case.objects.all():
        expect(page.locator(f"main table a:text-is('{case.reference}')")).to_be_visible()
    assert Case.objects.count() == 5

    # The same file again: flagged, nothing new.
    visit(reverse("imports:cases"))
    expect(page.locator("#import-jobs tbody tr[data-status='done']")).to_have_count(1)
    _send(page, csv_bytes(ROWS))
    axe_check(page)
    page.select_option("select[name=modele]", label="Ancien tableur")
    with page.expect_navigation():
        page.click("#saved-mapping-form button[type=submit]")
    axe_check(page)
    _check_rows(page)
    axe_check(page)
    expect(page.locator("#import-previous")).to_be_visible()
    expect(page.locator("#import-preview[data-new='0'][data-duplicates='5']")).to_be_visible()
    assert Case.objects.count() == 5


def test_the_import_page_follows_the_progress_until_the_result(
    page: Page, visit, axe_check, browser_sign_in
):
    coordinator = UserFactory(role="coordinator")
    job = ImportJob.objects.create(
        organisation=coordinator.organisation,
        created_by=coordinator,
        target="cases",
        filename="dossiers.csv",
        file_sha256="0" * 64,
        status=ImportStatus.RUNNING,
        phase="checking",
        rows_total=100_000,
        rows_done=37_500,
    )
    browser_sign_in(coordinator)
    visit(reverse("imports:job", args=[job.uuid]))
    bar = page.locator("progress#import-progress-bar")
    expect(bar).to_have_attribute("value", "37500")
    expect(page.locator("#import-progress-text")).to_contain_text("37")

    ImportJob.objects.filter(pk=job.pk).update(rows_done=80_000)
    expect(bar).to_have_attribute("value", "80000", timeout=10_000)

    # Over: the poll answers HX-Refresh and the page reloads with the result.
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE, phase="", rows_done=100_000, created_count=100_000
    )
    with page.expect_navigation(timeout=10_000):
        pass
    axe_check(page)
    expect(page.locator("#import-status[data-status='done']")).to_be_visible()
    expect(page.locator("#import-result-link")).to_have_attribute("href", reverse("cases:list"))
