"""A caseworker finds a place far from the exploiters, holds it and records the placement
(issue 6, "Accommodation places"); axe-core checks every page."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from vigie.cases.models import Placement
from vigie.network.models import HoldStatus, PlaceHold
from vigie.tests_support.browser import path_of
from vigie.tests_support.factories import CaseFactory, UserFactory
from vigie.tests_support.factories_places import AccommodationPlaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_caseworker_holds_a_place_far_away_and_records_the_placement(
    page, visit, axe_check, browser_sign_in
):
    caseworker = UserFactory(role="caseworker")
    case = CaseFactory(organisation=caseworker.organisation, departement="93")
    # Near her exploiters (Paris is in her région) and far from them (Lyon), both open to her.
    near = AccommodationPlaceFactory(departement="75", name="Fictif — Foyer proche")
    far = AccommodationPlaceFactory(departement="69", name="Fictif — Maison lointaine")
    browser_sign_in(caseworker)

    visit(case.get_absolute_url())
    with page.expect_navigation():
        page.click("[data-action=find-places]")
    axe_check(page)
    expect(page.locator(f"[data-place='{near.uuid}']")).to_be_visible()

    page.check("#child-search input[name=move_away]")
    _submit(page, "#child-search button[type=submit]")
    axe_check(page)
    expect(page.locator(f"[data-place='{near.uuid}']")).to_have_count(0)
    _submit(page, f"[data-place='{far.uuid}'] button[type=submit]")
    axe_check(page)
    assert path_of(page) == case.get_absolute_url()
    hold = PlaceHold.objects.get(case=case)
    assert hold.place == far

    with page.expect_navigation():
        page.click(f"[data-hold='{hold.uuid}'] [data-action=confirm-hold]")
    axe_check(page)
    page.fill("input[name=started_on]", timezone.localdate().isoformat())
    _submit(page, "main form button[type=submit]")
    axe_check(page)

    assert path_of(page) == case.get_absolute_url()
    hold.refresh_from_db()
    assert hold.status == HoldStatus.CONFIRMED
    placement = Placement.objects.get(case=case)
    accommodation = page.locator("#accommodation")
    expect(accommodation).to_contain_text(placement.get_kind_display())
    expect(accommodation).to_contain_text("69")
    expect(page.locator(f"[data-hold='{hold.uuid}']")).to_have_count(0)
