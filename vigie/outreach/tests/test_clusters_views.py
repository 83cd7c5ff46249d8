"""The possible networks pages: the list (sorted, filtered, counted, audited) and one network
(graph, tables, scope, audit)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vigie.audit.models import AuditAction, AuditEvent
from vigie.outreach.graph import GRAPH_MAX_NODES
from vigie.outreach.models import AdCluster
from vigie.tests_support.factories_outreach import (
    ad_for_tests,
    ad_input,
    ads_for_tests,
    network_for_tests,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("outreach:clusters")
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _cluster_url(ad) -> str:
    return reverse("outreach:cluster", kwargs={"ad_uuid": ad.uuid})


def _listed(response) -> list[str]:
    """The anchors' uuids of the networks listed, in page order."""
    return re.findall(r'data-cluster="([0-9a-f-]+)"', response.content.decode())


def _last_event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-sequence").first()


@pytest.fixture
def three_networks(org_a):
    """Four ads without a sign; two ads, one a declared minor; three ads the worker judged
    young-looking (a strong sign)."""
    plain = network_for_tests(org_a, size=4)
    minor_phone = ad_input().phones[0]
    minor = ads_for_tests(
        org_a, ad_input(phones=[minor_phone], declared_age=16), ad_input(phones=[minor_phone])
    )
    signs = network_for_tests(org_a, size=3, worker_flags=["photos_look_young"])
    return {"plain": plain, "minor": minor, "signs": signs}


def test_networks_are_listed_most_urgent_first_then_largest(three_networks, users, client_for):
    response = client_for(users[("caseworker", "a")]).get(LIST_URL)
    assert response.status_code == 200
    # Signs (priority 3, 3 ads), then the declared minor (priority 3, 2 ads), then 4 plain ads.
    assert _listed(response) == [
        str(three_networks["signs"][0].uuid),
        str(three_networks["minor"][0].uuid),
        str(three_networks["plain"][0].uuid),
    ]


def test_each_network_is_summed_up_with_its_counts_and_links(three_networks, users, client_for):
    response = client_for(users[("coordinator", "a")]).get(LIST_URL, **ENGLISH)
    html = response.content.decode()
    assert "Possible network: 2 ads, 1 phone, 1 city, 1 declared minor" in html
    assert "Possible network: 4 ads, 1 phone, 1 city</a>" in html
    # Why linked: a star of links around one phone, one link per other ad.
    assert "Same phone number: 3 links" in html
    assert "Same phone number: 1 link<" in html
    assert "annonces-exemple.test" in html
    assert "3 possible networks" in html
    # How networks are found, with the threshold in use.
    assert "80%" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"declared_minor_only": "on"}, ["minor"]),
        ({"signs_only": "on"}, ["signs", "minor"]),
        ({"min_size": "4"}, ["plain"]),
        ({"min_size": "3", "signs_only": "on"}, ["signs"]),
    ],
)
def test_filters(three_networks, users, client_for, query, expected):
    response = client_for(users[("caseworker", "a")]).get(LIST_URL, query)
    assert response.status_code == 200
    assert _listed(response) == [str(three_networks[name][0].uuid) for name in expected]


def test_an_invalid_minimum_size_is_refused_by_name(three_networks, users, client_for):
    response = client_for(users[("caseworker", "a")]).get(LIST_URL, {"min_size": "1"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_min_size_error"' in html
    assert _listed(response) == []


def test_listing_is_audited_naming_the_anchor_ads_shown(three_networks, users, client_for):
    client_for(users[("caseworker", "a")]).get(LIST_URL, {"signs_only": "on"})
    event = _last_event(AuditAction.OUTREACH_AD_LIST)
    assert sorted(event.object_uuids) == sorted(
        [str(three_networks["signs"][0].uuid), str(three_networks["minor"][0].uuid)]
    )


def test_the_list_shows_only_the_organisations_networks(org_a, org_b, users, client_for):
    own = network_for_tests(org_a, size=2)
    other = network_for_tests(org_b, size=2)
    response = client_for(users[("caseworker", "a")]).get(LIST_URL)
    assert _listed(response) == [str(own[0].uuid)]
    assert str(other[0].uuid) not in response.content.decode()


def test_the_list_pages_by_fifty(org_a, users, client_for):
    for _ in range(51):
        network_for_tests(org_a, size=2)
    client = client_for(users[("caseworker", "a")])
    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": "2"})
    assert len(_listed(first)) == 50
    assert len(_listed(second)) == 1
    assert set(_listed(first)).isdisjoint(_listed(second))
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize("role", ["org_admin", "analyst"])
def test_roles_without_outreach_get_403_on_the_list(org_a, users, client_for, role):
    network_for_tests(org_a, size=2)
    assert client_for(users[(role, "a")]).get(LIST_URL).status_code == 403


def test_platform_admin_gets_403_on_the_list(users, client_for):
    assert client_for(users[("platform_admin", None)]).get(LIST_URL).status_code == 403


# --- One network -------------------------------------------------------------------------------


@pytest.fixture
def network(org_a):
    """Three ads sharing a phone; the third also shares an account with the first, and is a
    declared minor; the second shows a sign (photos look young)."""
    phone = "06 70 00 12 34"
    return ads_for_tests(
        org_a,
        ad_input(phones=[phone], handles=["snapchat:lea_x"], city="Lyon"),
        ad_input(phones=[phone], worker_flags=["photos_look_young"], city="Grenoble"),
        ad_input(phones=[phone], handles=["snapchat:lea_x"], declared_age=16, city="Lyon"),
    )


def test_the_network_page_draws_a_node_per_ad_and_an_edge_per_link(network, users, client_for):
    response = client_for(users[("caseworker", "a")]).get(_cluster_url(network[1]))
    assert response.status_code == 200
    html = response.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>", html.index('id="network-graph"'))]
    cluster = AdCluster.objects.get(anchor=network[0])
    assert sorted(re.findall(r'<a href="[^"]+" data-ad="([0-9a-f-]+)"', svg)) == sorted(
        str(ad.uuid) for ad in network
    )
    # Two phone links (a star around the first ad), one account link.
    kinds = re.findall(r'<line [^>]*data-kind="(\w+)"', svg)
    assert sorted(kinds) == ["handle", "phone", "phone"]
    assert cluster.ads_count == 3
    # Each node opens its ad and has an accessible name; the minor is a diamond.
    for ad in network:
        assert reverse("outreach:ad_detail", kwargs={"ad_uuid": ad.uuid}) in svg
    assert re.search(rf'data-ad="{network[2].uuid}" data-shape="diamond"', svg)
    assert re.search(rf'data-ad="{network[1].uuid}" data-shape="square"', svg)
    assert re.search(rf'data-ad="{network[0].uuid}" data-shape="circle"', svg)
    assert 'role="group"' in svg and "<title" in svg and "<desc" in svg
    # The legend names every kind of line and every shape.
    legend = html[html.index('id="network-graph-legend"') :]
    for kind in ("phone", "handle", "image", "text"):
        assert f'data-kind="{kind}"' in legend
    for shape in ("circle", "square", "diamond"):
        assert f'data-shape="{shape}"' in legend


def test_the_graph_line_kinds_differ_by_dash_not_only_colour(network, users, client_for):
    html = client_for(users[("caseworker", "a")]).get(_cluster_url(network[0])).content.decode()
    phone_line = re.search(r'<line [^>]*data-kind="phone"[^>]*>', html).group(0)
    handle_line = re.search(r'<line [^>]*data-kind="handle"[^>]*>', html).group(0)
    assert "stroke-dasharray" not in phone_line
    assert 'stroke-dasharray="8 4"' in handle_line


def test_the_network_page_lists_ads_and_shared_identifiers_as_text(network, users, client_for):
    response = client_for(users[("coordinator", "a")]).get(_cluster_url(network[2]), **ENGLISH)
    html = response.content.decode()
    assert "Possible network: 3 ads, 1 phone, 1 handle, 2 cities, 1 declared minor" in html
    ads_table = html[html.index('id="cluster-ads"') : html.index('id="cluster-shared"')]
    for ad in network:
        assert f'data-ad="{ad.uuid}"' in ads_table
        assert ad.reference in ads_table
    assert "Grenoble" in ads_table
    assert "declared minor" in ads_table
    assert "Photos look young" in ads_table or "photos" in ads_table.lower()
    shared = html[html.index('id="cluster-shared"') :]
    # The phone, decrypted for the worker, in the national format; the account as normalised.
    assert "06 70 00 12 34" in shared
    assert "snapchat:lea_x" in shared
    phone_row = re.search(r'<tr data-kind="phone">.*?</tr>', shared, re.S).group(0)
    assert all(ad.reference in phone_row for ad in network)
    handle_row = re.search(r'<tr data-kind="handle">.*?</tr>', shared, re.S).group(0)
    assert network[0].reference in handle_row and network[2].reference in handle_row
    assert network[1].reference not in handle_row


def test_any_ad_of_the_network_opens_the_same_network(network, users, client_for):
    client = client_for(users[("caseworker", "a")])
    pages = [client.get(_cluster_url(ad)).content.decode() for ad in network]
    graphs = [page[page.index("<svg") : page.index("</svg>")] for page in pages]
    # Same drawing whichever ad the worker came from: the layout is deterministic.
    assert graphs[0] == graphs[1] == graphs[2]


def test_viewing_a_network_is_audited_naming_every_ad(network, users, client_for):
    client_for(users[("caseworker", "a")]).get(_cluster_url(network[1]))
    event = _last_event(AuditAction.OUTREACH_CLUSTER_VIEW)
    assert sorted(event.object_uuids) == sorted(str(ad.uuid) for ad in network)


def test_an_ad_in_no_network_is_404(org_a, users, client_for):
    alone = ad_for_tests(org_a)
    alone.refresh_from_db()
    assert alone.cluster_id is None
    response = client_for(users[("caseworker", "a")]).get(_cluster_url(alone))
    assert response.status_code == 404


def test_another_organisations_network_is_404(network, users, client_for):
    response = client_for(users[("caseworker", "b")]).get(_cluster_url(network[0]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.OUTREACH_CLUSTER_VIEW).exists()


@pytest.mark.parametrize("role", ["org_admin", "analyst"])
def test_roles_without_outreach_get_404_on_a_network(network, users, client_for, role):
    assert client_for(users[(role, "a")]).get(_cluster_url(network[0])).status_code == 404


def test_near_identical_texts_are_listed_with_their_similarity(org_a, users, client_for):
    text = (
        "Nouvelle en ville, jolie et discrète, disponible tous les jours pour des rencontres "
        "agréables dans un cadre calme et propre, appelle-moi vite"
    )
    ads = ads_for_tests(org_a, ad_input(text=text), ad_input(text=text + " !"))
    ads[0].refresh_from_db()
    assert ads[0].cluster_id is not None
    client = client_for(users[("caseworker", "a")])
    html = client.get(_cluster_url(ads[0]), **ENGLISH).content.decode()
    near = html[html.index('id="cluster-near"') :]
    assert "Near-identical text" in near
    assert re.search(r"[01]\.\d\d", near)
    assert re.search(r'<line [^>]*data-kind="text"', html)
    assert "No phone, account or photo is shared as such" in html


def test_a_network_beyond_the_graph_limit_is_drawn_in_part_and_listed_whole(
    org_a, users, client_for
):
    ads = network_for_tests(org_a, size=GRAPH_MAX_NODES + 3)
    response = client_for(users[("caseworker", "a")]).get(_cluster_url(ads[-1]), **ENGLISH)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"The graph shows the first {GRAPH_MAX_NODES} ads of {GRAPH_MAX_NODES + 3}" in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count('data-shape="') == GRAPH_MAX_NODES
    assert svg.count("<line ") == GRAPH_MAX_NODES - 1
    ads_table = html[html.index('id="cluster-ads"') : html.index('id="cluster-shared"')]
    assert ads_table.count("<tr data-ad=") == GRAPH_MAX_NODES + 3


def test_the_page_states_the_thresholds_in_use(org_a, users, client_for, settings):
    settings.VIGIE_OUTREACH_TEXT_THRESHOLD = 0.9
    settings.VIGIE_OUTREACH_IMAGE_DISTANCE = 0
    html = client_for(users[("caseworker", "a")]).get(LIST_URL, **ENGLISH).content.decode()
    assert "an estimated 90% of their three-word sequences in common" in html
    assert "or a photo (same fingerprint)" in html
    settings.VIGIE_OUTREACH_IMAGE_DISTANCE = 4
    html = client_for(users[("caseworker", "a")]).get(LIST_URL, **ENGLISH).content.decode()
    assert "fingerprints within 4 bits of each other" in html


def test_the_list_costs_the_same_queries_for_few_or_many_networks(org_a, users, client_for):
    client = client_for(users[("caseworker", "a")])
    network_for_tests(org_a, size=2)
    network_for_tests(org_a, size=3)
    client.get(LIST_URL)  # session and caches warmed
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    for size in range(2, 10):
        network_for_tests(org_a, size=size)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST_URL)
    assert len(_listed(response)) == 10
    assert len(many.captured_queries) == len(few.captured_queries)
