"""The drawing of a possible network (vigie/outreach/graph.py): deterministic, inside its box,
bounded, every link drawn."""

import math

from vigie.outreach.clustering_types import LinkKind
from vigie.outreach.graph import (
    GRAPH_MAX_NODES,
    HEIGHT,
    SHAPE_MINOR,
    SHAPE_PLAIN,
    SHAPE_SIGNS,
    WIDTH,
    GraphAd,
    GraphLink,
    cluster_graph,
    graph_layout,
)


def _ads(count: int) -> list[GraphAd]:
    return [
        GraphAd(id=f"ad-{i}", reference=f"ANN-2026-{i:05d}", href=f"/a/{i}/") for i in range(count)
    ]


def _star(count: int, kind: LinkKind = LinkKind.PHONE) -> list[GraphLink]:
    return [GraphLink(source="ad-0", target=f"ad-{i}", kind=kind) for i in range(1, count)]


def _ring(count: int) -> list[tuple[int, int]]:
    return [(i, (i + 1) % count) for i in range(count)]


def test_the_same_network_is_always_drawn_the_same_way():
    first = graph_layout(30, _ring(30))
    second = graph_layout(30, _ring(30))
    assert first == second
    # Not a degenerate drawing: the nodes are spread out.
    assert len(set(first)) == 30


def test_every_node_lies_inside_the_view_box_with_room_for_its_label():
    for count in (1, 2, 3, 7, 50, GRAPH_MAX_NODES):
        points = graph_layout(count, _ring(count) if count > 2 else [])
        assert len(points) == count
        for x, y in points:
            assert 40 <= x <= WIDTH - 40, (count, x)
            assert 40 <= y <= HEIGHT - 40, (count, y)


def test_linked_ads_are_drawn_closer_than_unlinked_ones():
    # Two triangles joined by one edge: the members of a triangle sit together.
    edges = [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)]
    points = graph_layout(6, edges)

    def distance(a: int, b: int) -> float:
        return math.dist(points[a], points[b])

    assert distance(0, 1) < distance(0, 5)
    assert distance(3, 4) < distance(1, 4)


def test_a_node_per_ad_and_an_edge_per_link():
    ads = _ads(5)
    links = [*_star(5), GraphLink(source="ad-1", target="ad-2", kind=LinkKind.TEXT, title="0.91")]
    graph = cluster_graph(ads, links)
    assert [node.ad.id for node in graph.nodes] == [ad.id for ad in ads]
    assert [(edge.link.source, edge.link.target) for edge in graph.edges] == [
        (link.source, link.target) for link in links
    ]
    assert not graph.truncated
    assert {style.kind for style in graph.kinds_shown} == {LinkKind.PHONE, LinkKind.TEXT}
    # An edge starts and ends on its nodes.
    position = {node.ad.id: (node.x, node.y) for node in graph.nodes}
    for edge in graph.edges:
        assert (edge.x1, edge.y1) == position[edge.link.source]
        assert (edge.x2, edge.y2) == position[edge.link.target]


def test_two_links_between_the_same_ads_are_drawn_side_by_side():
    ads = _ads(2)
    links = [
        GraphLink(source="ad-0", target="ad-1", kind=LinkKind.PHONE),
        GraphLink(source="ad-0", target="ad-1", kind=LinkKind.HANDLE),
    ]
    phone, handle = cluster_graph(ads, links).edges
    assert (phone.x1, phone.y1) != (handle.x1, handle.y1)
    # Parallel: same length, same direction.
    assert math.isclose(phone.x2 - phone.x1, handle.x2 - handle.x1, abs_tol=0.2)
    assert math.isclose(phone.y2 - phone.y1, handle.y2 - handle.y1, abs_tol=0.2)


def test_a_large_network_shows_its_first_ads_and_the_links_between_them():
    ads = _ads(GRAPH_MAX_NODES + 50)
    # A chain: ad i linked to ad i + 1.
    links = [
        GraphLink(source=f"ad-{i}", target=f"ad-{i + 1}", kind=LinkKind.HANDLE)
        for i in range(len(ads) - 1)
    ]
    graph = cluster_graph(ads, links)
    assert graph.truncated
    assert graph.total_ads == GRAPH_MAX_NODES + 50
    assert len(graph.nodes) == GRAPH_MAX_NODES
    assert graph.nodes[-1].ad.id == f"ad-{GRAPH_MAX_NODES - 1}"
    assert len(graph.edges) == GRAPH_MAX_NODES - 1


def test_a_node_shape_says_declared_minor_or_signs():
    ads = [
        GraphAd(id="a", reference="A", href="/a/"),
        GraphAd(id="b", reference="B", href="/b/", has_signs=True),
        GraphAd(id="c", reference="C", href="/c/", has_signs=True, declared_minor=True),
    ]
    graph = cluster_graph(
        ads, [GraphLink("a", "b", LinkKind.PHONE), GraphLink("b", "c", LinkKind.PHONE)]
    )
    assert [node.shape for node in graph.nodes] == [SHAPE_PLAIN, SHAPE_SIGNS, SHAPE_MINOR]
    assert graph.nodes[0].points == ""
    assert len(graph.nodes[1].points.split()) == 4
    assert len(graph.nodes[2].points.split()) == 4


def test_references_are_written_inside_the_box_without_covering_each_other():
    ads = [
        GraphAd(id=f"ad-{i}", reference=f"ANN-2026-{i:05d}", href="/", declared_minor=i == 7)
        for i in range(40)
    ]
    links = [
        GraphLink(source=f"ad-{hub}", target=f"ad-{hub + j}", kind=LinkKind.PHONE)
        for hub in (0, 10, 20, 30)
        for j in range(1, 10)
    ] + [
        GraphLink(source=f"ad-{a}", target=f"ad-{a + 10}", kind=LinkKind.HANDLE)
        for a in (0, 10, 20)
    ]
    graph = cluster_graph(ads, links)
    boxes = []
    for node in graph.nodes:
        if node.label is None:
            continue
        centre, baseline = node.label
        half = len(node.ad.reference) * 3.5
        boxes.append((centre - half, baseline - 12, centre + half, baseline + 2))
    # Most ads keep their reference; the declared minor always does.
    assert len(boxes) >= 30
    assert graph.nodes[7].label is not None
    for left, top, right, bottom in boxes:
        assert left >= 0 and right <= WIDTH and top >= 0 and bottom <= HEIGHT
    for index, first in enumerate(boxes):
        for second in boxes[index + 1 :]:
            apart = (
                first[2] <= second[0]
                or second[2] <= first[0]
                or first[3] <= second[1]
                or second[3] <= first[1]
            )
            assert apart, (first, second)
