"""An analyst searches the tracker, opens a seed recommendation, records an assessment and a
measure, and reads the reminders; axe-core checks every page (vigie/tests_support/browser.py)."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from vigie.advocacy.models import Assessment, Measure, Recommendation
from vigie.tests_support.browser import path_of, submit_main_form
from vigie.tests_support.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_searches_assesses_and_plans_a_measure(
    page: Page, visit, axe_check, browser_sign_in
):
    analyst = UserFactory(role="analyst")
    browser_sign_in(analyst)

    visit(reverse("advocacy:recommendations"))
    # French words, accents or not (the ECPAT report names the "Défenseur des Enfants").
    page.fill("input[name=q]", "defenseur des enfants")
    submit_main_form(page)
    axe_check(page)
    expect(page.locator("main", has_text="Défenseur des Enfants").first).to_be_visible()
    page.fill("input[name=q]", "ad hoc administrator")
    submit_main_form(page)
    axe_check(page)
    recommendation = Recommendation.objects.filter(
        search_text__contains="ad hoc administrator"
    ).first()
    assert recommendation is not None
    link = page.locator(
        f"main a[href='{reverse('advocacy:recommendation', args=[recommendation.uuid])}']"
    )
    expect(link.first).to_be_visible()
    with page.expect_navigation():
        link.first.click()
    axe_check(page)

    visit(reverse("advocacy:assessment_add", args=[recommendation.uuid]))
    page.check("input[name=source][value=assessment]")
    page.fill("input[name=assessed_on]", "2026-11-30")
    page.select_option("select[name=status]", "partially")
    page.fill("textarea[name=rationale]", "Désignation encore tardive dans plusieurs départements.")
    submit_main_form(page)
    axe_check(page)
    assert path_of(page) == reverse("advocacy:recommendation", args=[recommendation.uuid])
    assert Assessment.objects.get(recommendation=recommendation).status == "partially"

    assessment = Assessment.objects.get(recommendation=recommendation)
    visit(reverse("advocacy:evidence_add", args=[assessment.uuid]))
    visit(reverse("advocacy:measure_add", args=[recommendation.uuid]))
    page.fill("input[name=title]", "Rappeler la circulaire aux parquets")
    page.fill("input[name=due_on]", "2026-12-15")
    submit_main_form(page)
    axe_check(page)
    assert Measure.objects.filter(recommendation=recommendation).exists()

    # Entering the official frameworks' paragraphs, and linking the same demand.
    visit(reverse("advocacy:recommendation_add"))
    visit(reverse("advocacy:recommendation_edit", args=[recommendation.uuid]))
    visit(reverse("advocacy:recommendation_link", args=[recommendation.uuid]))
    page.fill("input[name=reference]", "SDG 8.7")
    submit_main_form(page)
    axe_check(page)
    expect(page.locator("main a", has_text="SDG 8.7")).to_be_visible()

    visit(reverse("advocacy:measures_due"))
    expect(page.locator("main", has_text="Rappeler la circulaire aux parquets")).to_be_visible()
