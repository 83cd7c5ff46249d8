"""Grouping online advertisements into possible networks, with the links that explain each group.

The issue (seed 000 §III.4, prostitution of minors moved online) asks that ads sharing a phone, a
handle, an image fingerprint or a near-identical text be grouped and shown as a graph and a list
("possible network: 14 ads, 3 phones, 5 cities, 2 declared minors"), for 1,000,000 ads in a few
minutes. Clusters are the connected components (union-find) of the graph whose edges are those
shared values; every cluster carries typed edges so that a worker sees *why* ads were grouped.

This module is pure: :class:`AdRecord` holds identifiers already normalised by
:mod:`vigie.outreach.identifiers` (E.164 phones, ``platform:account`` handles), so that the costly
parsing happens once at import, not at every clustering.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext, ngettext

from vigie.outreach.clustering_types import (
    KIND_ORDER,
    AdId,
    AdRecord,
    Cluster,
    ClusteringResult,
    ClusteringSettings,
    ClusterSummary,
    Edge,
    Link,
    LinkKind,
    UnionFind,
)
from vigie.outreach.text_similarity import _link_near_texts, text_signatures

__all__ = [
    "AdId",
    "AdRecord",
    "Cluster",
    "ClusterSummary",
    "ClusteringResult",
    "ClusteringSettings",
    "Link",
    "LinkKind",
    "ads_cluster",
    "cluster_summary",
    "cluster_summary_label",
    "text_signatures",
]


# Legal majority: an ad declaring an age under 18 is a declared minor (seed 000 §III.4).
_MAJORITY_AGE = 18


def _link_shared_values(
    kind: LinkKind,
    values_per_ad: Iterable[Iterable[str]],
    settings: ClusteringSettings,
    union_find: UnionFind,
    edges: list[Edge],
    ignored: list[tuple[LinkKind, str, int]],
) -> None:
    """Link every ad carrying a value to the first ad carrying it (a star per value)."""
    positions_by_value: dict[str, list[int]] = defaultdict(list)
    for position, values in enumerate(values_per_ad):
        for value in dict.fromkeys(values):
            positions_by_value[value].append(position)
    limit = settings.max_ads_per_value
    for value, positions in positions_by_value.items():
        if len(positions) < 2:
            continue
        if limit is not None and len(positions) > limit:
            ignored.append((kind, value, len(positions)))
            continue
        hub = positions[0]
        for other in positions[1:]:
            union_find.union(hub, other)
            edges.append((kind, hub, other, value))


def _link_near_images(
    ads: Sequence[AdRecord],
    settings: ClusteringSettings,
    union_find: UnionFind,
    edges: list[Edge],
) -> None:
    """Link image hashes within ``image_max_distance`` bits (pigeonhole pieces, then verification).

    Equal hashes are already linked by :func:`_link_shared_values`; this adds the near ones.
    """
    distance = settings.image_max_distance
    pieces = distance + 1
    hashes: dict[str, int] = {}
    holders: dict[str, int] = {}
    for position, ad in enumerate(ads):
        for image_hash in ad.image_hashes:
            if image_hash not in hashes:
                hashes[image_hash] = int(image_hash, 16)
                holders[image_hash] = position
    buckets: dict[tuple[int, int, int], list[str]] = defaultdict(list)
    for image_hash, value in hashes.items():
        bits = len(image_hash) * 4
        width = max(1, bits // pieces)
        for piece in range(pieces):
            start = piece * width
            piece_width = bits - start if piece == pieces - 1 else width
            piece_value = (value >> start) & ((1 << piece_width) - 1)
            buckets[(bits, piece, piece_value)].append(image_hash)
    seen: set[tuple[str, str]] = set()
    for bucket in buckets.values():
        for index, first in enumerate(bucket):
            for second in bucket[index + 1 :]:
                pair = (first, second)
                if pair in seen:
                    continue
                seen.add(pair)
                if (hashes[first] ^ hashes[second]).bit_count() <= distance:
                    source, target = holders[first], holders[second]
                    if source != target and union_find.union(source, target):
                        edges.append((LinkKind.IMAGE, source, target, f"{first}~{second}"))


def ads_cluster(
    ads: Sequence[AdRecord], settings: ClusteringSettings | None = None
) -> ClusteringResult:
    """Group ads into possible networks; deterministic for a given input order.

    Clusters are sorted by decreasing size, then by the position of their first ad; members keep
    the input order; links are sorted by kind, then by member positions.
    """
    settings = settings or ClusteringSettings()
    positions = {ad.id: position for position, ad in enumerate(ads)}
    if len(positions) != len(ads):
        raise ValueError("ad ids must be unique")
    union_find = UnionFind(len(ads))
    edges: list[Edge] = []
    ignored: list[tuple[LinkKind, str, int]] = []
    if LinkKind.PHONE in settings.kinds:
        _link_shared_values(
            LinkKind.PHONE, (ad.phones for ad in ads), settings, union_find, edges, ignored
        )
    if LinkKind.HANDLE in settings.kinds:
        _link_shared_values(
            LinkKind.HANDLE, (ad.handles for ad in ads), settings, union_find, edges, ignored
        )
    if LinkKind.IMAGE in settings.kinds:
        _link_shared_values(
            LinkKind.IMAGE,
            ((h.lower() for h in ad.image_hashes) for ad in ads),
            settings,
            union_find,
            edges,
            ignored,
        )
        if settings.image_max_distance > 0:
            _link_near_images(ads, settings, union_find, edges)
    if LinkKind.TEXT in settings.kinds:
        _link_near_texts(ads, settings, union_find, edges)

    members_by_root: dict[int, list[int]] = defaultdict(list)
    for position in range(len(ads)):
        members_by_root[union_find.find(position)].append(position)
    edges_by_root: dict[int, list[Edge]] = defaultdict(list)
    for edge in edges:
        edges_by_root[union_find.find(edge[1])].append(edge)
    groups = sorted(
        (
            members
            for members in members_by_root.values()
            if len(members) >= settings.min_cluster_size
        ),
        key=lambda members: (-len(members), members[0]),
    )
    clusters = []
    for number, members in enumerate(groups, start=1):
        root = union_find.find(members[0])
        cluster_edges = sorted(
            edges_by_root.get(root, ()), key=lambda e: (KIND_ORDER[e[0]], e[1], e[2], e[3])
        )
        clusters.append(
            Cluster(
                number=number,
                members=tuple(ads[p] for p in members),
                links=tuple(
                    Link(source=ads[s].id, target=ads[t].id, kind=kind, value=value)
                    for kind, s, t, value in cluster_edges
                ),
            )
        )
    ignored.sort(key=lambda item: (KIND_ORDER[item[0]], -item[2], item[1]))
    return ClusteringResult(
        clusters=tuple(clusters), ignored_values=tuple(ignored), ads_count=len(ads)
    )


def cluster_summary(cluster: Cluster) -> ClusterSummary:
    """Count what a worker needs to judge a cluster at a glance."""
    links_by_kind: dict[LinkKind, int] = {}
    for link in cluster.links:
        links_by_kind[link.kind] = links_by_kind.get(link.kind, 0) + 1
    members = cluster.members
    return ClusterSummary(
        ads=len(members),
        phones=len({phone for ad in members for phone in ad.phones}),
        handles=len({handle for ad in members for handle in ad.handles}),
        images=len({image.lower() for ad in members for image in ad.image_hashes}),
        cities=len({ad.city.strip().casefold() for ad in members if ad.city and ad.city.strip()}),
        declared_minors=sum(
            1 for ad in members if ad.declared_age is not None and ad.declared_age < _MAJORITY_AGE
        ),
        links_by_kind=links_by_kind,
    )


def cluster_summary_label(summary: ClusterSummary) -> str:
    """Return "possible network: 14 ads, 3 phones, 5 cities, 2 declared minors", translated.

    Each count is its own plural form (one phone, two phones); accounts and photos appear only
    when there are some, declared minors too, since they are what makes a cluster urgent (seed
    000 §III.4).
    """
    parts = [
        ngettext("%(count)s ad", "%(count)s ads", summary.ads) % {"count": summary.ads},
        ngettext("%(count)s phone", "%(count)s phones", summary.phones) % {"count": summary.phones},
    ]
    # Accounts and photos only when the network has some ("0 handles" says nothing).
    if summary.handles:
        parts.append(
            ngettext("%(count)s handle", "%(count)s handles", summary.handles)
            % {"count": summary.handles}
        )
    if summary.images:
        parts.append(
            ngettext("%(count)s photo", "%(count)s photos", summary.images)
            % {"count": summary.images}
        )
    parts.append(
        ngettext("%(count)s city", "%(count)s cities", summary.cities) % {"count": summary.cities}
    )
    if summary.declared_minors:
        parts.append(
            ngettext(
                "%(count)s declared minor", "%(count)s declared minors", summary.declared_minors
            )
            % {"count": summary.declared_minors}
        )
    return gettext("possible network: %(counts)s") % {"counts": ", ".join(parts)}
