"""An analyst requests a release in the browser, follows its computation and reads its tables;
axe-core checks every page (vigie/tests_support/browser.py)."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from vigie.monitoring.models import Release, ReleaseStatus
from vigie.tests_support.browser import path_of, submit_main_form
from vigie.tests_support.factories import CaseFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _files() -> None:
    organisation = OrganisationFactory()
    CaseFactory._meta.model.objects.bulk_create(
        CaseFactory.build(organisation=organisation, reference=f"B-{i}", unaccompanied=i % 2 == 0)
        for i in range(120)
    )


def test_an_analyst_requests_a_release_and_reads_its_tables(
    page: Page, visit, axe_check, browser_sign_in
):
    _files()
    analyst = UserFactory(role="analyst")
    browser_sign_in(analyst)

    visit(reverse("monitoring:releases"))
    with page.expect_navigation():
        page.click(f"main a[href='{reverse('monitoring:release_create')}']")
    axe_check(page)
    assert path_of(page) == reverse("monitoring:release_create")
    page.fill("input[name=name]", "Bilan de démonstration")
    page.check("input[name=preset][value=custom]")
    page.fill("input[name=custom_tables]", "gender,unaccompanied; total")
    submit_main_form(page)  # the test settings compute the release at once
    axe_check(page)

    release = Release.objects.get()
    assert release.status == ReleaseStatus.PUBLISHED
    assert path_of(page) == reverse("monitoring:release_detail", args=[release.uuid])
    expect(page.locator("[data-status=published]")).to_be_visible()
    # Genders "other" and "not known" have no file: below the threshold, never a number.
    expect(page.locator("table td", has_text="< 11").first).to_be_visible()
    visit(reverse("monitoring:releases"))
    expect(page.locator(f"tr[data-release='{release.uuid}']")).to_be_visible()


def test_the_release_page_follows_a_computation_until_it_ends(
    page: Page, visit, axe_check, browser_sign_in
):
    analyst = UserFactory(role="analyst")
    release = Release.objects.create(
        name="En cours",
        epsilon=1,
        delta=1e-6,
        spec=[["gender"]],
        reference_date="2026-01-01",
        status=ReleaseStatus.RUNNING,
        progress=30,
        progress_step="Lecture des dossiers",
    )
    browser_sign_in(analyst)
    visit(reverse("monitoring:release_detail", args=[release.uuid]))
    expect(page.locator("progress#release-progress-bar")).to_have_attribute("value", "30")

    Release.objects.filter(pk=release.pk).update(progress=80)
    expect(page.locator("progress#release-progress-bar")).to_have_attribute(
        "value", "80", timeout=10_000
    )
    # Failed: the poll answers HX-Refresh and the page reloads with the error.
    Release.objects.filter(pk=release.pk).update(status=ReleaseStatus.FAILED)
    with page.expect_navigation(timeout=10_000):
        pass
    expect(page.locator("[data-status=failed]")).to_be_visible()
    axe_check(page)
