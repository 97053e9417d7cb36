"""The SVG charts: well-formed, accessible, escaped, and drawn to scale."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.web.charts import Bar, bar_chart, column_chart, display_width, fill_years, nice_ticks, shorten

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def _bar_rects(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "chart-bar"]


def test_bar_chart_names_itself_for_screen_readers() -> None:
    root = _parse(
        bar_chart([Bar("Alignment", 3)], chart_id="by-category", title="Papers per category", description="d")
    )
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "by-category-title by-category-desc"
    assert root.findtext(f"{SVG}title") == "Papers per category"
    assert root.find(f"{SVG}title").get("id") == "by-category-title"  # type: ignore[union-attr]
    assert root.findtext(f"{SVG}desc") == "d"


def test_charts_scale_with_their_container() -> None:
    root = _parse(bar_chart([Bar("a", 1), Bar("b", 2)], chart_id="c", title="t", description="d"))
    assert root.get("width") is None
    assert root.get("height") is None
    assert root.get("viewBox") == "0 0 640 60"


def test_labels_and_titles_are_escaped() -> None:
    hostile = '<script>alert("x")</script>'
    bars = [Bar(hostile, 2, href='/tags/x?a=1&b="2"')]
    markup = bar_chart(bars, chart_id="c", title=hostile, description="&")
    assert "<script>" not in markup
    root = _parse(markup)
    assert root.findtext(f"{SVG}title") == hostile
    link = root.find(f"{SVG}a")
    assert link is not None
    assert link.get("href") == '/tags/x?a=1&b="2"'
    assert [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "chart-label"] == [hostile]


def test_bars_are_proportional_to_their_values() -> None:
    root = _parse(
        bar_chart([Bar("big", 40), Bar("half", 20), Bar("none", 0)], chart_id="c", title="t", description="d")
    )
    widths = [float(rect.get("width", "nan")) for rect in _bar_rects(root)]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.1)
    assert widths[2] == 0
    tooltips = [group.findtext(f"{SVG}title") for group in root.iter(f"{SVG}g")]
    assert tooltips == ["big: 40 papers", "half: 20 papers", "none: 0 papers"]


def test_long_and_chinese_labels_are_shortened_but_kept_whole_in_the_tooltip() -> None:
    label = "大语言模型的指令微调与人类反馈强化学习综述"
    root = _parse(bar_chart([Bar(label, 5)], chart_id="c", title="t", description="d", unit="ratings"))
    shown = next(text.text for text in root.iter(f"{SVG}text") if text.get("class") == "chart-label")
    assert shown is not None
    assert shown.endswith("…")
    assert display_width(shown) <= 28
    assert root.find(f"{SVG}g/{SVG}title").text == f"{label}: 5 ratings"  # type: ignore[union-attr]


def test_column_chart_draws_round_gridlines_and_every_column() -> None:
    bars = fill_years({2017: 1, 2020: 7, 2023: 12})
    root = _parse(column_chart(bars, chart_id="years", title="Papers per year", description="d"))
    assert len(_bar_rects(root)) == 7
    axis = [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "chart-axis"]
    assert axis == ["0", "5", "10", "15"]
    heights = {
        group.findtext(f"{SVG}title"): float(group.find(f"{SVG}rect").get("height", "nan"))  # type: ignore[union-attr]
        for group in root.iter(f"{SVG}g")
    }
    assert heights["2018: 0 papers"] == 0
    assert heights["2023: 12 papers"] == pytest.approx(12 / 15 * 200, abs=0.1)


def test_crowded_column_axes_label_only_some_columns() -> None:
    bars = [Bar(str(year), year % 5) for year in range(1990, 2026)]
    root = _parse(column_chart(bars, chart_id="years", title="t", description="d", max_labels=12))
    labels = [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "chart-label"]
    assert 2 <= len(labels) <= 13
    assert labels[0] == "1990"
    assert labels[-1] == "2025"


def test_empty_charts_say_so() -> None:
    for chart in (bar_chart, column_chart):
        root = _parse(chart([], chart_id="c", title="t", description="d"))
        assert "Nothing to show yet" in "".join(root.itertext())


def test_chart_ids_must_be_safe_identifiers() -> None:
    with pytest.raises(ValueError, match="chart ids"):
        bar_chart([Bar("a", 1)], chart_id='x" onload="alert(1)', title="t", description="d")


@pytest.mark.parametrize(
    ("maximum", "expected"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (4, [0, 1, 2, 3, 4]),
        (7, [0, 2, 4, 6, 8]),
        (12, [0, 5, 10, 15]),
        (95, [0, 20, 40, 60, 80, 100]),
        (1234, [0, 500, 1000, 1500]),
    ],
)
def test_nice_ticks_are_round_and_cover_the_maximum(maximum: int, expected: list[int]) -> None:
    assert nice_ticks(maximum) == expected


def test_fill_years_fills_the_gaps_with_zero() -> None:
    assert fill_years({2021: 2, 2019: 1}) == [Bar("2019", 1), Bar("2020", 0), Bar("2021", 2)]
    assert fill_years({}) == []


def test_shorten_counts_wide_characters_twice() -> None:
    assert display_width("LLM 微调") == 8
    assert shorten("short") == "short"
    assert shorten("abcdefghij", 6) == "abcde…"
    assert shorten("微调微调微调", 6) == "微调…"
