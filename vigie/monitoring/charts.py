"""Bar charts drawn on the server as SVG: no script, no library, nothing fetched.

Every bar carries its number (and, with two dimensions, its category) as text, so colour is never
the only way to tell bars apart; every colour reaches 3:1 against white (WCAG 2.1 SC 1.4.11).
A chart is an image with a title and a description (``role="img"``, ``aria-labelledby``): its
numbers are read from the data table that the page shows right after it.

Only SVG presentation attributes are used: the Content-Security-Policy allows no inline style.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Dark tones, each at least 3:1 against white (checked by test_charts.py), in an order that
# keeps neighbours apart in hue.
PALETTE = (
    "#1f4e79",  # blue
    "#a0410d",  # rust
    "#2e6b30",  # green
    "#6a3d9a",  # purple
    "#8c1c4b",  # wine
    "#00646e",  # teal
    "#6b5200",  # olive
    "#3d4a5c",  # slate
)
INK = "#1d2330"
LINE = "#6b7385"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, sans-serif"
FONT_SIZE = 13

WIDTH = 760
# Characters of a category's name shown before the bar; longer names end with an ellipsis (the
# table after the chart has them in full).
LABEL_CHARACTERS = 34
CHARACTER_WIDTH = 8  # at most, for FONT_SIZE in bold
VALUE_SPACE = 170  # room right of the longest bar for its text
BAR = 22
SERIES_BAR = 18
GAP = 8
GROUP_GAP = 14
TOP = 12
LEGEND_ROW = 22
# Beyond this many bars a chart is no longer readable: the page shows the table alone.
MAX_BARS = 150


@dataclass(frozen=True)
class Bar:
    key: str  # the value's code, for the table beside it and for tests
    label: str
    count: int
    text: str  # what is written at the end of the bar ("12 (30 %)")


@dataclass(frozen=True)
class Series:
    key: str
    label: str


def _shortened(label: str) -> str:
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _label_width(labels: Sequence[str]) -> int:
    longest = max((len(_shortened(label)) for label in labels), default=0)
    return longest * CHARACTER_WIDTH + 16


def _scale(largest: int, room: int) -> float:
    return room / largest if largest > 0 else 0.0


def _text(
    x: float, y: float, content: str, *, anchor: str = "start", weight: str = "normal"
) -> SafeString:
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" dominant-baseline="middle" font-weight="{}" '
        'fill="{}">{}</text>',
        f"{x:.1f}",
        f"{y:.1f}",
        anchor,
        weight,
        INK,
        content,
    )


def _bar(
    key: str, count: int, x: float, y: float, width: float, height: int, colour: str
) -> SafeString:
    # A bar of 0 keeps a hairline, so that "none" is drawn and not just missing.
    return format_html(
        '<rect data-label="{}" data-count="{}" x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
        key,
        count,
        f"{x:.1f}",
        f"{y:.1f}",
        f"{max(width, 1.0):.1f}",
        height,
        colour,
    )


def _svg(
    chart_id: str, title: str, description: str, height: float, parts: list[SafeString]
) -> SafeString:
    body = format_html_join("", "{}", ((part,) for part in parts))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" id="{}" class="chart" role="img" '
        'aria-labelledby="{}-title {}-desc" viewBox="0 0 {} {}" width="100%" '
        'font-family="{}" font-size="{}">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        chart_id,
        chart_id,
        chart_id,
        WIDTH,
        f"{height:.0f}",
        FONT,
        FONT_SIZE,
        chart_id,
        title,
        chart_id,
        description,
        body,
    )


def bar_chart(*, chart_id: str, title: str, description: str, bars: Sequence[Bar]) -> SafeString:
    """Horizontal bars, one per category, each with its label before it and its text after."""
    label_width = _label_width([bar.label for bar in bars])
    scale = _scale(max((bar.count for bar in bars), default=0), WIDTH - label_width - VALUE_SPACE)
    parts: list[SafeString] = []
    y = TOP
    for bar in bars:
        width = bar.count * scale
        middle = y + BAR / 2
        parts.append(_text(label_width - 8, middle, _shortened(bar.label), anchor="end"))
        parts.append(_bar(bar.key, bar.count, label_width, y, width, BAR, PALETTE[0]))
        parts.append(_text(label_width + max(width, 1.0) + 6, middle, bar.text))
        y += BAR + GAP
    parts.append(_axis(label_width, TOP - 4, y))
    return _svg(chart_id, title, description, y + TOP, parts)


def _axis(x: float, top: float, bottom: float) -> SafeString:
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
        f"{x:.1f}",
        f"{top:.1f}",
        f"{x:.1f}",
        f"{bottom:.1f}",
        LINE,
    )


def _legend(series: Sequence[Series], x: float) -> tuple[list[SafeString], float]:
    """One line per series: a swatch and its name (the bars repeat the name: no colour code
    has to be remembered)."""
    parts: list[SafeString] = []
    y = TOP
    for index, item in enumerate(series):
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="14" fill="{}"/>',
                f"{x:.1f}",
                f"{y:.1f}",
                PALETTE[index % len(PALETTE)],
            )
        )
        parts.append(_text(x + 20, y + 7, item.label))
        y += LEGEND_ROW
    return parts, y + GAP


def grouped_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    groups: Sequence[Series],
    series: Sequence[Series],
    counts: Sequence[Sequence[int]],
) -> SafeString:
    """A group of bars per category of the first dimension, one bar per category of the second,
    each written "<second category>: <count>"."""
    label_width = _label_width([group.label for group in groups])
    largest = max((count for line in counts for count in line), default=0)
    room = WIDTH - label_width - VALUE_SPACE
    scale = _scale(largest, room)
    parts, y = _legend(series, label_width)
    top = y
    for group, line in zip(groups, counts, strict=True):
        group_height = len(series) * (SERIES_BAR + 2)
        middle = y + group_height / 2
        parts.append(
            _text(label_width - 8, middle, _shortened(group.label), anchor="end", weight="bold")
        )
        for index, (item, count) in enumerate(zip(series, line, strict=True)):
            width = count * scale
            colour = PALETTE[index % len(PALETTE)]
            key = f"{group.key}:{item.key}"
            parts.append(_bar(key, count, label_width, y, width, SERIES_BAR, colour))
            parts.append(
                _text(
                    label_width + max(width, 1.0) + 6,
                    y + SERIES_BAR / 2,
                    f"{_shortened(item.label)}: {count}",
                )
            )
            y += SERIES_BAR + 2
        y += GROUP_GAP
    parts.append(_axis(label_width, top - 4, y - GROUP_GAP + 4))
    return _svg(chart_id, title, description, y + TOP, parts)
