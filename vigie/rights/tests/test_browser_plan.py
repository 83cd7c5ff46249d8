"""The rights plan in the browser: the case page and the update page pass axe-core, opened or
not, and a right is updated from the plan (the full worker's day is the lead's journey test)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from vigie.audit.services import Actor
from vigie.cases.services import case_open
from vigie.rights.models import RightItem
from vigie.tests_support.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_updates_a_right_from_the_plan(
    page, visit, axe_check, browser_sign_in, allow_console_error
):
    allow_console_error("status of 422")  # the refusal without a reason
    caseworker = UserFactory(role="caseworker")
    case = case_open(
        actor=Actor(user=caseworker),
        birth_date=date(2010, 9, 14),
        unaccompanied=True,
        exploitation_forms=["forced_criminality"],
        identified_on=timezone.localdate() - timedelta(days=5),
    )
    browser_sign_in(caseworker)

    visit(case.get_absolute_url())
    plan = page.locator("#rights")
    expect(plan).to_contain_text("Administrateur ad hoc désigné")
    # Every disclosure open: the legal bases and the forms are checked by axe too.
    for summary in plan.locator("summary").all():
        summary.click()
    axe_check(page)

    row = plan.locator("tr", has_text="Documents d’identité")
    row.locator("select[name=state]").select_option("refused")
    with page.expect_navigation():
        row.get_by_role("button").click()
    axe_check(page)  # the form again (422): the reason is missing
    expect(page.locator("main")).to_contain_text("Documents d’identité")
    page.locator("main textarea[name=reason]").fill("La jeune fille ne souhaite pas")
    with page.expect_navigation():
        page.locator("main form button").click()
    axe_check(page)

    item = RightItem.objects.get(case=case, right_id="identity_documents")
    assert (item.state, item.decided_by_person) == ("refused", True)
