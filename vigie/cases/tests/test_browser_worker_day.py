"""A caseworker's day in the browser (issue 5, "How it is judged"); axe-core checks every page.

Open a file for an unaccompanied 15-year-old in forced criminality, screen her, see the plan open
the ad hoc administrator and non-punishment rights with due dates, record the appointment and see
the alert leave the daily view; a hotel placement shows as a violation; a stale edit shows the
conflict page.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from vigie.audit.services import Actor
from vigie.cases.ages import birthday
from vigie.cases.models import Case
from vigie.cases.services.editing import case_update
from vigie.rights.models import RightItem, RightState
from vigie.tests_support.browser import path_of
from vigie.tests_support.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page: Page, form: str) -> None:
    """Submit one form of the page (a case page holds several) and wait for the answer."""
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def _form_to(path: str) -> str:
    return f"main form[action='{path}']"


def test_a_caseworkers_day(page, visit, axe_check, browser_sign_in, allow_console_error):
    allow_console_error("status of 409")  # the conflict page answers 409 Conflict
    caseworker = UserFactory(role="caseworker")
    colleague = UserFactory(role="coordinator", organisation=caseworker.organisation)
    today = timezone.localdate()
    born = birthday(today, -15) - timedelta(days=40)
    browser_sign_in(caseworker)

    # Morning: a 15-year-old found by the police, alone in France, made to steal.
    visit(reverse("cases:open"))
    page.fill("input[name=birth_date]", born.isoformat())
    page.check("input[name=unaccompanied]")
    page.check("input[name=exploitation_forms][value=forced_criminality]")
    _submit(page, "main form")
    axe_check(page)
    case = Case.objects.get(organisation=caseworker.organisation)
    assert path_of(page) == case.get_absolute_url()

    # Identification: the screening presumes her a victim and asks for the protective actions.
    with page.expect_navigation():
        page.get_by_role("link", name="Nouveau repérage").click()
    axe_check(page)
    page.fill("input[name=age]", "15")
    page.check("input[name=unaccompanied]")
    page.check("input[name=situations][value=offences_under_constraint]")
    _submit(page, "main form")
    axe_check(page)
    expect(page.locator("main")).to_contain_text("Victime présumée de traite")

    # The plan opened the ad hoc administrator and the non-punishment review, with due dates.
    visit(case.get_absolute_url())
    plan = page.locator("#rights")
    administrator = RightItem.objects.get(case=case, right_id="ad_hoc_administrator")
    non_punishment = RightItem.objects.get(case=case, right_id="non_punishment")
    for item, title in (
        (administrator, "Administrateur ad hoc désigné"),
        (non_punishment, "Non-sanction et casier judiciaire"),
    ):
        assert item.state == RightState.TO_DO and item.due_on is not None
        row = plan.locator("tr", has_text=title)
        expect(row).to_contain_text("À faire")
        expect(row.locator(f"time[datetime='{item.due_on.isoformat()}']")).to_be_visible()

    # Her daily view says the administrator is still to be appointed.
    visit(reverse("core:home"))
    alert = page.locator("ul[aria-labelledby='alerts-ad_hoc_administrator']")
    expect(alert).to_contain_text(case.reference)

    # The prosecutor appoints one: recorded in the file, the right closes and the alert goes.
    visit(reverse("cases:edit", args=[case.uuid]))
    page.fill("input[name=ad_hoc_administrator_appointed_on]", today.isoformat())
    page.fill("input[name=ad_hoc_administrator_appointed_by]", "Parquet de Bobigny")
    _submit(page, _form_to(reverse("cases:edit", args=[case.uuid])))
    axe_check(page)
    administrator.refresh_from_db()
    assert administrator.state == RightState.DONE
    expect(plan.locator("tr", has_text="Administrateur ad hoc désigné")).to_contain_text("Fait")
    visit(reverse("core:home"))
    expect(page.locator("#daily-view-heading")).to_be_visible()
    expect(page.locator("ul[aria-labelledby='alerts-ad_hoc_administrator']")).to_have_count(0)

    # Evening: no place tonight but a hotel room -- recorded, and shown as a violation.
    visit(reverse("cases:event_placement", args=[case.uuid]))
    page.select_option("select[name=kind]", "hotel")
    page.fill("input[name=started_on]", today.isoformat())
    _submit(page, "main form")
    axe_check(page)
    expect(page.locator("#accommodation")).to_contain_text("Violation des droits de l’enfant")
    expect(plan.locator("tr", has_text="Hébergement sécurisant")).to_contain_text("Bloqué")
    visit(reverse("core:home"))
    expect(page.locator("ul[aria-labelledby='alerts-unsafe_placement']")).to_contain_text(
        case.reference
    )

    # A colleague saves the file while she edits it: the conflict page shows both versions.
    visit(reverse("cases:edit", args=[case.uuid]))
    page.fill("input[name=languages]", "arabe")
    current = Case.objects.get(pk=case.pk)
    case_update(
        actor=Actor(user=colleague),
        case=current,
        expected_version=current.version,
        changes={"languages": "arabe, français"},
    )
    with page.expect_navigation() as navigation:
        page.click(f"{_form_to(reverse('cases:edit', args=[case.uuid]))} button[type=submit]")
    assert navigation.value.status == 409
    axe_check(page)
    expect(page.locator("main table")).to_contain_text("arabe, français")
    expect(page.locator("input[name=languages]")).to_have_value("arabe")
    assert Case.objects.get(pk=case.pk).languages == "arabe, français"
