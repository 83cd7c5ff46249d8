"""Storing the networks: clusters_refresh after every change, stable while the anchor stays."""

import json

import pytest
from django.http import Http404

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.outreach.models import AdCluster, Advertisement
from vigie.outreach.selectors import ad_get_for_user, cluster_get_for_user
from vigie.outreach.services.clusters import clusters_refresh
from vigie.tests_support.factories_outreach import ad_input, ads_for_tests, network_for_tests

pytestmark = pytest.mark.django_db

PHONE = "+33 7 00 55 00 01"
HANDLE = "snapchat:lea_fictive"


def test_ads_sharing_a_phone_or_handle_form_one_network(org_a):
    first, second = ads_for_tests(
        org_a, ad_input(phones=[PHONE]), ad_input(phones=[PHONE], declared_age=17)
    )
    # Its own phone too: the network then counts two phones.
    (third,) = ads_for_tests(org_a, ad_input(handles=[HANDLE], city="Lille"))
    assert third.cluster_id is None

    ads_for_tests(org_a, ad_input(phones=[PHONE], handles=[HANDLE]))

    cluster = AdCluster.objects.get(organisation=org_a)
    assert cluster.anchor_id == first.pk
    assert (cluster.ads_count, cluster.phones_count, cluster.handles_count) == (4, 2, 1)
    assert cluster.cities_count == 2 and cluster.declared_minors == 1 and cluster.priority == 3
    assert set(Advertisement.objects.filter(cluster=cluster).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
        third.pk,
        Advertisement.objects.order_by("pk").last().pk,
    }
    links = json.loads(cluster.links)
    kinds = sorted(kind for _source, _target, kind, _value in links)
    assert kinds == ["handle", "phone", "phone"]
    assert {value for *_ads, value in links} == {"+33700550001", HANDLE}


def test_a_network_keeps_its_row_while_its_anchor_stays(org_a):
    ads = network_for_tests(org_a, size=2)
    row = AdCluster.objects.get()
    ads_for_tests(org_a, ad_input(phones=[ads[0].identifiers.get().value]))
    assert AdCluster.objects.get().pk == row.pk
    assert AdCluster.objects.get().ads_count == 3


def test_networks_of_other_organisations_stay_apart(org_a, org_b):
    ads_for_tests(org_a, ad_input(phones=[PHONE]))
    ads_for_tests(org_b, ad_input(phones=[PHONE]))
    assert not AdCluster.objects.exists()
    result = clusters_refresh(organisation=org_a)
    assert result.clusters == 0 and result.clustered_ads == 0


def test_a_deleted_ad_leaves_its_network(org_a):
    first, second = network_for_tests(org_a, size=2)
    first.delete()
    clusters_refresh(organisation=org_a)
    second.refresh_from_db()
    assert second.cluster is None and not AdCluster.objects.exists()


def test_selectors_scope_audit_and_hide(org_a, org_b, users):
    ads = network_for_tests(org_a, size=3)
    (alone,) = ads_for_tests(org_a, ad_input())
    coordinator = Actor(user=users[("coordinator", "a")])

    assert ad_get_for_user(actor=coordinator, ad_uuid=ads[1].uuid) == ads[1]
    _cluster, members = cluster_get_for_user(actor=coordinator, ad_uuid=ads[2].uuid)
    assert [ad.pk for ad in members] == [ad.pk for ad in ads]
    event = AuditEvent.objects.filter(action=AuditAction.OUTREACH_CLUSTER_VIEW).get()
    assert set(event.object_uuids) == {str(ad.uuid) for ad in ads}

    with pytest.raises(Http404):
        cluster_get_for_user(actor=coordinator, ad_uuid=alone.uuid)
    for role, side in (("coordinator", "b"), ("org_admin", "a"), ("analyst", "a")):
        with pytest.raises(Http404):
            ad_get_for_user(actor=Actor(user=users[(role, side)]), ad_uuid=ads[0].uuid)
    with pytest.raises(Http404):
        ad_get_for_user(actor=Actor(user=None), ad_uuid=ads[0].uuid)
