"""Server-rendered SVG charts (horizontal bars and vertical columns): no JavaScript, no chart library.

Every chart scales with its container (a viewBox and no fixed size), names itself to screen readers with
<title>/<desc>, escapes every label, and takes its colours from the page's stylesheet through class names.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from app.web.i18n import _, format_number, ngettext

WIDTH = 640
ROW_HEIGHT = 30
BAR_THICKNESS = 20
COLUMN_AREA_HEIGHT = 200
FONT_SIZE = 14
# Average advance of a Latin character at FONT_SIZE, in viewBox units; East Asian wide characters take two.
CHAR_WIDTH = 7.2
MAX_LABEL_CHARS = 28
_ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: what it counts, how many, and optionally where it leads."""

    label: str
    value: int
    href: str | None = None


def display_width(text: str) -> int:
    """The width of TEXT in Latin-character cells: CJK and other wide characters count as two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def shorten(text: str, max_cells: int = MAX_LABEL_CHARS) -> str:
    """TEXT cut to MAX_CELLS display cells, with an ellipsis when anything was cut."""
    if display_width(text) <= max_cells:
        return text
    kept: list[str] = []
    used = 0
    for char in text:
        cells = display_width(char)
        if used + cells > max_cells - 1:
            break
        kept.append(char)
        used += cells
    return "".join(kept).rstrip() + "…"


def nice_ticks(maximum: int, *, max_ticks: int = 5) -> list[int]:
    """Round gridline values from 0 up to at least MAXIMUM, using steps of 1, 2 or 5 times a power of ten."""
    if maximum <= 0:
        return [0, 1]
    raw_step = maximum / max_ticks
    magnitude = 10 ** math.floor(math.log10(raw_step)) if raw_step >= 1 else 1
    step = next(
        multiple * magnitude for multiple in (1, 2, 5, 10) if multiple * magnitude * max_ticks >= maximum
    )
    step = max(int(step), 1)
    top = math.ceil(maximum / step) * step
    return list(range(0, top + 1, step))


def fill_years(counts: Mapping[int, int]) -> list[Bar]:
    """One bar per year from the first to the last year in COUNTS, with zero for the years in between."""
    if not counts:
        return []
    first, last = min(counts), max(counts)
    return [Bar(str(year), counts.get(year, 0)) for year in range(first, last + 1)]


def _check_id(chart_id: str) -> None:
    if not _ID_PATTERN.fullmatch(chart_id):
        raise ValueError(f"chart ids are short ASCII identifiers, not {chart_id!r}")


def _quantity(value: int, unit: str) -> str:
    count = format_number(value)
    if unit == "ratings":
        return ngettext("%(count)s rating", "%(count)s ratings", value, count=count)
    return ngettext("%(count)s paper", "%(count)s papers", value, count=count)


def _frame(chart_id: str, kind: str, height: float, *, title: str, description: str, body: Markup) -> Markup:
    return Markup(
        '<svg class="chart chart--{kind}" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMidYMid meet" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>{body}</svg>'
    ).format(
        kind=kind,
        width=WIDTH,
        height=f"{height:g}",
        id=chart_id,
        title=title,
        description=description,
        body=body,
    )


def _linked(bar: Bar, content: Markup) -> Markup:
    if bar.href is None:
        return content
    return Markup('<a class="chart-link" href="{href}">{content}</a>').format(href=bar.href, content=content)


def _empty(chart_id: str, kind: str, title: str, description: str) -> Markup:
    body = Markup(
        '<text class="chart-empty" x="{x}" y="40" text-anchor="middle" font-size="{size}">{text}</text>'
    ).format(x=WIDTH // 2, size=FONT_SIZE + 2, text=_("Nothing to show yet"))
    return _frame(chart_id, kind, 80, title=title, description=description, body=body)


def bar_chart(
    bars: Sequence[Bar], *, chart_id: str, title: str, description: str, unit: str = "papers"
) -> Markup:
    """Horizontal bars, one row per label: suits categories and tags, whose names can be long."""
    _check_id(chart_id)
    if not bars:
        return _empty(chart_id, "bars", title, description)
    labels = [shorten(bar.label) for bar in bars]
    label_width = min(max(display_width(label) for label in labels) * CHAR_WIDTH + 12, WIDTH * 0.45)
    value_width = max(len(format_number(bar.value)) for bar in bars) * CHAR_WIDTH + 10
    track = WIDTH - label_width - value_width
    largest = max(*(bar.value for bar in bars), 1)
    rows: list[Markup] = []
    for index, (bar, label) in enumerate(zip(bars, labels, strict=True)):
        top = index * ROW_HEIGHT
        length = track * bar.value / largest
        middle = top + ROW_HEIGHT / 2
        row = Markup(
            '<g class="chart-row"><title>{tooltip}</title>'
            '<text class="chart-label" x="{label_end:g}" y="{middle:g}" text-anchor="end" '
            'dominant-baseline="central" font-size="{size}">{label}</text>'
            '<rect class="chart-bar" x="{bar_x:g}" y="{bar_y:g}" width="{length:.1f}" '
            'height="{thickness}" rx="3"/>'
            '<text class="chart-value" x="{value_x:.1f}" y="{middle:g}" dominant-baseline="central" '
            'font-size="{size}">{value}</text></g>'
        ).format(
            tooltip=f"{bar.label}: {_quantity(bar.value, unit)}",
            label_end=label_width - 8,
            middle=middle,
            size=FONT_SIZE,
            label=label,
            bar_x=label_width,
            bar_y=top + (ROW_HEIGHT - BAR_THICKNESS) / 2,
            length=max(length, 1.5 if bar.value else 0),
            thickness=BAR_THICKNESS,
            value_x=label_width + length + 6,
            value=format_number(bar.value),
        )
        rows.append(_linked(bar, row))
    return _frame(
        chart_id,
        "bars",
        len(bars) * ROW_HEIGHT,
        title=title,
        description=description,
        body=Markup("").join(rows),
    )


def column_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    unit: str = "papers",
    max_labels: int = 12,
) -> Markup:
    """Vertical columns along an ordered axis (years, star scores), with round gridlines behind them."""
    _check_id(chart_id)
    if not bars:
        return _empty(chart_id, "columns", title, description)
    ticks = nice_ticks(max(bar.value for bar in bars))
    top_value = ticks[-1]
    axis_width = len(format_number(top_value)) * CHAR_WIDTH + 12
    plot_top = 12
    plot_bottom = plot_top + COLUMN_AREA_HEIGHT
    slot = (WIDTH - axis_width) / len(bars)
    thickness = max(min(slot * 0.7, 56), 2)
    label_every = max(1, math.ceil(len(bars) / max_labels))
    show_values = slot >= 26
    parts: list[Markup] = []
    for tick in ticks:
        y = plot_bottom - COLUMN_AREA_HEIGHT * tick / top_value
        parts.append(
            Markup(
                '<line class="chart-grid" x1="{x1:g}" x2="{x2}" y1="{y:.1f}" y2="{y:.1f}"/>'
                '<text class="chart-axis" x="{tx:g}" y="{y:.1f}" text-anchor="end" '
                'dominant-baseline="central" font-size="{size}">{tick}</text>'
            ).format(
                x1=axis_width, x2=WIDTH, y=y, tx=axis_width - 6, size=FONT_SIZE - 1, tick=format_number(tick)
            )
        )
    for index, bar in enumerate(bars):
        centre = axis_width + slot * index + slot / 2
        height = COLUMN_AREA_HEIGHT * bar.value / top_value
        value_label = (
            Markup(
                '<text class="chart-value" x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-size="{size}">'
                "{value}</text>"
            ).format(x=centre, y=plot_bottom - height - 5, size=FONT_SIZE - 1, value=format_number(bar.value))
            if show_values and bar.value
            else Markup("")
        )
        axis_label = (
            Markup(
                '<text class="chart-label" x="{x:.1f}" y="{y:g}" text-anchor="middle" font-size="{size}">'
                "{label}</text>"
            ).format(x=centre, y=plot_bottom + 18, size=FONT_SIZE - 1, label=shorten(bar.label, 10))
            if index % label_every == 0 or index == len(bars) - 1
            else Markup("")
        )
        column = Markup(
            '<g class="chart-row"><title>{tooltip}</title>'
            '<rect class="chart-bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
            'height="{height:.1f}" rx="2"/>'
            "{value_label}{axis_label}</g>"
        ).format(
            tooltip=f"{bar.label}: {_quantity(bar.value, unit)}",
            x=centre - thickness / 2,
            y=plot_bottom - height,
            width=thickness,
            height=height,
            value_label=value_label,
            axis_label=axis_label,
        )
        parts.append(_linked(bar, column))
    parts.append(
        Markup('<line class="chart-baseline" x1="{x1:g}" x2="{x2}" y1="{y}" y2="{y}"/>').format(
            x1=axis_width, x2=WIDTH, y=plot_bottom
        )
    )
    return _frame(
        chart_id,
        "columns",
        plot_bottom + 28,
        title=title,
        description=description,
        body=Markup("").join(parts),
    )
