"""A caseworker finds the possible networks, filters the urgent ones and opens one: graph and
tables; axe-core checks both pages (issue 10, "shown as a graph and a list")."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from vigie.outreach.graph import GRAPH_MAX_NODES
from vigie.tests_support.browser import path_of
from vigie.tests_support.factories import UserFactory
from vigie.tests_support.factories_outreach import ad_input, ads_for_tests, network_for_tests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_opens_the_network_with_a_declared_minor(
    page, visit, axe_check, browser_sign_in
):
    caseworker = UserFactory(role="caseworker")
    organisation = caseworker.organisation
    plain = network_for_tests(organisation, size=5)
    phone = ad_input().phones[0]
    urgent = ads_for_tests(
        organisation,
        ad_input(phones=[phone], handles=["snapchat:lea_x"], city="Lyon"),
        ad_input(phones=[phone], declared_age=16, city="Marseille"),
        ad_input(handles=["snapchat:lea_x"], worker_flags=["photos_look_young"], city="Lyon"),
    )
    browser_sign_in(caseworker)

    visit(reverse("outreach:clusters"))
    rows = page.locator("#cluster-list tbody tr")
    expect(rows).to_have_count(2)
    # The network with a declared minor comes first, though smaller.
    expect(rows.first).to_have_attribute("data-cluster", str(urgent[0].uuid))
    expect(rows.nth(1)).to_have_attribute("data-cluster", str(plain[0].uuid))

    page.check("#cluster-filters input[name=declared_minor_only]")
    with page.expect_navigation():
        page.click("#cluster-filters button[type=submit]")
    axe_check(page)
    expect(rows).to_have_count(1)

    with page.expect_navigation():
        rows.first.locator("a").click()
    axe_check(page)
    assert path_of(page) == reverse("outreach:cluster", kwargs={"ad_uuid": urgent[0].uuid})
    graph = page.locator("#network-graph")
    expect(graph).to_be_visible()
    expect(graph.locator("[data-layer=nodes] a")).to_have_count(3)
    # A star per shared value: the phone joins the first two ads, the account the first and third.
    expect(graph.locator("line[data-kind=phone]")).to_have_count(1)
    expect(graph.locator("line[data-kind=handle]")).to_have_count(1)
    # Each node is a link a screen reader announces with the ad's reference.
    minor = graph.get_by_role("link", name=re.compile(re.escape(urgent[1].reference)))
    expect(minor).to_have_count(1)
    expect(minor).to_have_attribute(
        "href", reverse("outreach:ad_detail", kwargs={"ad_uuid": urgent[1].uuid})
    )
    expect(graph.locator(f"a[data-ad='{urgent[1].uuid}']")).to_have_attribute(
        "data-shape", "diamond"
    )
    expect(page.locator("#cluster-ads tbody tr")).to_have_count(3)
    expect(page.locator("#cluster-shared")).to_contain_text("snapchat:lea_x")


def test_a_network_too_large_to_draw_whole_stays_accessible(page, visit, browser_sign_in):
    coordinator = UserFactory(role="coordinator")
    ads = network_for_tests(coordinator.organisation, size=GRAPH_MAX_NODES + 5, declared_age=17)
    browser_sign_in(coordinator)

    visit(reverse("outreach:cluster", kwargs={"ad_uuid": ads[-1].uuid}))
    expect(page.locator("#graph-truncated")).to_be_visible()
    expect(page.locator("#network-graph [data-layer=nodes] a")).to_have_count(GRAPH_MAX_NODES)
    expect(page.locator("#cluster-ads tbody tr")).to_have_count(GRAPH_MAX_NODES + 5)
