"""Server-side SVG charts: well-formed, named for assistive technologies, text on every bar,
colours readable against white, and nothing from the data able to inject markup."""

import re
import xml.etree.ElementTree as ET  # nosec B405

import pytest

from vigie.monitoring.charts import (
    MAX_BARS,
    PALETTE,
    Bar,
    Series,
    bar_chart,
    grouped_bar_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


def _parsed(svg) -> ET.Element:
    # Our own output, built in the test: no untrusted XML is parsed.
    return ET.fromstring(str(svg))  # noqa: S314  # nosec B314


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast_with_white(colour: str) -> float:
    return 1.05 / (_luminance(colour) + 0.05)


def _bars():
    return [
        Bar("girl", "Girl", 12, "12 (30.0%)"),
        Bar("boy", "Boy", 28, "28 (70.0%)"),
        Bar("other", "Other", 0, "0 (0.0%)"),
    ]


def test_every_colour_has_3_to_1_contrast_against_white():
    # WCAG 2.1 SC 1.4.11 (non-text contrast); the reference values check the formula itself.
    assert round(_contrast_with_white("#767676"), 1) == 4.5
    assert round(_contrast_with_white("#000000"), 1) == 21.0
    for colour in PALETTE:
        assert _contrast_with_white(colour) >= 3, colour
    assert len(set(PALETTE)) == len(PALETTE)


def test_a_bar_chart_is_a_named_image_with_text_on_every_bar():
    svg = str(
        bar_chart(chart_id="c1", title="Files by gender", description="See the table", bars=_bars())
    )

    root = _parsed(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").get("id") == "c1-title"
    assert root.find(f"{SVG}title").text == "Files by gender"
    assert root.find(f"{SVG}desc").text == "See the table"
    texts = [element.text for element in root.iter(f"{SVG}text")]
    for label, text in (("Girl", "12 (30.0%)"), ("Boy", "28 (70.0%)"), ("Other", "0 (0.0%)")):
        assert label in texts and text in texts
    rects = {r.get("data-label"): r for r in root.iter(f"{SVG}rect")}
    # Bars are proportional to their counts, and "none" is still drawn (a hairline).
    ratio = float(rects["boy"].get("width")) / float(rects["girl"].get("width"))
    assert ratio == pytest.approx(28 / 12, rel=1e-3)
    assert float(rects["other"].get("width")) == 1.0
    assert rects["boy"].get("data-count") == "28"
    # No inline style: the Content-Security-Policy would block it.
    assert "style=" not in svg and "<style" not in svg and "<script" not in svg


def test_labels_from_the_data_are_escaped():
    bars = [Bar('x"><script>alert(1)</script>', "<b>Évry & Co</b>", 3, "3 <100%>")]

    svg = str(bar_chart(chart_id="c2", title="<title>", description="a & b", bars=bars))

    assert "<script" not in svg and "<b>" not in svg
    root = _parsed(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == "<title>"
    assert "<b>Évry & Co</b>" in [element.text for element in root.iter(f"{SVG}text")]


def test_long_labels_are_shortened_in_the_chart_only():
    long = "Sexual exploitation / prostitution in an organised network"

    svg = str(bar_chart(chart_id="c3", title="t", description="d", bars=[Bar("k", long, 1, "1")]))

    texts = [element.text for element in _parsed(svg).iter(f"{SVG}text")]
    shortened = next(text for text in texts if text.startswith("Sexual"))
    assert shortened.endswith("…") and len(shortened) < len(long)


def test_a_grouped_chart_names_the_category_on_each_bar_and_has_a_legend():
    svg = str(
        grouped_bar_chart(
            chart_id="c4",
            title="Files by age and gender",
            description="d",
            groups=[Series("0-5", "0-5 years"), Series("15-17", "15-17 years")],
            series=[Series("girl", "Girl"), Series("boy", "Boy")],
            counts=[[1, 0], [4, 2]],
        )
    )

    root = _parsed(svg)
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert texts.count("Girl: 4") == 1 and texts.count("Boy: 0") == 1
    assert "0-5 years" in texts and "15-17 years" in texts
    bars = {r.get("data-label"): r for r in root.iter(f"{SVG}rect") if r.get("data-label")}
    assert set(bars) == {"0-5:girl", "0-5:boy", "15-17:girl", "15-17:boy"}
    assert bars["15-17:girl"].get("data-count") == "4"
    # Each series keeps its colour from group to group, and the legend shows it with its name.
    assert bars["0-5:girl"].get("fill") == bars["15-17:girl"].get("fill") == PALETTE[0]
    assert bars["0-5:boy"].get("fill") == PALETTE[1]
    swatches = [r for r in root.iter(f"{SVG}rect") if not r.get("data-label")]
    assert [s.get("fill") for s in swatches] == [PALETTE[0], PALETTE[1]]
    assert "Girl" in texts and "Boy" in texts


def test_the_chart_grows_with_its_bars():
    def height(count: int) -> float:
        bars = [Bar(str(i), f"Value {i}", i, str(i)) for i in range(count)]
        svg = str(bar_chart(chart_id="c", title="t", description="d", bars=bars))
        return float(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))

    assert height(10) > height(2) > 0
    assert MAX_BARS >= 100  # a département table (101 values) still gets its chart
