"""Issue 10's journey, as an outreach caseworker lives it: import the team's 50 ads, see the two
planted networks grouped, open one, write to a person with a template and log it, report the
network to Pharos, then open a case file from the ad when the contact leads to support.
axe-core checks every page on the way (vigie/tests_support/browser.py)."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from vigie.audit.models import AuditAction, AuditEvent
from vigie.cases.models import Case
from vigie.outreach.models import (
    AdCluster,
    AdContact,
    Advertisement,
    AuthorityReport,
    ContactTemplate,
    OutreachSettings,
)
from vigie.tests_support.browser import path_of, submit_main_form
from vigie.tests_support.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADS_50 = Path(__file__).parent / "data" / "ads_50.csv"


def _click(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _import_the_file(page: Page, visit, axe_check) -> None:
    visit(reverse("core:home"))
    _click(page, f"nav a[href='{reverse('outreach:ads')}']")
    axe_check(page)
    _click(page, f"a[href='{reverse('imports:ads')}']")
    axe_check(page)
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "ads_50.csv", "mimeType": "text/csv", "buffer": ADS_50.read_bytes()}],
    )
    _click(page, "#import-upload-form button[type=submit]")
    axe_check(page)
    _click(page, "#mapping-form button[type=submit]")
    axe_check(page)
    expect(page.locator("#import-preview[data-ok='true'][data-new='50']")).to_be_visible()
    _click(page, "#commit-form button[type=submit]")
    axe_check(page)
    expect(page.locator("#import-status[data-status='done']")).to_be_visible()
    _click(page, "#import-result-link")
    axe_check(page)


def test_import_cluster_contact_report_and_open_a_case_from_an_ad(
    page: Page, visit, axe_check, browser_sign_in, allow_console_error
):
    allow_console_error("status of 422")
    worker = UserFactory(role="caseworker")
    organisation = worker.organisation
    OutreachSettings.objects.create(organisation=organisation, hotline="+33140205050")
    browser_sign_in(worker)

    # 1. Import the 50 ads.
    _import_the_file(page, visit, axe_check)
    assert path_of(page) == reverse("outreach:ads")
    assert Advertisement.objects.filter(organisation=organisation).count() == 50

    # 2. The two planted networks, and only them, are listed.
    _click(page, f"a[href='{reverse('outreach:clusters')}']")
    axe_check(page)
    rows = page.locator("[data-cluster]")
    expect(rows).to_have_count(2)
    expect(page.locator("[data-cluster][data-ads='6']")).to_have_count(1)
    expect(page.locator("[data-cluster][data-ads='4']")).to_have_count(1)

    # 3. Open the network of six: its graph and its table show the six ads.
    _click(page, "[data-cluster][data-ads='6'] a")
    axe_check(page)
    network_url = path_of(page)
    cluster = AdCluster.objects.get(organisation=organisation, ads_count=6)
    members = list(Advertisement.objects.filter(cluster=cluster).order_by("pk"))
    expect(page.locator("svg [data-layer=nodes] [data-ad]")).to_have_count(6)
    for ad in members:
        expect(page.locator(f"tr[data-ad='{ad.uuid}']")).to_have_count(1)

    # 4. Write to the person behind one ad with the French template, then log it.
    ad = members[0]
    _click(page, f"tr[data-ad='{ad.uuid}'] a[href='{ad_url(ad)}']")
    axe_check(page)
    _click(page, "a[data-action=log-contact]")
    axe_check(page)
    template = ContactTemplate.objects.get(
        organisation=organisation, language="fr", name="Premier message"
    )
    page.select_option("#template-choice select[name=template]", str(template.uuid))
    _click(page, "button[data-action=show-message]")
    axe_check(page)
    expect(page.locator("textarea[name=message]")).to_contain_text("+33 1 40 20 50 50")
    page.select_option("select[name=channel]", "whatsapp")
    page.fill("input[name=contacted_on]", timezone.localdate().isoformat())
    page.select_option("select[name=answer]", "accepted_support")
    page.fill("input[name=next_step]", "Rendez-vous à l'accueil de jour")
    _click(page, "button[data-action=log-contact]")
    axe_check(page)
    assert path_of(page) == ad_url(ad)
    contact = AdContact.objects.get(ad=ad)
    assert contact.template == template and "+33 1 40 20 50 50" in contact.message
    expect(page.locator(f"[data-contact='{contact.uuid}']")).to_be_visible()

    # 5. Report the whole network to Pharos, with the reference Pharos gave.
    visit(network_url)
    _click(page, "a[data-action=report-cluster]")
    axe_check(page)
    page.select_option("select[name=recipient]", "pharos")
    page.fill("input[name=reference]", "PHAROS-2026-JOURNEY")
    submit_main_form(page)
    axe_check(page)
    assert path_of(page) == network_url
    expect(page.locator("[data-part=reports] [data-reports]")).to_contain_text(
        "PHAROS-2026-JOURNEY"
    )
    report = AuthorityReport.objects.get(organisation=organisation)
    assert set(report.ads.all()) == set(members)

    # 6. The contact led to support: open a case file from the ad, prefilled.
    visit(ad_url(ad))
    _click(page, "a[data-action=case-from-ad]")
    axe_check(page)
    expect(page.locator("textarea[name=situation_note]")).to_contain_text(ad.reference)
    page.fill("input[name=nationality]", "RO")
    submit_main_form(page)
    axe_check(page)
    case = Case.objects.get(organisation=organisation)
    assert path_of(page) == case.get_absolute_url()
    ad.refresh_from_db()
    assert ad.case == case and case.referral_source == "outreach"
    visit(ad_url(ad))
    expect(page.locator("a[data-action=see-case]")).to_contain_text(case.reference)

    # Every step left its trace.
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        AuditAction.OUTREACH_AD_IMPORT,
        AuditAction.OUTREACH_CLUSTER_VIEW,
        AuditAction.OUTREACH_CONTACT_LOG,
        AuditAction.OUTREACH_REPORT_RECORD,
        AuditAction.OUTREACH_CASE_OPEN,
    } <= actions


def ad_url(ad: Advertisement) -> str:
    return reverse("outreach:ad_detail", kwargs={"ad_uuid": ad.uuid})
