"""The records, settings and results of the clustering of online advertisements, and the
union-find that joins ads (see :mod:`vigie.outreach.clustering`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

AdId = str | int


class LinkKind(StrEnum):
    """Why two ads are linked; the order of the members is the display order."""

    PHONE = "phone"
    HANDLE = "handle"
    IMAGE = "image"
    TEXT = "text"


KIND_ORDER = {kind: position for position, kind in enumerate(LinkKind)}


@dataclass(frozen=True, slots=True)
class AdRecord:
    """One online advertisement, reduced to what links it to others.

    ``image_hashes`` are perceptual hashes in hexadecimal (e.g. 64-bit pHash, 16 hex digits).
    ``city`` and ``declared_age`` only feed the cluster summary.
    """

    id: AdId
    phones: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    image_hashes: tuple[str, ...] = ()
    text: str = ""
    city: str | None = None
    declared_age: int | None = None


@dataclass(frozen=True, slots=True)
class ClusteringSettings:
    """Tuning of the clustering; defaults are those measured by ``bench/outreach_clusters.py``.

    - ``text_threshold``: estimated Jaccard similarity of word 3-shingles above which two texts are
      "near-identical" (MinHash LSH threshold and verification threshold).
    - ``num_perm``: MinHash permutations; 128 estimates a Jaccard of 0.8 within about 0.035.
    - ``image_max_distance``: Hamming distance (bits) under which two image hashes match. 0 means
      equal hashes, indexed by a dictionary. Above 0 the hashes are cut into distance + 1 pieces
      (two hashes within the distance share at least one piece exactly, pigeonhole principle) and
      only ads sharing a piece are compared: keep it small (at most 4 for 64-bit hashes) or the
      pieces become too short to discriminate and the comparison quadratic.
    - ``min_text_tokens``: texts with fewer shingles are not compared ("Dispo ce soir" is shared
      by thousands of unrelated ads).
    - ``max_ads_per_value``: a phone, handle or image hash found in more ads than this is ignored
      and reported (an agency's switchboard, a platform's stock photo), otherwise it would merge
      everything; None disables the guard.
    - ``min_cluster_size``: smaller components are not reported (2: every linked pair is shown).
    - ``kinds``: link kinds used.
    """

    text_threshold: float = 0.8
    num_perm: int = 128
    image_max_distance: int = 0
    min_text_tokens: int = 5
    max_ads_per_value: int | None = 1000
    min_cluster_size: int = 2
    kinds: frozenset[LinkKind] = frozenset(LinkKind)
    seed: int = 1

    def __post_init__(self) -> None:
        if not 0.0 < self.text_threshold <= 1.0:
            raise ValueError("text_threshold must be in (0, 1]")
        if self.num_perm < 4 or self.image_max_distance < 0 or self.min_text_tokens < 1:
            raise ValueError("num_perm >= 4, image_max_distance >= 0 and min_text_tokens >= 1")
        if self.min_cluster_size < 1:
            raise ValueError("min_cluster_size must be at least 1")


@dataclass(frozen=True, slots=True)
class Link:
    """A typed edge between two ads; ``value`` is the shared phone, handle or image hash, or the
    estimated text similarity with two decimals."""

    source: AdId
    target: AdId
    kind: LinkKind
    value: str


@dataclass(frozen=True, slots=True)
class Cluster:
    """A possible network: member ads in input order and the links that join them.

    Links form, per kind, a spanning forest (a star per shared value, a tree for texts), so a graph
    shows every reason without the quadratic number of pairs a shared phone implies.
    """

    number: int
    members: tuple[AdRecord, ...]
    links: tuple[Link, ...]

    @property
    def member_ids(self) -> tuple[AdId, ...]:
        return tuple(ad.id for ad in self.members)


@dataclass(frozen=True, slots=True)
class ClusteringResult:
    clusters: tuple[Cluster, ...]
    # (kind, value, number of ads) of values ignored by ``max_ads_per_value``.
    ignored_values: tuple[tuple[LinkKind, str, int], ...]
    ads_count: int


@dataclass(frozen=True, slots=True)
class ClusterSummary:
    """Counts shown next to a cluster ("possible network: 14 ads, 3 phones, 5 cities")."""

    ads: int
    phones: int
    handles: int
    images: int
    cities: int
    declared_minors: int
    links_by_kind: dict[LinkKind, int] = field(default_factory=dict)


class UnionFind:
    """Union-find over ad positions with path halving and union by size."""

    __slots__ = ("parent", "size")

    def __init__(self, count: int) -> None:
        self.parent = list(range(count))
        self.size = [1] * count

    def find(self, item: int) -> int:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, first: int, second: int) -> bool:
        root_a, root_b = self.find(first), self.find(second)
        if root_a == root_b:
            return False
        if self.size[root_a] < self.size[root_b]:
            root_a, root_b = root_b, root_a
        self.parent[root_b] = root_a
        self.size[root_a] += self.size[root_b]
        return True


# An edge between ad positions: (kind, source position, target position, value).
Edge = tuple[LinkKind, int, int, str]
