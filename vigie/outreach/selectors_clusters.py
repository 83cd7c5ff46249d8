"""Reading the organisation's possible networks for the list and the network page: scoped,
audited.

Scope is the one decision of vigie/outreach/access.py: a network is visible when its anchor ad is
(``Advertisement.objects.visible_to``). The links of a network are stored encrypted because they
carry the shared phones and accounts; they are decrypted here, for the page, in memory only.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import phonenumbers
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext

from vigie.accounts.models import User
from vigie.audit.services import Actor, AuditAction, audit_record

from .clustering_types import KIND_ORDER, LinkKind
from .graph import LINK_STYLES, ClusterGraph, GraphAd, GraphLink, LinkStyle, cluster_graph
from .models import AdCluster, AdIdentifier, Advertisement, IdentifierKind
from .selectors import cluster_get_for_user, cluster_label
from .signs import SignMatch
from .signs_catalogue import signs_catalogue

CLUSTERS_PER_PAGE = 50
# Phones in ads are French mostly: shown as dialled here, foreign ones with their country code.
_HOME_REGION = "FR"


@dataclass(frozen=True)
class ClusterFilters:
    declared_minor_only: bool = False
    signs_only: bool = False
    min_size: int = 2


@dataclass(frozen=True)
class LinkCount:
    style: LinkStyle
    count: int


@dataclass(frozen=True)
class ClusterRow:
    cluster: AdCluster
    anchor_uuid: uuid.UUID
    label: str
    link_counts: tuple[LinkCount, ...]
    sites: tuple[str, ...]
    last_seen_on: date | None


@dataclass(frozen=True)
class ClusterPage:
    rows: list[ClusterRow]
    number: int
    pages: int
    total: int
    has_previous: bool
    has_next: bool


@dataclass(frozen=True)
class StoredLink:
    """One decrypted link of a network: two ads (uuids as text) and why they are linked."""

    source: str
    target: str
    kind: LinkKind
    value: str


@dataclass(frozen=True)
class ClusterAdRow:
    ad: Advertisement
    sign_labels: tuple[str, ...]


@dataclass(frozen=True)
class SharedIdentifier:
    """A phone, account or photo fingerprint carried by several ads of the network."""

    kind: LinkKind
    kind_label: str
    value: str
    ads: tuple[Advertisement, ...]


@dataclass(frozen=True)
class NearPair:
    """Two ads linked by near-identical texts or near photos (a similarity, not a shared value)."""

    style: LinkStyle
    first: Advertisement
    second: Advertisement
    detail: str


@dataclass(frozen=True)
class ClusterDetail:
    cluster: AdCluster
    ads: list[Advertisement]
    label: str
    rows: list[ClusterAdRow]
    link_counts: tuple[LinkCount, ...]
    shared: list[SharedIdentifier]
    near: list[NearPair]
    graph: ClusterGraph


def _user(actor: Actor) -> User:
    if actor.user is None:
        raise Http404
    return actor.user


def cluster_links(cluster: AdCluster) -> list[StoredLink]:
    """The network's links, decrypted; a kind this version does not know is skipped."""
    known = {kind.value for kind in LinkKind}
    return [
        StoredLink(source=str(source), target=str(target), kind=LinkKind(kind), value=str(value))
        for source, target, kind, value in json.loads(cluster.links or "[]")
        if kind in known
    ]


def _link_counts(links: Sequence[StoredLink]) -> tuple[LinkCount, ...]:
    counts: dict[LinkKind, int] = defaultdict(int)
    for link in links:
        counts[link.kind] += 1
    return tuple(
        LinkCount(style=LINK_STYLES[kind], count=counts[kind])
        for kind in sorted(counts, key=KIND_ORDER.__getitem__)
    )


def clusters_visible_to(user: User) -> QuerySet[AdCluster]:
    return AdCluster.objects.filter(anchor__in=Advertisement.objects.visible_to(user))


def clusters_list_for_user(
    *, actor: Actor, filters: ClusterFilters, page: int | str = 1
) -> ClusterPage:
    """One page of the organisation's possible networks: the most urgent first (a declared minor,
    then the strongest sign), then the largest. The audit event names the anchor ad of every
    network shown: the list reveals that those ads exist and what links them."""
    clusters = clusters_visible_to(_user(actor)).select_related("anchor")
    if filters.declared_minor_only:
        clusters = clusters.filter(declared_minors__gt=0)
    if filters.signs_only:
        # A network's priority is its strongest ad's: above 0 when one ad shows a sign.
        clusters = clusters.filter(priority__gt=0)
    if filters.min_size > 2:
        clusters = clusters.filter(ads_count__gte=filters.min_size)
    paginator = Paginator(clusters.order_by("-priority", "-ads_count", "pk"), CLUSTERS_PER_PAGE)
    current = paginator.get_page(page)
    shown: list[AdCluster] = list(current.object_list)
    sites: dict[int, set[str]] = defaultdict(set)
    last_seen: dict[int, date] = {}
    for cluster_id, site, seen_on in Advertisement.objects.filter(cluster__in=shown).values_list(
        "cluster_id", "site", "last_seen_on"
    ):
        sites[cluster_id].add(site)
        if cluster_id not in last_seen or seen_on > last_seen[cluster_id]:
            last_seen[cluster_id] = seen_on
    rows = [
        ClusterRow(
            cluster=cluster,
            anchor_uuid=cluster.anchor.uuid,
            label=cluster_label(cluster),
            link_counts=_link_counts(cluster_links(cluster)),
            sites=tuple(sorted(sites[cluster.pk])),
            last_seen_on=last_seen.get(cluster.pk),
        )
        for cluster in shown
    ]
    audit_record(
        actor=actor, action=AuditAction.OUTREACH_AD_LIST, objects=[c.anchor for c in shown]
    )
    return ClusterPage(
        rows=rows,
        number=current.number,
        pages=paginator.num_pages,
        total=paginator.count,
        has_previous=current.has_previous(),
        has_next=current.has_next(),
    )


def _sign_labels(sign_ids: list[str]) -> tuple[str, ...]:
    # An id a newer catalogue dropped is skipped rather than breaking the page.
    catalogue = signs_catalogue().signs
    return tuple(
        SignMatch(sign=catalogue[sign_id], found=()).label
        for sign_id in sign_ids
        if sign_id in catalogue
    )


def phone_display(value: str) -> str:
    """National format for a French number (how the team dials it), international otherwise."""
    try:
        number = phonenumbers.parse(value)
    except phonenumbers.NumberParseException:
        return value
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == _HOME_REGION
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def _identifier_display(kind: str, value: str) -> str:
    return phone_display(value) if kind == IdentifierKind.PHONE else value


def _shared_identifiers(ads: Sequence[Advertisement]) -> list[SharedIdentifier]:
    """Identifiers carried by two ads or more of the network, found by their blind index (one
    query); only those are decrypted for the page."""
    by_pk = {ad.pk: ad for ad in ads}
    holders: dict[tuple[str, str], list[AdIdentifier]] = defaultdict(list)
    for identifier in AdIdentifier.objects.filter(ad_id__in=by_pk).order_by("ad_id", "pk"):
        holders[(identifier.kind, identifier.value_index)].append(identifier)
    labels = dict(IdentifierKind.choices)
    shared = [
        SharedIdentifier(
            kind=LinkKind(kind),
            kind_label=str(labels[kind]),
            value=_identifier_display(kind, rows[0].value),
            ads=tuple(dict.fromkeys(by_pk[row.ad_id] for row in rows)),
        )
        for (kind, _index), rows in holders.items()
        if len({row.ad_id for row in rows}) > 1
    ]
    shared.sort(key=lambda item: (KIND_ORDER[item.kind], -len(item.ads), item.value))
    return shared


def _near_pairs(links: Sequence[StoredLink], by_uuid: dict[str, Advertisement]) -> list[NearPair]:
    """Links that are a likeness rather than one shared value: near-identical texts (the value is
    the estimated similarity) and near photos (the value is the two fingerprints)."""
    pairs = []
    for link in links:
        near_image = link.kind == LinkKind.IMAGE and "~" in link.value
        if link.kind != LinkKind.TEXT and not near_image:
            continue
        if link.source not in by_uuid or link.target not in by_uuid:
            continue
        detail = link.value.replace("~", " ~ ") if near_image else link.value
        pairs.append(
            NearPair(
                style=LINK_STYLES[link.kind],
                first=by_uuid[link.source],
                second=by_uuid[link.target],
                detail=detail,
            )
        )
    return pairs


def _link_title(link: StoredLink, by_uuid: dict[str, Advertisement]) -> str:
    value = phone_display(link.value) if link.kind == LinkKind.PHONE else link.value
    return gettext("%(first)s and %(second)s: %(kind)s (%(value)s)") % {
        "first": by_uuid[link.source].reference,
        "second": by_uuid[link.target].reference,
        "kind": LINK_STYLES[link.kind].label,
        "value": value,
    }


def cluster_detail_for_user(
    *, actor: Actor, ad_uuid: uuid.UUID, ad_href: Callable[[Advertisement], str]
) -> ClusterDetail:
    """The network of this ad, for its page: 404 out of scope or when the ad is linked to
    nothing; the read is audited naming every ad of the network (selectors.cluster_get_for_user).
    ``ad_href`` gives the address of each ad's page (the graph's nodes are links)."""
    cluster, ads = cluster_get_for_user(actor=actor, ad_uuid=ad_uuid)
    links = cluster_links(cluster)
    by_uuid = {str(ad.uuid): ad for ad in ads}
    graph = cluster_graph(
        [
            GraphAd(
                id=str(ad.uuid),
                reference=ad.reference,
                href=ad_href(ad),
                declared_minor=ad.declared_minor,
                has_signs=bool(ad.signs),
            )
            for ad in ads
        ],
        [
            GraphLink(
                source=link.source,
                target=link.target,
                kind=link.kind,
                title=_link_title(link, by_uuid),
            )
            for link in links
            if link.source in by_uuid and link.target in by_uuid
        ],
    )
    return ClusterDetail(
        cluster=cluster,
        ads=ads,
        label=cluster_label(cluster),
        rows=[ClusterAdRow(ad=ad, sign_labels=_sign_labels(list(ad.signs))) for ad in ads],
        link_counts=_link_counts(links),
        shared=_shared_identifiers(ads),
        near=_near_pairs(links, by_uuid),
        graph=graph,
    )
