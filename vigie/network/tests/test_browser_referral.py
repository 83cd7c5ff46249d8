"""Referral between two organisations in the browser (issue 6, "How it is judged").

Organisation A refers a child to B with consent, sharing identity and health only; B sees only
those sections, accepts, records a service; A revokes; B opening the same referral gets 404.
Each organisation keeps its own signed-in session (its cookies, swapped in one browser context).
axe-core checks every page.
"""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from vigie.cases.models import Placement
from vigie.network.models import Referral, ReferralStatus, ServiceRecord
from vigie.tests_support.browser import path_of
from vigie.tests_support.factories import CaseFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page: Page, form: str) -> None:
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def _session_swap(page: Page, cookies: list) -> list:
    """Keep the current session's cookies aside and restore another's."""
    current = page.context.cookies()
    page.context.clear_cookies()
    if cookies:
        page.context.add_cookies(cookies)
    return current


def test_a_referral_shares_only_what_was_chosen_until_revoked(
    page, visit, axe_check, browser_sign_in, allow_console_error
):
    allow_console_error("status of 404")  # B's last visit, after the revocation
    org_a = OrganisationFactory(name="Association Alpha")
    org_b = OrganisationFactory(name="Service Bêta")
    worker_a = UserFactory(role="caseworker", organisation=org_a)
    worker_b = UserFactory(role="caseworker", organisation=org_b)
    UserFactory(role="coordinator", organisation=org_b)
    child = CaseFactory(
        organisation=org_a,
        first_name="Aminata",
        last_name="Diallo",
        health_notes="Asthme sévère, traitement en cours.",
        safety_notes="Le cousin Moussa la recherche à Saint-Denis.",
        legal_representative="Tante maternelle",
    )
    Placement.objects.create(case=child, kind="foster_family", started_on=date(2025, 1, 5))

    # A: from the child's file, refer her to B for health care, identity and health only.
    browser_sign_in(worker_a)
    visit(child.get_absolute_url())
    with page.expect_navigation():
        page.click("#case-referrals a[data-action=refer]")
    axe_check(page)
    page.select_option("select[name=to_organisation]", str(org_b.uuid))
    page.select_option("select[name=service]", "health")
    expect(page.locator("input[name=sections]:checked")).to_have_count(0)
    page.check("input[name=sections][value=identity]")
    page.check("input[name=sections][value=health]")
    page.check("input[name=child_consent][value=consented]")
    page.check("input[name=parents_consent][value=not_appropriate]")
    _submit(page, "main form[data-form=referral]")
    axe_check(page)
    referral = Referral.objects.get(case=child)
    detail = reverse("network:referral_detail", kwargs={"referral_uuid": referral.uuid})
    assert path_of(page) == detail
    assert referral.sections == ["identity", "health"]
    session_a = _session_swap(page, [])

    # B: the referral is in the list; its page shows identity and health, nothing else.
    browser_sign_in(worker_b)
    visit(reverse("network:referrals"))
    expect(page.locator(f"#incoming tr[data-referral='{referral.uuid}']")).to_be_visible()
    visit(detail)
    main = page.locator("main")
    expect(main.locator("[data-section=identity]")).to_contain_text("Diallo")
    expect(main.locator("[data-section=health]")).to_contain_text("Asthme sévère")
    for absent in ("situation", "legal", "accommodation", "schooling", "rights", "safety"):
        expect(main.locator(f"[data-section={absent}]")).to_have_count(0)
    expect(main).not_to_contain_text("Moussa")
    expect(main).not_to_contain_text("Tante maternelle")
    expect(main).not_to_contain_text("Famille d'accueil")

    # B accepts, then records the service delivered.
    _submit(page, "main form[data-form=accept]")
    axe_check(page)
    expect(page.locator("#referral")).to_have_attribute("data-status", "accepted")
    page.fill("form[data-form=service] textarea[name=description]", "Consultation pédiatrique.")
    _submit(page, "main form[data-form=service]")
    axe_check(page)
    assert ServiceRecord.objects.get(referral=referral).description == "Consultation pédiatrique."
    session_b = _session_swap(page, session_a)

    # A sees the answer and the service, and revokes.
    visit(detail)
    expect(page.locator("#referral")).to_have_attribute("data-status", "accepted")
    expect(page.locator("#services")).to_contain_text("Consultation pédiatrique.")
    _submit(page, "main form[data-form=revoke]")
    axe_check(page)
    expect(page.locator("#referral")).to_have_attribute("data-status", "revoked")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REVOKED
    _session_swap(page, session_b)

    # B: the same URL no longer exists for them.
    visit(detail, status=404)
    expect(page.locator("main")).not_to_contain_text("Diallo")
