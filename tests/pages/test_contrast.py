"""The stylesheet's colour pairs meet WCAG AA contrast, in the light theme and in the dark one."""

from __future__ import annotations

import re

import pytest

from app.config import PROJECT_ROOT

CSS = (PROJECT_ROOT / "app" / "static" / "css" / "app.css").read_text(encoding="utf-8")
TEXT = 4.5  # body text
LARGE_OR_GRAPHIC = 3.0  # stars, borders of inputs, large headings

# (foreground, background, minimum): every pairing the pages put text or marks in.
PAIRS = [
    ("text", "bg", TEXT),
    ("text", "surface", TEXT),
    ("text", "surface-2", TEXT),
    ("muted", "bg", TEXT),
    ("muted", "surface", TEXT),
    ("muted", "surface-2", TEXT),
    ("faint", "surface", LARGE_OR_GRAPHIC),
    ("accent", "bg", TEXT),
    ("accent", "surface", TEXT),
    ("accent", "accent-soft", TEXT),
    ("accent-text", "accent", TEXT),
    ("accent-text", "accent-hover", TEXT),
    ("danger", "surface", TEXT),
    ("danger", "danger-soft", TEXT),
    ("success", "success-soft", TEXT),
    ("info", "surface", LARGE_OR_GRAPHIC),
    ("mark-text", "mark", TEXT),
    ("star", "surface", LARGE_OR_GRAPHIC),
    ("chart", "surface", LARGE_OR_GRAPHIC),
    ("input-border", "surface", LARGE_OR_GRAPHIC),  # what shows where a form field is
    ("input-border", "surface-2", LARGE_OR_GRAPHIC),
]


def _variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})", block))


def _themes() -> dict[str, dict[str, str]]:
    light_block = CSS.split(":root {", 1)[1].split("}", 1)[0]
    dark_block = (
        CSS.split("@media (prefers-color-scheme: dark) {", 1)[1].split(":root {", 1)[1].split("}", 1)[0]
    )
    light = _variables(light_block)
    return {"light": light, "dark": {**light, **_variables(dark_block)}}


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_formula_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(("foreground", "background", "minimum"), PAIRS)
def test_colour_pairs_are_readable(theme: str, foreground: str, background: str, minimum: float) -> None:
    colours = _themes()[theme]
    ratio = contrast(colours[foreground], colours[background])
    assert ratio >= minimum, f"{theme}: {foreground} on {background} is {ratio:.2f}:1"
