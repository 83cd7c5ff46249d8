"""A transfer in the browser (issue 6): a coordinator of A proposes a file to B, B's coordinator
reads the continuity summary, accepts, and opens the file, now B's. axe-core checks every page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from vigie.cases.models import Case
from vigie.network.models import Transfer, TransferStatus
from vigie.tests_support.browser import path_of, submit_main_form
from vigie.tests_support.factories import OrganisationFactory, UserFactory
from vigie.tests_support.factories_transfers import continuity_case_for_tests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_file_is_handed_over_with_its_continuity_summary(page, visit, axe_check, browser_sign_in):
    org_a = OrganisationFactory(name="Association A")
    org_b = OrganisationFactory(name="Service B")
    coordinator_a = UserFactory(role="coordinator", organisation=org_a)
    coordinator_b = UserFactory(role="coordinator", organisation=org_b)
    case = continuity_case_for_tests(org_a, today=timezone.localdate())

    # A: from the file's coordination panel, propose the transfer with the child's agreement.
    browser_sign_in(coordinator_a)
    visit(case.get_absolute_url())
    with page.expect_navigation():
        page.click("a[data-action=transfer-create]")
    axe_check(page)
    page.check("input[name=destination][value=organisation]")
    page.select_option("select[name=to_organisation]", str(org_b.uuid))
    page.select_option("select[name=new_departement]", "69")
    page.check("input[name=child_consent][value=consented]")
    page.check("input[name=parents_consent][value=not_appropriate]")
    submit_main_form(page)
    axe_check(page)
    transfer = Transfer.objects.get(case=case)
    assert path_of(page) == reverse(
        "network:transfer_detail", kwargs={"transfer_uuid": transfer.uuid}
    )

    # B: the received list, then the transfer with the summary to decide on.
    page.context.clear_cookies()
    browser_sign_in(coordinator_b)
    visit(reverse("network:transfers"))
    with page.expect_navigation():
        page.click(f"#transfers-incoming a[href*='{transfer.uuid}']")
    axe_check(page)
    summary = page.locator("[data-summary]")
    assert summary.locator("[data-right]").count() >= case.rights.count()
    assert summary.locator("[data-right='ad_hoc_administrator'][data-overdue]").count() == 1
    assert "Tontonzz" in summary.inner_text()
    assert summary.locator("[data-appointment=hearing]").count() == 1
    assert summary.locator("[data-proceeding]").count() == 1
    assert summary.locator("[data-placement]").count() == 1

    with page.expect_navigation():
        page.click("#transfer-accept button[type=submit]")
    axe_check(page)

    # The file is B's now, whole: the case page opens, with the transfer in its history.
    assert path_of(page) == case.get_absolute_url()
    case = Case.objects.get(pk=case.pk)
    assert case.organisation == org_b and case.departement == "69"
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.ACCEPTED
    assert page.locator(f"[data-transfer='{transfer.uuid}']").count() == 1
    visit(case.get_absolute_url())
