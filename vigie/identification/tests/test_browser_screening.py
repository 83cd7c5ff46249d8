"""A caseworker screens a case in the browser; axe-core checks every page (browser plugin)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from vigie.identification.models import Screening
from vigie.tests_support.browser import submit_main_form
from vigie.tests_support.factories import CaseFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_screens_a_case_and_sees_the_explained_result(
    page, visit, axe_check, browser_sign_in
):
    caseworker = UserFactory(role="caseworker")
    case = CaseFactory(organisation=caseworker.organisation, birth_year=None)
    browser_sign_in(caseworker)

    visit(case.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("link", name="Nouveau repérage").click()
    axe_check(page)
    page.fill("input[name=age]", "14")
    page.check("input[name=age_doubt]")
    page.get_by_label("Shows par webcam, images sexuelles de l’enfant, sextorsion").check()
    submit_main_form(page)
    axe_check(page)

    screening = Screening.objects.get(case=case)
    assert page.url.endswith(
        reverse(
            "identification:screening_detail",
            kwargs={"case_uuid": case.uuid, "screening_uuid": screening.uuid},
        )
    )
    expect(page.get_by_role("heading", level=2).first).to_have_text("Victime présumée de traite")
    expect(page.locator("main")).to_contain_text("Présumé mineur")
    expect(page.locator("main")).to_contain_text("Signaler le contenu en ligne (Pharos)")
    expect(page.locator("main")).to_contain_text("Porter plainte")
    visit(case.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Victime présumée de traite")
