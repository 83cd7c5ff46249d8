"""Exports in the browser: from the filtered case list to its spreadsheet, from a child's file to
its PDF, and the exports page; axe-core checks every page."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from vigie.audit.models import AuditAction, AuditEvent
from vigie.tests_support.browser import path_of
from vigie.tests_support.factories import CaseFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _download(page: Page, form: str) -> bytes:
    with page.expect_download() as download_info:
        page.click(f"{form} button[type=submit]")
    path = download_info.value.path()
    with open(path, "rb") as downloaded:
        return downloaded.read()


def test_a_coordinator_exports_the_filtered_list_and_a_childs_file(
    page, visit, axe_check, browser_sign_in
):
    coordinator = UserFactory(role="coordinator")
    organisation = coordinator.organisation
    begging = CaseFactory(
        organisation=organisation, reference="A-100", exploitation_forms=["forced_begging"]
    )
    CaseFactory(organisation=organisation, reference="A-200")
    CaseFactory(reference="B-300")  # another organisation's
    browser_sign_in(coordinator)

    # The exports page says what this coordinator may export.
    visit(reverse("cases:exports"))
    expect(page.locator("#export-htcds a")).to_have_attribute("href", reverse("monitoring:htcds"))

    # From the list filtered on forced begging, its export carries the filter.
    visit(f"{reverse('cases:list')}?exploitation_form=forced_begging")
    with page.expect_navigation():
        page.locator("#case-list-exports a").first.click()
    axe_check(page)
    assert path_of(page) == reverse("cases:list_export")
    expect(page.locator("#export-count")).to_contain_text("1")
    page.check("input[name=export_format][value=xlsx]")
    page.check("input[name=identities][value=identities]")
    content = _download(page, "#case-list-export-form")
    sheet = load_workbook(io.BytesIO(content)).active
    references = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert references == ["A-100"]
    event = AuditEvent.objects.get(action=AuditAction.CASE_LIST_EXPORT)
    assert event.reason_code == "identities"

    # A child's full file, from its page.
    visit(begging.get_absolute_url())
    with page.expect_navigation():
        page.locator("a[data-action=file-export]").click()
    axe_check(page)
    page.check("input[name=purpose][value=transfer]")
    page.check("input[name=language][value=en]")
    content = _download(page, "#case-file-export-form")
    assert content.startswith(b"%PDF-")
    event = AuditEvent.objects.get(action=AuditAction.CASE_FILE_EXPORT)
    assert event.reason_code == "transfer"
    assert event.object_uuids == [str(begging.uuid)]


def test_the_form_pages_show_their_errors_accessibly(
    page, visit, axe_check, browser_sign_in, allow_console_error
):
    allow_console_error("status of 422")  # the form comes back as 422 Unprocessable Content
    caseworker = UserFactory(role="caseworker")
    case = CaseFactory(organisation=caseworker.organisation)
    browser_sign_in(caseworker)

    visit(reverse("cases:file_export", kwargs={"case_uuid": case.uuid}))
    # No purpose chosen: the page comes back with the error next to the choices.
    with page.expect_navigation():
        page.click("#case-file-export-form button[type=submit]")
    axe_check(page)
    expect(page.locator("#id_purpose_error")).to_be_visible()
    expect(page.locator("#export-form-errors a[href='#id_purpose_0']")).to_be_visible()
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_FILE_EXPORT).exists()
