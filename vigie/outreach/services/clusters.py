"""Possible networks: rebuild the organisation's clusters from its ads.

The clustering engine (vigie/outreach/clustering.py) is pure; this module feeds it the
organisation's ads (decrypted in memory only) and stores its result. It runs after every change
to the ads, so the lists and graphs never show a stale network. An organisation records
hundreds to a few thousand ads a year; ``make bench-outreach`` measures the engine at 1,000,000.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vigie.accounts.models import Organisation

from ..clustering import ads_cluster, cluster_summary
from ..clustering_types import AdRecord, ClusteringSettings, LinkKind
from ..models import AdCluster, AdIdentifier, Advertisement, IdentifierKind


def clustering_settings() -> ClusteringSettings:
    return ClusteringSettings(
        text_threshold=settings.VIGIE_OUTREACH_TEXT_THRESHOLD,
        image_max_distance=settings.VIGIE_OUTREACH_IMAGE_DISTANCE,
    )


def _records(organisation: Organisation) -> tuple[list[AdRecord], dict[int, Advertisement]]:
    ads = {
        ad.pk: ad
        for ad in Advertisement.objects.filter(organisation=organisation)
        .only("pk", "uuid", "text", "city", "declared_age", "priority", "cluster_id")
        .order_by("pk")
    }
    identifiers: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = AdIdentifier.objects.filter(ad__organisation=organisation).order_by("pk")
    for identifier in rows.only("ad_id", "kind", "value"):
        identifiers[identifier.ad_id][identifier.kind].append(identifier.value)
    records = [
        AdRecord(
            id=pk,
            phones=tuple(identifiers[pk][IdentifierKind.PHONE]),
            handles=tuple(identifiers[pk][IdentifierKind.HANDLE]),
            image_hashes=tuple(identifiers[pk][IdentifierKind.IMAGE]),
            text=ad.text,
            city=ad.city.strip().casefold() or None,
            declared_age=ad.declared_age,
        )
        for pk, ad in ads.items()
    ]
    return records, ads


@dataclass(frozen=True)
class ClustersRefreshed:
    clusters: int
    clustered_ads: int
    # (kind, number of ads) of values shared too widely to mean anything (a switchboard).
    ignored_values: tuple[tuple[LinkKind, int], ...]


@transaction.atomic
def clusters_refresh(*, organisation: Organisation) -> ClustersRefreshed:
    """Recompute every cluster of the organisation; a cluster keeps its row while its oldest ad
    (the anchor) stays in it, so reports and open pages keep pointing at the same network."""
    # One rebuild at a time per organisation: two workers saving ads at once would otherwise
    # both create the row of the same new network (the anchor is unique).
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    records, ads = _records(organisation)
    result = ads_cluster(records, clustering_settings())
    now = timezone.now()
    existing = {c.anchor_id: c for c in AdCluster.objects.filter(organisation=organisation)}
    kept: set[int] = set()
    membership: dict[int, int] = {}
    for cluster in result.clusters:
        member_pks = [int(record.id) for record in cluster.members]
        anchor_pk = min(member_pks)
        summary = cluster_summary(cluster)
        links = json.dumps(
            [
                [
                    str(ads[int(link.source)].uuid),
                    str(ads[int(link.target)].uuid),
                    link.kind,
                    link.value,
                ]
                for link in cluster.links
            ]
        )
        values = {
            "ads_count": summary.ads,
            "phones_count": summary.phones,
            "handles_count": summary.handles,
            "images_count": summary.images,
            "cities_count": summary.cities,
            "declared_minors": summary.declared_minors,
            "priority": max(ads[pk].priority for pk in member_pks),
            "links": links,
            "refreshed_at": now,
        }
        row = existing.get(anchor_pk)
        if row is None:
            row = AdCluster.objects.create(organisation=organisation, anchor_id=anchor_pk, **values)
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
        kept.add(row.pk)
        for pk in member_pks:
            membership[pk] = row.pk
    AdCluster.objects.filter(organisation=organisation).exclude(pk__in=kept).delete()
    changed = [
        Advertisement(pk=pk, cluster_id=membership.get(pk))
        for pk, ad in ads.items()
        if ad.cluster_id != membership.get(pk)
    ]
    Advertisement.objects.bulk_update(changed, ["cluster_id"], batch_size=1000)
    return ClustersRefreshed(
        clusters=len(result.clusters),
        clustered_ads=len(membership),
        ignored_values=tuple((kind, count) for kind, _value, count in result.ignored_values),
    )
