"""The drawing of a possible network: where each ad sits, as numbers for a server-side SVG.

Issue 10 asks that clusters be shown "as a graph and a list". The graph is drawn on the server
(no JavaScript library, no external asset: the Content-Security-Policy allows neither) by
:func:`cluster_graph`, and the template only writes the SVG elements it is given. Pure module: no
database, no request; the caller passes each ad's address.

The layout is Fruchterman-Reingold (1991) run a fixed number of times from a seeded start, so
the same network is always drawn the same way: a worker who comes back finds the ads where they
were, and the tests can compare drawings.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .clustering_types import LinkKind

# Beyond this many ads the drawing is unreadable and the layout slow (n² repulsions per step):
# the graph shows the first ones, the tables below it list every ad and every link.
GRAPH_MAX_NODES = 200
WIDTH = 960
HEIGHT = 600
_MARGIN = 48
_ITERATIONS = 300
_SEED = 20_26


@dataclass(frozen=True)
class LinkStyle:
    """How a kind of link is drawn: a colour and a dash pattern, so that the kind never rests on
    colour alone (WCAG 1.4.1); the legend names each one."""

    kind: LinkKind
    label: str | Promise
    colour: str
    dasharray: str  # SVG stroke-dasharray; "" for a solid line
    width: float
    line: str | Promise  # the line's look in words, for the legend


LINK_STYLES: dict[LinkKind, LinkStyle] = {
    LinkKind.PHONE: LinkStyle(
        LinkKind.PHONE, _("Same phone number"), "#9b1c1c", "", 2.5, _("solid line")
    ),
    LinkKind.HANDLE: LinkStyle(
        LinkKind.HANDLE, _("Same account"), "#1d4ed8", "8 4", 2.5, _("dashed line")
    ),
    LinkKind.IMAGE: LinkStyle(
        LinkKind.IMAGE, _("Same or near photo"), "#166534", "2 4", 3.0, _("dotted line")
    ),
    LinkKind.TEXT: LinkStyle(
        LinkKind.TEXT, _("Near-identical text"), "#6b21a8", "10 4 2 4", 2.0, _("dash-dot line")
    ),
}

# A node's shape says what the ad shows, with a mark in its accessible name, never colour alone.
SHAPE_PLAIN = "circle"
SHAPE_SIGNS = "square"
SHAPE_MINOR = "diamond"


@dataclass(frozen=True)
class GraphAd:
    """One ad as the graph needs it."""

    id: str
    reference: str
    href: str
    declared_minor: bool = False
    has_signs: bool = False


@dataclass(frozen=True)
class GraphLink:
    source: str
    target: str
    kind: LinkKind
    title: str = ""


@dataclass(frozen=True)
class GraphNode:
    ad: GraphAd
    x: float
    y: float
    shape: str
    # Points of the square or diamond ("x,y x,y ..."); empty for a circle.
    points: str
    # Centre and baseline of the reference written beside the node; None when it would cover
    # another label (the reference stays in the node's tooltip, accessible name and the tables).
    label: tuple[float, float] | None


@dataclass(frozen=True)
class GraphEdge:
    link: GraphLink
    style: LinkStyle
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class ClusterGraph:
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    total_ads: int
    width: int = WIDTH
    height: int = HEIGHT
    radius: float = 10.0

    @property
    def truncated(self) -> bool:
        return len(self.nodes) < self.total_ads

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def kinds_shown(self) -> tuple[LinkStyle, ...]:
        present = {edge.link.kind for edge in self.edges}
        return tuple(style for kind, style in LINK_STYLES.items() if kind in present)


def graph_layout(
    count: int,
    edges: Sequence[tuple[int, int]],
    *,
    width: float = WIDTH,
    height: float = HEIGHT,
    margin: float = _MARGIN,
    iterations: int = _ITERATIONS,
    seed: int = _SEED,
) -> list[tuple[float, float]]:
    """Positions of ``count`` nodes joined by ``edges`` (pairs of positions), inside the box
    [margin, width - margin] x [margin, height - margin]; the same input gives the same output.

    Fruchterman-Reingold: every pair of nodes repels (k²/d), every edge attracts (d²/k), and a
    temperature falling linearly to zero bounds each step. Two nodes or fewer sit on a line.
    """
    if count <= 0:
        return []
    if count <= 2:
        unit = np.array([[0.0, 0.5], [1.0, 0.5]][:count])
        if count == 1:
            unit = np.array([[0.5, 0.5]])
        return _fit(unit, width=width, height=height, margin=margin)
    rng = np.random.default_rng(seed)
    positions = rng.random((count, 2))
    adjacency = np.zeros((count, count))
    for source, target in edges:
        if source != target:
            adjacency[source, target] = adjacency[target, source] = 1.0
    ideal = math.sqrt(1.0 / count)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _step in range(iterations):
        delta = positions[:, np.newaxis, :] - positions[np.newaxis, :, :]
        distance = np.linalg.norm(delta, axis=-1)
        np.clip(distance, 0.01, None, out=distance)
        force = ideal * ideal / distance**2 - adjacency * distance / ideal
        displacement = np.einsum("ijk,ij->ik", delta, force)
        length = np.linalg.norm(displacement, axis=-1)
        np.clip(length, 0.01, None, out=length)
        positions += displacement * (temperature / length)[:, np.newaxis]
        temperature -= cooling
    return _fit(positions, width=width, height=height, margin=margin)


def _fit(
    positions: np.ndarray, *, width: float, height: float, margin: float
) -> list[tuple[float, float]]:
    """Scale uniformly and centre into the box; rounded so that the drawing is stable text."""
    low = positions.min(axis=0)
    span = positions.max(axis=0) - low
    inner = np.array([width - 2 * margin, height - 2 * margin])
    ratios = [float(inner[axis] / span[axis]) for axis in (0, 1) if span[axis] > 0]
    scale = min(ratios) if ratios else 0.0
    drawn = (positions - low) * scale
    offset = (np.array([width, height]) - drawn.max(axis=0)) / 2
    placed = drawn + offset
    return [(round(float(x), 1), round(float(y), 1)) for x, y in placed]


def _shape_points(shape: str, x: float, y: float, radius: float) -> str:
    if shape == SHAPE_SIGNS:
        r = radius * 0.9
        corners = [(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)]
    elif shape == SHAPE_MINOR:
        r = radius * 1.3
        corners = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    else:
        return ""
    return " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in corners)


def _shape(ad: GraphAd) -> str:
    if ad.declared_minor:
        return SHAPE_MINOR
    if ad.has_signs:
        return SHAPE_SIGNS
    return SHAPE_PLAIN


# Approximate size of a reference written at 12 units (about 7 units a character).
_CHAR_WIDTH = 7.0
_LABEL_HEIGHT = 14.0

_Box = tuple[float, float, float, float]


def _overlaps(box: _Box, others: Sequence[_Box]) -> bool:
    left, top, right, bottom = box
    return any(
        left < o_right and o_left < right and top < o_bottom and o_top < bottom
        for o_left, o_top, o_right, o_bottom in others
    )


def _labels_placed(
    ads: Sequence[GraphAd],
    points: Sequence[tuple[float, float]],
    degrees: Sequence[int],
    radius: float,
) -> list[tuple[float, float] | None]:
    """Where each reference is written (its centre and baseline): under its node, else above,
    right or left of it, else nowhere when each would cover another label or node. The ads a
    worker looks for first are labelled first: declared minors, then signs, then the hubs (most
    links), then the oldest."""
    nodes: list[_Box] = [(x - radius, y - radius, x + radius, y + radius) for x, y in points]
    labels: list[_Box] = []
    order = sorted(
        range(len(ads)),
        key=lambda i: (not ads[i].declared_minor, not ads[i].has_signs, -degrees[i], i),
    )
    placed: list[tuple[float, float] | None] = [None] * len(ads)
    gap = radius * 1.3 + 2
    for index in order:
        x, y = points[index]
        half = len(ads[index].reference) * _CHAR_WIDTH / 2
        others = nodes[:index] + nodes[index + 1 :] + labels
        candidates = (
            (x, y + gap + _LABEL_HEIGHT - 2),
            (x, y - gap - 2),
            (x + gap + half, y + 4),
            (x - gap - half, y + 4),
        )
        for centre, baseline in candidates:
            box = (centre - half, baseline - _LABEL_HEIGHT + 2, centre + half, baseline + 2)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= WIDTH and box[3] <= HEIGHT
            if inside and not _overlaps(box, others):
                labels.append(box)
                placed[index] = (round(centre, 1), round(baseline, 1))
                break
    return placed


def cluster_graph(
    ads: Sequence[GraphAd], links: Sequence[GraphLink], *, limit: int = GRAPH_MAX_NODES
) -> ClusterGraph:
    """The drawing of a network: its first ``limit`` ads (in the order given) and the links
    between them. Links between the same two ads (a phone and an account) are drawn side by side
    rather than on top of each other."""
    shown = list(ads[:limit])
    position = {ad.id: index for index, ad in enumerate(shown)}
    kept = [
        link
        for link in links
        if link.source in position and link.target in position and link.source != link.target
    ]
    points = graph_layout(len(shown), [(position[lk.source], position[lk.target]) for lk in kept])
    radius = 10.0 if len(shown) <= 60 else 7.0 if len(shown) <= 120 else 5.0
    degrees = [0] * len(shown)
    for link in kept:
        degrees[position[link.source]] += 1
        degrees[position[link.target]] += 1
    labels = _labels_placed(shown, points, degrees, radius)
    nodes = tuple(
        GraphNode(
            ad=ad,
            x=x,
            y=y,
            shape=_shape(ad),
            points=_shape_points(_shape(ad), x, y, radius),
            label=label,
        )
        for ad, (x, y), label in zip(shown, points, labels, strict=True)
    )
    by_pair: dict[tuple[int, int], list[GraphLink]] = defaultdict(list)
    for link in kept:
        pair = tuple(sorted((position[link.source], position[link.target])))
        by_pair[(pair[0], pair[1])].append(link)
    edges: list[GraphEdge] = []
    for (first, second), pair_links in by_pair.items():
        (x1, y1), (x2, y2) = points[first], points[second]
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        # Unit normal to the segment: parallel links are spread 4 units apart along it.
        normal_x, normal_y = -(y2 - y1) / length, (x2 - x1) / length
        for index, link in enumerate(pair_links):
            shift = (index - (len(pair_links) - 1) / 2) * 4.0
            dx, dy = normal_x * shift, normal_y * shift
            edges.append(
                GraphEdge(
                    link=link,
                    style=LINK_STYLES[link.kind],
                    x1=round(x1 + dx, 1),
                    y1=round(y1 + dy, 1),
                    x2=round(x2 + dx, 1),
                    y2=round(y2 + dy, 1),
                )
            )
    return ClusterGraph(
        nodes=nodes,
        edges=tuple(edges),
        total_ads=len(ads),
        radius=radius,
    )
